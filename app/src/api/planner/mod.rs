//! The maintenance planner of the dashboard: schedule a window in the organization's time
//! zone, see what is upcoming, in progress and finished, and start, complete or cancel by
//! hand. The scheduler in the server starts and completes windows on time by itself.

mod get_planner;
mod move_maintenance;
// The form's fields are the function's arguments; see api/dashboard for why the allow is here.
#[allow(clippy::too_many_arguments)]
mod schedule_maintenance;
pub use get_planner::*;
pub use move_maintenance::*;
pub use schedule_maintenance::*;

use crate::api::dashboard::{WorkspaceComponent, WorkspaceOrganization};
use chrono::{DateTime, Utc};
use herald::MaintenanceStatus;
use serde::{Deserialize, Serialize};

/// `/dashboard/:slug/maintenance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planner {
    pub organization: WorkspaceOrganization,
    /// The organization's IANA time zone: the form's times are read in it.
    pub time_zone: String,
    pub components: Vec<WorkspaceComponent>,
    pub templates: Vec<MaintenanceTemplate>,
    /// In progress or verifying.
    pub active: Vec<PlannedMaintenance>,
    /// Scheduled, soonest first.
    pub upcoming: Vec<PlannedMaintenance>,
    /// Completed or cancelled, the most recent first.
    pub finished: Vec<PlannedMaintenance>,
    /// The form's suggestion: the next full hour, and an hour later, in local time.
    pub suggested_start: String,
    pub suggested_end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceTemplate {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub body: String,
    pub component_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedMaintenance {
    pub id: i64,
    pub name: String,
    pub status: MaintenanceStatus,
    pub scheduled_start: DateTime<Utc>,
    pub scheduled_end: DateTime<Utc>,
    /// The window in the organization's time zone, as the form takes it.
    pub local_window: String,
    pub components: Vec<String>,
    pub auto_start: bool,
    pub auto_complete: bool,
}

/// The format of `<input type="datetime-local">`.
pub const LOCAL_INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";
