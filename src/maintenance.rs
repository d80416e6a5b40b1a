//! The maintenance state machine and its automatic transitions.

use crate::string_enum::string_enum;
use chrono::{DateTime, TimeDelta, Utc};
use thiserror::Error;

string_enum! {
    /// Where a planned maintenance is in its life.
    pub enum MaintenanceStatus as "maintenance status" {
        Scheduled = "scheduled",
        InProgress = "in_progress",
        Verifying = "verifying",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

/// Why a maintenance cannot take a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MaintenanceTransitionError {
    /// Completed or cancelled (the status it already has).
    #[error("This maintenance is already {}; it cannot change any more.", .0.label().to_lowercase())]
    Finished(MaintenanceStatus),
    #[error("Maintenance can only be cancelled before it starts; complete it instead.")]
    CancelAfterStart,
    #[error("Maintenance must start before it can be verified or completed.")]
    NotStarted,
    #[error("Maintenance that has started cannot go back to scheduled.")]
    BackToScheduled,
    #[error("This maintenance already has that status.")]
    Same,
}

impl MaintenanceStatus {
    /// Components are under maintenance while it is active.
    pub fn is_active(self) -> bool {
        matches!(self, MaintenanceStatus::InProgress | MaintenanceStatus::Verifying)
    }

    /// Completed or cancelled: nothing can change any more.
    pub fn is_finished(self) -> bool {
        matches!(self, MaintenanceStatus::Completed | MaintenanceStatus::Cancelled)
    }

    /// English words for people.
    pub fn label(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "Scheduled",
            MaintenanceStatus::InProgress => "In progress",
            MaintenanceStatus::Verifying => "Verifying",
            MaintenanceStatus::Completed => "Completed",
            MaintenanceStatus::Cancelled => "Cancelled",
        }
    }

    /// scheduled → in progress → (verifying ⇄ in progress) → completed; cancelled only before
    /// the start. Staying in the same status is not a transition and is refused.
    pub fn check_transition(self, next: MaintenanceStatus) -> Result<(), MaintenanceTransitionError> {
        use MaintenanceStatus::*;
        use MaintenanceTransitionError as E;
        match (self, next) {
            (Completed | Cancelled, _) => Err(E::Finished(self)),
            (Scheduled, InProgress) | (Scheduled, Cancelled) => Ok(()),
            (Scheduled, Verifying | Completed) => Err(E::NotStarted),
            (InProgress, Verifying) | (InProgress, Completed) | (Verifying, Completed) | (Verifying, InProgress) => {
                Ok(())
            }
            (InProgress | Verifying, Cancelled) => Err(E::CancelAfterStart),
            (InProgress | Verifying, Scheduled) => Err(E::BackToScheduled),
            (Scheduled, Scheduled) | (InProgress, InProgress) | (Verifying, Verifying) => Err(E::Same),
        }
    }
}

/// Why a maintenance window is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MaintenanceWindowError {
    #[error("The maintenance must end after it starts.")]
    EndNotAfterStart,
    #[error("A maintenance may last at most {MAX_WINDOW_DAYS} days; split longer work into several.")]
    TooLong,
}

/// The longest maintenance window: anything longer is almost certainly a typo in the end
/// date, and would keep components "under maintenance" (excluded from uptime) for weeks.
pub const MAX_WINDOW_DAYS: i64 = 31;

/// When a maintenance is planned: a half-open range [start, end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaintenanceWindow {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl MaintenanceWindow {
    /// Refuses a window that does not end after it starts or lasts more than
    /// [`MAX_WINDOW_DAYS`] days (exactly that many is fine).
    pub fn new(scheduled_start: DateTime<Utc>, scheduled_end: DateTime<Utc>) -> Result<Self, MaintenanceWindowError> {
        if scheduled_end <= scheduled_start {
            return Err(MaintenanceWindowError::EndNotAfterStart);
        }
        if scheduled_end - scheduled_start > TimeDelta::days(MAX_WINDOW_DAYS) {
            return Err(MaintenanceWindowError::TooLong);
        }
        Ok(MaintenanceWindow { start: scheduled_start, end: scheduled_end })
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Whether `at` lies in the window: the start belongs to it, the end does not.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// Whether the scheduler may move a maintenance on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoTransitions {
    /// Move to in progress at the scheduled start.
    pub auto_start: bool,
    /// Move to completed at the scheduled end.
    pub auto_complete: bool,
}

