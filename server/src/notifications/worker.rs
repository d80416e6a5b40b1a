//! The delivery worker: fans events out into the outbox, claims due deliveries, sends them
//! through their channels with bounded concurrency and records each outcome as soon as it is
//! known. All its state is in the database; any replica may run it, several at once.

use super::channels::{Channels, Content, Outgoing};
use crate::monitoring::WriteGate;
use app::error::AppError;
use app::ssr::entities::{events, organizations};
use app::ssr::keyring::Keyring;
use app::ssr::notifications::fan_out::{FanOut, fan_out_once};
use app::ssr::notifications::notice::{EventFacts, MailLinks, Notice};
use app::ssr::notifications::outbox::{self, Claimed, Failure};
use app::ssr::notifications::{purpose, subscriptions};
use chrono::{TimeDelta, Utc};
use futures::StreamExt;
use herald::{Locale, SubscriberChannel};
use sea_orm::{DatabaseConnection, EntityTrait};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

const POLL_EVERY: Duration = Duration::from_secs(1);
const REMINDERS_EVERY: Duration = Duration::from_secs(10);
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);
/// Sent and dead deliveries stay this long in the delivery log.
pub const DELIVERY_LOG_DAYS: i64 = 30;

pub struct Notifier {
    pub db: DatabaseConnection,
    pub channels: Channels,
    pub keyring: Keyring,
    pub public_url: String,
    pub concurrency: usize,
    gate: WriteGate,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub fanned_out: FanOut,
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
}

impl Notifier {
    pub fn new(
        db: DatabaseConnection,
        channels: Channels,
        keyring: Keyring,
        public_url: String,
        concurrency: usize,
    ) -> Notifier {
        let gate = WriteGate::for_database(&db);
        Notifier { db, channels, keyring, public_url, concurrency: concurrency.max(1), gate }
    }

    /// Deliveries claimed per round: two waves of the concurrency, so the lease covers the round
    /// even when every attempt runs into its timeout.
    pub fn batch_size(&self) -> usize {
        self.concurrency * 2
    }

    fn links(&self, claimed: &Claimed) -> MailLinks {
        let token = self.keyring.manage_token(claimed.subscriber.id, claimed.subscriber.created_at);
        MailLinks {
            manage: format!("{}/subscriptions/manage?token={token}", self.public_url),
            unsubscribe: format!("{}/subscriptions/unsubscribe?token={token}", self.public_url),
        }
    }

    /// One round: fan out new events, then send one batch of due deliveries.
    pub async fn run_once(&self) -> Result<Delivered, AppError> {
        self.run_once_at(Utc::now()).await
    }

