//! The kinds of things that happen to an organization's public state. Each is recorded as an
//! event; the live page, notifications and webhooks all start from these.

use crate::string_enum::string_enum;

string_enum! {
    /// What happened, named as webhooks deliver it.
    pub enum EventKind as "event kind" {
        IncidentCreated = "incident.created",
        IncidentUpdated = "incident.updated",
        IncidentResolved = "incident.resolved",
        MaintenanceScheduled = "maintenance.scheduled",
        MaintenanceReminder = "maintenance.reminder",
        MaintenanceStarted = "maintenance.started",
        MaintenanceCompleted = "maintenance.completed",
        MaintenanceCancelled = "maintenance.cancelled",
        ComponentStatusChanged = "component.status_changed",
        /// Names, groups, order or branding changed: the page looks different, nobody is told.
        PageChanged = "page.changed",
    }
}

impl EventKind {
    /// Whether subscribers hear about it (the page itself always shows every change).
    pub fn is_notifiable(self) -> bool {
        !matches!(self, EventKind::PageChanged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_with_their_webhook_names() {
        crate::string_enum::assert_round_trips(
            EventKind::ALL,
            &[
                "incident.created",
                "incident.updated",
                "incident.resolved",
                "maintenance.scheduled",
                "maintenance.reminder",
                "maintenance.started",
                "maintenance.completed",
                "maintenance.cancelled",
                "component.status_changed",
                "page.changed",
            ],
        );
        assert!(EventKind::IncidentCreated.is_notifiable());
        assert!(!EventKind::PageChanged.is_notifiable());
    }
}
