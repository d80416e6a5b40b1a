//! The monitoring page of the dashboard: every check with its latest result, uptime, recent
//! latency and failures; add a check, run it now, pause, resume, delete. The same use cases
//! as `/api/v1/checks`.

// The form's fields are the function's arguments; see api/dashboard for why the allow is here.
#[allow(clippy::too_many_arguments)]
mod add_check;
mod check_action;
mod delete_check;
#[allow(clippy::too_many_arguments)]
mod edit_check;
mod get_checks;
pub use add_check::*;
pub use check_action::*;
pub use delete_check::*;
pub use edit_check::*;
pub use get_checks::*;

use crate::api::dashboard::{WorkspaceComponent, WorkspaceOrganization};
use chrono::{DateTime, Utc};
use herald::{CheckKind, CheckOutcome, ComponentStatus};
use serde::{Deserialize, Serialize};

/// `/dashboard/:slug/checks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckBoard {
    pub organization: WorkspaceOrganization,
    pub components: Vec<WorkspaceComponent>,
    /// By name.
    pub checks: Vec<CheckItem>,
    /// The shortest interval this instance allows.
    pub min_interval_seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckItem {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub kind: CheckKind,
    /// What it looks at: "GET https://…", "TCP db:5432".
    pub target: String,
    pub component: Option<String>,
    pub interval_seconds: i32,
    pub paused: bool,
    pub status: ComponentStatus,
    pub last_outcome: Option<CheckOutcome>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_latency_ms: Option<i32>,
    pub last_error: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    /// Share of results that were up or slow, over 24 hours and 7 days (within retention).
    pub uptime_24h: Option<f64>,
    pub uptime_7d: Option<f64>,
    /// The latest runs' latencies, oldest first (`None` where a run failed).
    pub latencies: Vec<Option<i32>>,
    /// The last 24 hours, hour by hour, the current hour last (so far).
    pub hours: Vec<LatencyBucket>,
    /// The last 7 days, 24 hours each, the current one last.
    pub days: Vec<LatencyBucket>,
    pub recent_failures: Vec<CheckFailure>,
    /// What the edit form starts from.
    pub settings: CheckSettings,
}

/// A check's editable settings as the edit form shows them (text, as typed). HTTP settings
/// the form does not show (method, headers, expected status…) are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSettings {
    /// The version the form is filled from; a save over someone else's is refused.
    pub version: i32,
    pub component_id: Option<i64>,
    pub url: String,
    pub body_contains: String,
    pub host: String,
    pub port: String,
    pub record_type: String,
    pub expected: String,
    pub grace_seconds: String,
    pub timeout_ms: i32,
    pub degraded_latency_ms: Option<i32>,
    pub failure_status: ComponentStatus,
    pub auto_incident: bool,
}

/// One bar of a latency chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyBucket {
    pub start: DateTime<Utc>,
    pub runs: u32,
    pub failures: u32,
    pub latency_avg_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFailure {
    pub checked_at: DateTime<Utc>,
    pub error: String,
}

/// What `add_check` answers: a heartbeat's secret address, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedCheck {
    pub heartbeat_path: Option<String>,
}