    /// A round as if it were `now` (tests move the clock past a dead worker's lease).
    pub async fn run_once_at(&self, now: chrono::DateTime<Utc>) -> Result<Delivered, AppError> {
        let fanned_out = fan_out_once(&self.db, &self.public_url, now).await?;
        let batch = outbox::claim(&self.db, now, self.batch_size() as u64).await?;
        let mut done = Delivered { fanned_out, claimed: batch.len(), ..Default::default() };
        if batch.is_empty() {
            return Ok(done);
        }

        // What the batch's messages say, read once per event and written once per language.
        let mut facts: HashMap<i64, Option<EventFacts>> = HashMap::new();
        let mut organizations: HashMap<i64, String> = HashMap::new();
        for claimed in &batch {
            if let Some(event_id) = claimed.delivery.event_id
                && !facts.contains_key(&event_id)
            {
                let event = events::Entity::find_by_id(event_id)
                    .one(&self.db)
                    .await
                    .map_err(app::ssr::internal("loading an event to deliver"))?;
                let loaded = match event {
                    Some(event) => EventFacts::load(&self.db, &event, &self.public_url).await?,
                    None => None,
                };
                facts.insert(event_id, loaded);
            }
            if let std::collections::hash_map::Entry::Vacant(entry) =
                organizations.entry(claimed.delivery.organization_id)
            {
                let name = organizations::Entity::find_by_id(claimed.delivery.organization_id)
                    .one(&self.db)
                    .await
                    .map_err(app::ssr::internal("loading an organization to deliver for"))?
                    .map(|organization| organization.name)
                    .unwrap_or_default();
                entry.insert(name);
            }
        }
        let mut notices: HashMap<(i64, Locale), Notice> = HashMap::new();
        for claimed in &batch {
            let locale = claimed.subscriber.locale.parse().unwrap_or(Locale::DEFAULT);
            if let Some(event_id) = claimed.delivery.event_id
                && let Some(Some(event)) = facts.get(&event_id)
            {
                notices.entry((event_id, locale)).or_insert_with(|| event.render(locale));
            }
        }

        // Built up front: a closure producing borrowing futures is not `Send` enough for spawn.
        let deliveries: Vec<_> =
            batch.iter().map(|claimed| self.deliver_one(claimed, &facts, &notices, &organizations)).collect();
        let outcomes: Vec<(i64, bool)> =
            futures::stream::iter(deliveries).buffer_unordered(self.concurrency).collect().await;
        let mut reached = Vec::new();
        for (subscriber_id, sent) in outcomes {
            if sent {
                done.sent += 1;
                reached.push(subscriber_id);
            } else {
                done.failed += 1;
            }
        }
        reached.sort_unstable();
        reached.dedup();
        let _turn = self.gate.turn().await;
        outbox::note_reached(&self.db, &reached, Utc::now()).await?;
        Ok(done)
    }

    /// Sends one delivery and records what happened; returns (subscriber, sent).
    async fn deliver_one(
        &self,
        claimed: &Claimed,
        facts: &HashMap<i64, Option<EventFacts>>,
        notices: &HashMap<(i64, Locale), Notice>,
        organizations: &HashMap<i64, String>,
    ) -> (i64, bool) {
        let subscriber = &claimed.subscriber;
        let delivery = &claimed.delivery;
        let result = self.attempt(claimed, facts, notices, organizations).await;
        let _turn = self.gate.turn().await;
        let now = Utc::now();
        let recorded = match &result {
            Ok(Attempt::Sent) => outbox::mark_sent(&self.db, delivery, now).await,
            Ok(Attempt::Dropped(reason)) => outbox::mark_dropped(&self.db, delivery, reason).await,
            Err(failure) => {
                tracing::info!(delivery = delivery.id, subscriber = subscriber.id, channel = %delivery.channel, reason = %failure.reason, "delivery failed");
                outbox::mark_failed(&self.db, claimed, failure, now).await
            }
        };
        if let Err(error) = recorded {
            tracing::warn!(delivery = delivery.id, %error, "recording a delivery's outcome failed; it is retried after its lease");
        }
        (subscriber.id, matches!(result, Ok(Attempt::Sent)))
    }

