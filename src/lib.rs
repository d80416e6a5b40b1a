//! Herald's domain core: what statuses, incidents, maintenance and uptime *mean*.
//!
//! Pure: no I/O, no clock (callers pass `now`), no database and no async, so the same code
//! runs on the server and in the browser and every rule is unit-tested here. Keep it so.

pub mod ids;
pub mod impact;
pub mod incident;
pub mod maintenance;
pub mod role;
pub mod status;
mod string_enum;
pub mod uptime;
pub mod values;

pub use ids::*;
pub use impact::Impact;
pub use incident::{IncidentSource, IncidentStatus, IncidentTimeline, IncidentTransitionError, IncidentUpdateError};
pub use maintenance::{
    AutoTransitions, MaintenanceStatus, MaintenanceTransitionError, MaintenanceWindow, MaintenanceWindowError,
    due_transition, reminder_due,
};
pub use role::Role;
pub use status::{ComponentStatus, Indicator, overall_indicator};
pub use string_enum::UnknownValue;
pub use uptime::{StatusDurations, StatusInterval, TimeRange, durations_by_bucket, durations_in_range};
pub use values::*;