/// What the scheduler should do now, if anything. A window that passed entirely while Herald
/// was down yields `InProgress`, then (asked again) `Completed`, so both events are recorded.
pub fn due_transition(
    status: MaintenanceStatus,
    window: &MaintenanceWindow,
    auto: AutoTransitions,
    now: DateTime<Utc>,
) -> Option<MaintenanceStatus> {
    match status {
        MaintenanceStatus::Scheduled if auto.auto_start && now >= window.start() => Some(MaintenanceStatus::InProgress),
        MaintenanceStatus::InProgress | MaintenanceStatus::Verifying if auto.auto_complete && now >= window.end() => {
            Some(MaintenanceStatus::Completed)
        }
        _ => None,
    }
}

/// Whether the "starting soon" reminder should go out now: still scheduled, none sent yet, and
/// within `lead` of the start (not after it).
pub fn reminder_due(
    status: MaintenanceStatus,
    window: &MaintenanceWindow,
    lead: TimeDelta,
    reminder_sent: bool,
    now: DateTime<Utc>,
) -> bool {
    // A lead reaching before the start of the calendar covers everything before the start.
    let within_lead = window.start().checked_sub_signed(lead).is_none_or(|from| now >= from);
    status == MaintenanceStatus::Scheduled && !reminder_sent && within_lead && now < window.start()
}