    async fn attempt(
        &self,
        claimed: &Claimed,
        facts: &HashMap<i64, Option<EventFacts>>,
        notices: &HashMap<(i64, Locale), Notice>,
        organizations: &HashMap<i64, String>,
    ) -> Result<Attempt, Failure> {
        let subscriber = &claimed.subscriber;
        let delivery = &claimed.delivery;
        if subscriber.disabled_at.is_some() {
            return Ok(Attempt::Dropped("The subscriber is disabled."));
        }
        let Ok(channel) = subscriber.channel.parse::<SubscriberChannel>() else {
            return Ok(Attempt::Dropped("The subscriber's channel is unknown to this version."));
        };
        let locale = subscriber.locale.parse().unwrap_or(Locale::DEFAULT);
        let content = match (delivery.purpose.as_str(), delivery.event_id) {
            (purpose::EVENT, Some(event_id)) => {
                if subscriber.confirmed_at.is_none() {
                    return Ok(Attempt::Dropped("The subscriber has not confirmed."));
                }
                match (facts.get(&event_id), notices.get(&(event_id, locale))) {
                    (Some(Some(facts)), Some(notice)) => Content::Event { facts, notice },
                    _ => return Ok(Attempt::Dropped("What the message was about has been deleted.")),
                }
            }
            (purpose::CONFIRMATION, _) => {
                let payload = delivery.payload.clone().unwrap_or_default();
                match (payload.get("kind").and_then(|k| k.as_str()), payload.get("token").and_then(|t| t.as_str())) {
                    (Some("confirm"), Some(token)) => {
                        Content::Confirm { link: format!("{}/subscriptions/confirm?token={token}", self.public_url) }
                    }
                    (Some("manage"), _) => Content::ManageLink,
                    _ => return Ok(Attempt::Dropped("The confirmation message is malformed.")),
                }
            }
            (purpose::TEST, _) => Content::Test,
            _ => return Ok(Attempt::Dropped("The delivery's purpose is unknown to this version.")),
        };
        let secret = match &subscriber.secret_ciphertext {
            Some(sealed) => Some(
                self.keyring.open(sealed).map_err(|error| Failure { reason: error.to_string(), permanent: true })?,
            ),
            None => None,
        };
        let outgoing = Outgoing {
            key: &delivery.idempotency_key,
            target: &subscriber.target,
            secret,
            locale,
            page_name: organizations.get(&delivery.organization_id).map(String::as_str).unwrap_or_default(),
            links: self.links(claimed),
            content,
        };
        self.channels.deliver(channel, &outgoing).await.map(|()| Attempt::Sent)
    }

    /// Removes unconfirmed subscriptions past their link's life and old delivery-log rows.
    pub async fn housekeeping(&self) -> Result<(u64, u64), AppError> {
        let now = Utc::now();
        let unconfirmed = subscriptions::purge_unconfirmed(&self.db, now).await?;
        let old = outbox::purge_finished(&self.db, now - TimeDelta::days(DELIVERY_LOG_DAYS)).await?;
        Ok((unconfirmed, old))
    }
}

enum Attempt {
    Sent,
    Dropped(&'static str),
}

pub fn spawn(notifier: Arc<Notifier>, reminder_before: TimeDelta, cancel: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(POLL_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_housekeeping: Option<tokio::time::Instant> = None;
        let mut last_reminders: Option<tokio::time::Instant> = None;
        let mut more = false;
        loop {
            if !more {
                tokio::select! {
                    () = cancel.cancelled() => return,
                    _ = ticks.tick() => {}
                }
            }
            if cancel.is_cancelled() {
                return;
            }
            if last_reminders.is_none_or(|at| at.elapsed() >= REMINDERS_EVERY) {
                last_reminders = Some(tokio::time::Instant::now());
                match app::ssr::maintenance::emit_reminders(&notifier.db, reminder_before, Utc::now()).await {
                    Ok(0) => {}
                    Ok(reminders) => tracing::info!(reminders, "maintenance reminders recorded"),
                    Err(error) => tracing::warn!(%error, "recording maintenance reminders failed; will retry"),
                }
            }
            match notifier.run_once().await {
                Ok(done) => {
                    more = done.claimed >= notifier.batch_size() || done.fanned_out.events > 0;
                    if done.claimed > 0 || done.fanned_out.deliveries > 0 {
                        tracing::debug!(?done, "notifications delivered");
                    }
                }
                Err(error) => {
                    more = false;
                    tracing::warn!(%error, "delivering notifications failed; will retry");
                }
            }
            if last_housekeeping.is_none_or(|at| at.elapsed() >= HOUSEKEEPING_EVERY) {
                last_housekeeping = Some(tokio::time::Instant::now());
                match notifier.housekeeping().await {
                    Ok((0, 0)) => {}
                    Ok((unconfirmed, old)) => {
                        tracing::info!(unconfirmed, old, "removed expired subscriptions and old deliveries")
                    }
                    Err(error) => tracing::warn!(%error, "notification housekeeping failed; will retry"),
                }
            }
        }
    })
}
