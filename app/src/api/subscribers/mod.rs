//! The subscribers page of the dashboard: who is told, on which channel, what was delivered to
//! them; adding, importing, exporting and removing subscribers; a test message. The same use
//! cases as `/api/v1/subscribers`.

// The form's fields are the function's arguments; see api/dashboard for why the allow is here.
#[allow(clippy::too_many_arguments)]
mod add_subscriber;
mod get_subscribers;
mod import_subscribers;
mod remove_subscriber;
mod send_test_message;
pub use add_subscriber::*;
pub use get_subscribers::*;
pub use import_subscribers::*;
pub use remove_subscriber::*;
pub use send_test_message::*;

use crate::api::dashboard::{WorkspaceComponent, WorkspaceOrganization};
use chrono::{DateTime, Utc};
use herald::{Locale, SubscriberChannel, Topic};
use serde::{Deserialize, Serialize};

/// Subscribers listed on one page of the dashboard.
pub const SUBSCRIBERS_PER_PAGE: u64 = 50;

/// `/dashboard/:slug/subscribers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribersPage {
    pub organization: WorkspaceOrganization,
    pub components: Vec<WorkspaceComponent>,
    pub counts: SubscriberCounts,
    /// The subscribers the filter finds, this page of them.
    pub subscribers: Vec<SubscriberLine>,
    /// How many the filter finds in all.
    pub found: u64,
    pub offset: u64,
    pub next_offset: Option<u64>,
    /// The latest notifications and how their deliveries went.
    pub notifications: Vec<EventDeliveries>,
    /// The subscriber whose delivery log is open (`?subscriber=<id>`).
    pub selected: Option<SelectedSubscriber>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriberCounts {
    pub confirmed: u64,
    pub unconfirmed: u64,
    pub disabled: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriberLine {
    pub id: i64,
    pub channel: SubscriberChannel,
    pub target: String,
    pub topic: Topic,
    pub locale: Locale,
    /// Names of the components followed; empty means all.
    pub components: Vec<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub last_delivery_at: Option<DateTime<Utc>>,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

impl SubscriberLine {
    /// In words, for the list: confirmed, waiting for confirmation, failing or disabled.
    pub fn state(&self) -> &'static str {
        match (self.disabled_at, self.failing_since, self.confirmed_at) {
            (Some(_), _, _) => "Disabled",
            (None, Some(_), _) => "Failing",
            (None, None, Some(_)) => "Confirmed",
            (None, None, None) => "Awaiting confirmation",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedSubscriber {
    pub subscriber: SubscriberLine,
    /// Newest first.
    pub deliveries: Vec<DeliveryLine>,
    pub total_deliveries: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: i64,
    /// What it was: the event's kind, "confirmation" or "test message".
    pub what: String,
    /// pending, sending, sent, failed (will retry), dead (gave up)
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub next_attempt_at: DateTime<Utc>,
}

/// One recent notification and how its deliveries went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDeliveries {
    pub event_id: i64,
    /// `incident.updated`, `maintenance.reminder`, …
    pub kind: String,
    /// The incident's or maintenance's name, or the component change.
    pub subject: String,
    pub occurred_at: DateTime<Utc>,
    pub sent: u64,
    /// Queued, being sent, or waiting to be retried.
    pub on_the_way: u64,
    /// Given up after the last attempt (or refused for good by the receiver).
    pub dead: u64,
    /// The first failed deliveries (the counts cover all of them).
    pub failures: Vec<FailedDelivery>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedDelivery {
    pub subscriber_id: i64,
    pub channel: String,
    pub target: String,
    /// failed (will retry) or dead
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// What an import did, or why it did nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Subscribers added.
    pub added: u64,
    /// Rows whose address was subscribed already (left as they were).
    pub already_subscribed: u64,
    /// Added email addresses that were sent a confirmation link (not vouched for).
    pub awaiting_confirmation: u64,
    /// Each added webhook's signing secret, shown this once.
    pub webhook_secrets: Vec<WebhookSecret>,
    /// When not empty, nothing was imported: fix these lines and import the file again.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSecret {
    pub url: String,
    pub secret: String,
}

/// What adding one subscriber did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedSubscriber {
    pub target: String,
    /// A webhook's signing secret, shown this once.
    pub secret: Option<String>,
    /// An email address not vouched for: it was sent a confirmation link.
    pub awaiting_confirmation: bool,
}

/// Where the export downloads from (a plain route, not a page of the app).
pub fn export_path(slug: &str) -> String {
    format!("/dashboard/{slug}/subscribers.csv")
}