#[cfg(test)]
mod tests {
    use super::*;
    use MaintenanceStatus::*;
    use chrono::TimeZone;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).single().unwrap() + TimeDelta::minutes(minute)
    }

    fn window() -> MaintenanceWindow {
        MaintenanceWindow::new(at(0), at(90)).unwrap()
    }

    #[test]
    fn statuses_round_trip_with_labels_and_flags() {
        crate::string_enum::assert_round_trips(
            MaintenanceStatus::ALL,
            &["scheduled", "in_progress", "verifying", "completed", "cancelled"],
        );
        let table = [
            (Scheduled, false, false, "Scheduled"),
            (InProgress, true, false, "In progress"),
            (Verifying, true, false, "Verifying"),
            (Completed, false, true, "Completed"),
            (Cancelled, false, true, "Cancelled"),
        ];
        assert_eq!(table.len(), MaintenanceStatus::ALL.len());
        for (status, active, finished, label) in table {
            assert_eq!(status.is_active(), active, "{status}");
            assert_eq!(status.is_finished(), finished, "{status}");
            assert_eq!(status.label(), label);
        }
    }

    #[test]
    fn every_transition_matches_the_table() {
        use MaintenanceTransitionError as E;
        let ok = Ok(());
        // Columns in ALL order: scheduled, in_progress, verifying, completed, cancelled.
        let table: [(MaintenanceStatus, [Result<(), E>; 5]); 5] = [
            (Scheduled, [Err(E::Same), ok, Err(E::NotStarted), Err(E::NotStarted), ok]),
            (InProgress, [Err(E::BackToScheduled), Err(E::Same), ok, ok, Err(E::CancelAfterStart)]),
            (Verifying, [Err(E::BackToScheduled), ok, Err(E::Same), ok, Err(E::CancelAfterStart)]),
            (Completed, [Err(E::Finished(Completed)); 5]),
            (Cancelled, [Err(E::Finished(Cancelled)); 5]),
        ];
        for (from, row) in table {
            for (&to, expected) in MaintenanceStatus::ALL.iter().zip(row) {
                assert_eq!(from.check_transition(to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn windows_must_be_ordered_and_bounded() {
        assert_eq!(MaintenanceWindow::new(at(10), at(10)), Err(MaintenanceWindowError::EndNotAfterStart));
        assert_eq!(MaintenanceWindow::new(at(10), at(5)), Err(MaintenanceWindowError::EndNotAfterStart));
        assert!(MaintenanceWindow::new(at(0), at(0) + TimeDelta::days(MAX_WINDOW_DAYS)).is_ok());
        assert_eq!(
            MaintenanceWindow::new(at(0), at(1) + TimeDelta::days(MAX_WINDOW_DAYS)),
            Err(MaintenanceWindowError::TooLong)
        );
        let window = window();
        assert_eq!((window.start(), window.end()), (at(0), at(90)));
        assert!(!window.contains(at(-1)));
        assert!(window.contains(at(0)));
        assert!(window.contains(at(89)));
        assert!(!window.contains(at(90)), "the end is exclusive");
    }

    #[test]
    fn the_scheduler_starts_and_completes_on_time_only_when_allowed() {
        let both = AutoTransitions { auto_start: true, auto_complete: true };
        let manual = AutoTransitions { auto_start: false, auto_complete: false };
        let w = window();
        assert_eq!(due_transition(Scheduled, &w, both, at(-1)), None);
        assert_eq!(due_transition(Scheduled, &w, both, at(0)), Some(InProgress));
        assert_eq!(due_transition(Scheduled, &w, manual, at(10)), None);
        assert_eq!(due_transition(InProgress, &w, both, at(89)), None);
        assert_eq!(due_transition(InProgress, &w, both, at(90)), Some(Completed));
        assert_eq!(due_transition(Verifying, &w, both, at(95)), Some(Completed));
        assert_eq!(
            due_transition(InProgress, &w, AutoTransitions { auto_start: true, auto_complete: false }, at(95)),
            None
        );
        for status in [Completed, Cancelled] {
            assert_eq!(due_transition(status, &w, both, at(200)), None, "{status}");
        }
        // A window missed entirely while down: start, then complete, each a legal transition.
        let first = due_transition(Scheduled, &w, both, at(500)).unwrap();
        assert_eq!(first, InProgress);
        assert!(Scheduled.check_transition(first).is_ok());
        let second = due_transition(first, &w, both, at(500)).unwrap();
        assert_eq!(second, Completed);
        assert!(first.check_transition(second).is_ok());
        assert_eq!(due_transition(second, &w, both, at(500)), None);
    }

    #[test]
    fn reminders_go_out_once_within_the_lead_time() {
        let w = window();
        let hour = TimeDelta::hours(1);
        assert!(!reminder_due(Scheduled, &w, hour, false, at(-61)));
        assert!(reminder_due(Scheduled, &w, hour, false, at(-60)));
        assert!(reminder_due(Scheduled, &w, hour, false, at(-1)));
        assert!(!reminder_due(Scheduled, &w, hour, false, at(0)), "too late once started");
        assert!(!reminder_due(Scheduled, &w, hour, true, at(-30)), "already sent");
        assert!(reminder_due(Scheduled, &w, TimeDelta::MAX, false, at(-1_000_000)), "a huge lead does not overflow");
        assert!(!reminder_due(Scheduled, &w, TimeDelta::zero(), false, at(0)), "no lead, no reminder");
        assert!(!reminder_due(Scheduled, &w, -hour, false, at(30)), "a negative lead never matches");
        for &status in MaintenanceStatus::ALL.iter().filter(|s| **s != Scheduled) {
            assert!(!reminder_due(status, &w, hour, false, at(-30)), "{status}");
        }
    }

    #[test]
    fn the_scheduler_only_proposes_legal_transitions() {
        let w = window();
        for &status in MaintenanceStatus::ALL {
            for auto_start in [false, true] {
                for auto_complete in [false, true] {
                    let auto = AutoTransitions { auto_start, auto_complete };
                    for minute in [-60, 0, 45, 90, 10_000] {
                        if let Some(next) = due_transition(status, &w, auto, at(minute)) {
                            assert_eq!(status.check_transition(next), Ok(()), "{status} -> {next} at {minute}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn errors_explain_themselves() {
        use MaintenanceTransitionError as E;
        assert_eq!(
            E::Finished(Completed).to_string(),
            "This maintenance is already completed; it cannot change any more."
        );
        assert_eq!(
            E::Finished(Cancelled).to_string(),
            "This maintenance is already cancelled; it cannot change any more."
        );
        assert_eq!(MaintenanceWindowError::EndNotAfterStart.to_string(), "The maintenance must end after it starts.");
        assert_eq!(
            MaintenanceWindowError::TooLong.to_string(),
            "A maintenance may last at most 31 days; split longer work into several."
        );
        for error in [E::CancelAfterStart, E::NotStarted, E::BackToScheduled, E::Same] {
            let message = error.to_string();
            assert!(message.starts_with(char::is_uppercase) && message.ends_with('.'), "{message}");
        }
    }
}
