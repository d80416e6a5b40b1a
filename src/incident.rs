//! The incident state machine: which status may follow which, and the timestamps a status page
//! shows, derived from the updates.

use crate::string_enum::string_enum;
use chrono::{DateTime, TimeDelta, Utc};
use thiserror::Error;

string_enum! {
    /// Where an incident is in its life.
    pub enum IncidentStatus as "incident status" {
        Investigating = "investigating",
        Identified = "identified",
        Monitoring = "monitoring",
        Resolved = "resolved",
        Postmortem = "postmortem",
    }
}

string_enum! {
    /// Who opened an incident.
    pub enum IncidentSource as "incident source" {
        /// A person, in the dashboard or through the API.
        Manual = "manual",
        /// Herald's own monitoring, after sustained failure.
        Auto = "auto",
        /// An alert from Alertmanager, Grafana or a generic webhook.
        Alert = "alert",
    }
}

/// Why an incident cannot take a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IncidentTransitionError {
    /// An open incident was given a postmortem.
    #[error("An incident must be resolved before its postmortem is published.")]
    PostmortemBeforeResolved,
    /// A postmortem was followed by anything but another postmortem update.
    #[error("A published postmortem is final; post another postmortem update instead.")]
    PostmortemIsFinal,
    /// A new incident's first update was a postmortem.
    #[error("A new incident cannot start with a postmortem; open it as resolved first if it is already over.")]
    CannotOpenAsPostmortem,
}

impl IncidentStatus {
    /// Investigating, identified or monitoring: the problem is not over yet.
    pub fn is_open(self) -> bool {
        matches!(self, IncidentStatus::Investigating | IncidentStatus::Identified | IncidentStatus::Monitoring)
    }

    /// English words for people.
    pub fn label(self) -> &'static str {
        match self {
            IncidentStatus::Investigating => "Investigating",
            IncidentStatus::Identified => "Identified",
            IncidentStatus::Monitoring => "Monitoring",
            IncidentStatus::Resolved => "Resolved",
            IncidentStatus::Postmortem => "Postmortem",
        }
    }

    /// Real incidents do not march in order: a fix may be found at once (investigating →
    /// resolved), may fail (monitoring → identified), or the problem may come back after it
    /// was resolved (reopen). Only the postmortem is ordered: after resolution, and final.
    pub fn check_transition(self, next: IncidentStatus) -> Result<(), IncidentTransitionError> {
        use IncidentStatus::*;
        match (self, next) {
            (Postmortem, Postmortem) => Ok(()),
            (Postmortem, _) => Err(IncidentTransitionError::PostmortemIsFinal),
            (Resolved, _) => Ok(()),
            (_, Postmortem) => Err(IncidentTransitionError::PostmortemBeforeResolved),
            (_, _) => Ok(()),
        }
    }
}

/// Why an update cannot be applied to an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IncidentUpdateError {
    #[error(transparent)]
    Transition(#[from] IncidentTransitionError),
    #[error("An update cannot be dated before the incident started.")]
    BeforeStart,
    #[error("An update cannot be dated before the previous update; updates are shown in the order they happened.")]
    BeforePreviousUpdate,
    #[error("An update cannot be dated in the future.")]
    InFuture,
}

/// How far ahead of the server's clock an update may be dated: browsers' and API clients'
/// clocks drift, and refusing an update over a few seconds would only annoy.
pub const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// The timestamps a status page shows, derived from the updates and never typed separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentTimeline {
    pub started_at: DateTime<Utc>,
    pub identified_at: Option<DateTime<Utc>>,
    pub monitoring_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub last_update_at: DateTime<Utc>,
    /// The status of the latest update.
    pub status: IncidentStatus,
}

impl IncidentTimeline {
    /// A new incident whose first update, at `started_at`, has `status`. A backfilled incident
    /// that is already over may open as resolved.
    pub fn open(status: IncidentStatus, started_at: DateTime<Utc>) -> Result<Self, IncidentTransitionError> {
        if status == IncidentStatus::Postmortem {
            return Err(IncidentTransitionError::CannotOpenAsPostmortem);
        }
        let mut timeline = IncidentTimeline {
            started_at,
            identified_at: None,
            monitoring_at: None,
            resolved_at: None,
            last_update_at: started_at,
            status,
        };
        timeline.record(status, started_at);
        Ok(timeline)
    }

    /// Applies an update posted at `at` (in the past for a backfill). Checks the transition,
    /// then that `at` is neither before the start or the previous update nor more than
    /// [`CLOCK_SKEW`] after `now`. A refused update leaves the timeline untouched.
    pub fn apply(
        &mut self,
        status: IncidentStatus,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), IncidentUpdateError> {
        self.status.check_transition(status)?;
        if at < self.started_at {
            return Err(IncidentUpdateError::BeforeStart);
        }
        if at < self.last_update_at {
            return Err(IncidentUpdateError::BeforePreviousUpdate);
        }
        if now.checked_add_signed(CLOCK_SKEW).is_some_and(|latest| at > latest) {
            return Err(IncidentUpdateError::InFuture);
        }
        if status.is_open() {
            // Reopened: it is no longer resolved.
            self.resolved_at = None;
        }
        self.status = status;
        self.last_update_at = at;
        self.record(status, at);
        Ok(())
    }

    fn record(&mut self, status: IncidentStatus, at: DateTime<Utc>) {
        match status {
            IncidentStatus::Identified => {
                self.identified_at.get_or_insert(at);
            }
            IncidentStatus::Monitoring => {
                self.monitoring_at.get_or_insert(at);
            }
            IncidentStatus::Resolved => {
                self.resolved_at.get_or_insert(at);
            }
            IncidentStatus::Investigating | IncidentStatus::Postmortem => {}
        }
    }

    /// How long the incident lasted, or has lasted so far: `resolved_at` (or `now` while it is
    /// open) minus `started_at`.
    pub fn duration(&self, now: DateTime<Utc>) -> TimeDelta {
        self.resolved_at.unwrap_or(now) - self.started_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IncidentStatus::*;
    use chrono::TimeZone;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).single().unwrap() + TimeDelta::minutes(minute)
    }

    #[test]
    fn statuses_and_sources_round_trip() {
        crate::string_enum::assert_round_trips(
            IncidentStatus::ALL,
            &["investigating", "identified", "monitoring", "resolved", "postmortem"],
        );
        crate::string_enum::assert_round_trips(IncidentSource::ALL, &["manual", "auto", "alert"]);
    }

    #[test]
    fn openness_and_labels() {
        let table = [
            (Investigating, true, "Investigating"),
            (Identified, true, "Identified"),
            (Monitoring, true, "Monitoring"),
            (Resolved, false, "Resolved"),
            (Postmortem, false, "Postmortem"),
        ];
        assert_eq!(table.len(), IncidentStatus::ALL.len());
        for (status, open, label) in table {
            assert_eq!(status.is_open(), open, "{status}");
            assert_eq!(status.label(), label);
        }
    }

    #[test]
    fn every_transition_matches_the_table() {
        use IncidentTransitionError::*;
        // Rows: from; columns: to, in ALL order (investigating, identified, monitoring, resolved, postmortem).
        let ok = Ok(());
        let table: [(IncidentStatus, [Result<(), IncidentTransitionError>; 5]); 5] = [
            (Investigating, [ok, ok, ok, ok, Err(PostmortemBeforeResolved)]),
            (Identified, [ok, ok, ok, ok, Err(PostmortemBeforeResolved)]),
            (Monitoring, [ok, ok, ok, ok, Err(PostmortemBeforeResolved)]),
            (Resolved, [ok, ok, ok, ok, ok]),
            (
                Postmortem,
                [Err(PostmortemIsFinal), Err(PostmortemIsFinal), Err(PostmortemIsFinal), Err(PostmortemIsFinal), ok],
            ),
        ];
        for (from, row) in table {
            for (&to, expected) in IncidentStatus::ALL.iter().zip(row) {
                assert_eq!(from.check_transition(to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn a_full_timeline_records_each_first_time() {
        let mut timeline = IncidentTimeline::open(Investigating, at(0)).unwrap();
        timeline.apply(Investigating, at(5), at(60)).unwrap();
        timeline.apply(Identified, at(10), at(60)).unwrap();
        timeline.apply(Monitoring, at(20), at(60)).unwrap();
        timeline.apply(Identified, at(25), at(60)).unwrap();
        timeline.apply(Monitoring, at(30), at(60)).unwrap();
        timeline.apply(Resolved, at(40), at(60)).unwrap();
        assert_eq!(timeline.identified_at, Some(at(10)), "the first identification counts");
        assert_eq!(timeline.monitoring_at, Some(at(20)));
        assert_eq!(timeline.resolved_at, Some(at(40)));
        assert_eq!(timeline.last_update_at, at(40));
        assert_eq!(timeline.status, Resolved);
        assert_eq!(timeline.duration(at(500)), TimeDelta::minutes(40));

        timeline.apply(Resolved, at(45), at(60)).unwrap();
        assert_eq!(timeline.resolved_at, Some(at(40)), "an amendment keeps the resolution time");
        timeline.apply(Postmortem, at(50), at(60)).unwrap();
        assert_eq!(timeline.resolved_at, Some(at(40)));
        assert_eq!(
            timeline.apply(Investigating, at(55), at(60)),
            Err(IncidentUpdateError::Transition(IncidentTransitionError::PostmortemIsFinal))
        );
    }

    #[test]
    fn reopening_clears_the_resolution() {
        let mut timeline = IncidentTimeline::open(Identified, at(0)).unwrap();
        assert_eq!(timeline.identified_at, Some(at(0)));
        timeline.apply(Resolved, at(10), at(60)).unwrap();
        timeline.apply(Investigating, at(15), at(60)).unwrap();
        assert_eq!(timeline.resolved_at, None);
        assert_eq!(timeline.duration(at(30)), TimeDelta::minutes(30), "still running");
        timeline.apply(Resolved, at(20), at(60)).unwrap();
        assert_eq!(timeline.resolved_at, Some(at(20)));
    }

    #[test]
    fn a_backfilled_incident_can_open_resolved_but_not_as_postmortem() {
        let timeline = IncidentTimeline::open(Resolved, at(0)).unwrap();
        assert_eq!(timeline.resolved_at, Some(at(0)));
        assert_eq!(timeline.duration(at(99)), TimeDelta::zero());
        assert_eq!(IncidentTimeline::open(Postmortem, at(0)), Err(IncidentTransitionError::CannotOpenAsPostmortem));
        for &status in IncidentStatus::ALL.iter().filter(|s| s.is_open()) {
            let timeline = IncidentTimeline::open(status, at(0)).unwrap();
            assert_eq!(timeline.status, status);
            assert_eq!(timeline.resolved_at, None);
        }
    }

    #[test]
    fn update_times_must_be_ordered_and_not_in_the_future() {
        let mut timeline = IncidentTimeline::open(Investigating, at(10)).unwrap();
        assert_eq!(timeline.apply(Identified, at(9), at(60)), Err(IncidentUpdateError::BeforeStart));
        timeline.apply(Identified, at(20), at(60)).unwrap();
        assert_eq!(timeline.apply(Monitoring, at(19), at(60)), Err(IncidentUpdateError::BeforePreviousUpdate));
        assert!(timeline.apply(Monitoring, at(20), at(60)).is_ok(), "the same minute is fine");
        assert_eq!(timeline.apply(Monitoring, at(66), at(60)), Err(IncidentUpdateError::InFuture));
        assert!(timeline.apply(Monitoring, at(65), at(60)).is_ok(), "within the clock skew");
        // At the end of the calendar there is no "too far in the future", and no overflow.
        let mut late = IncidentTimeline::open(Investigating, at(0)).unwrap();
        assert!(late.apply(Identified, DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MAX_UTC).is_ok());
        // A refused update changes nothing.
        assert_eq!(timeline.status, Monitoring);
        assert_eq!(timeline.last_update_at, at(65));
    }

    #[test]
    fn the_timeline_enforces_the_same_rules_as_check_transition() {
        // Reach every status through legal updates, then try every next status from it.
        let path_to = |status: IncidentStatus| -> IncidentTimeline {
            let mut timeline = IncidentTimeline::open(Investigating, at(0)).unwrap();
            let steps = if status == Postmortem { vec![Resolved, Postmortem] } else { vec![status] };
            for (minute, step) in (1..).zip(steps) {
                timeline.apply(step, at(minute), at(60)).unwrap();
            }
            assert_eq!(timeline.status, status);
            timeline
        };
        for &from in IncidentStatus::ALL {
            for &to in IncidentStatus::ALL {
                let mut timeline = path_to(from);
                let before = timeline.clone();
                let result = timeline.apply(to, at(30), at(60));
                assert_eq!(result, from.check_transition(to).map_err(IncidentUpdateError::from), "{from} -> {to}");
                if result.is_ok() {
                    assert_eq!(timeline.status, to);
                    assert_eq!(timeline.last_update_at, at(30));
                    assert_eq!(timeline.resolved_at.is_some(), !to.is_open(), "{from} -> {to}");
                } else {
                    assert_eq!(timeline, before, "a refused update changes nothing");
                }
            }
        }
    }

    #[test]
    fn checks_run_in_a_fixed_order() {
        // A bad transition is reported before a bad time, and start before previous update.
        let mut timeline = IncidentTimeline::open(Investigating, at(10)).unwrap();
        timeline.apply(Monitoring, at(20), at(60)).unwrap();
        assert_eq!(
            timeline.apply(Postmortem, at(0), at(60)),
            Err(IncidentUpdateError::Transition(IncidentTransitionError::PostmortemBeforeResolved))
        );
        assert_eq!(timeline.apply(Resolved, at(5), at(60)), Err(IncidentUpdateError::BeforeStart));
        assert_eq!(timeline.monitoring_at, Some(at(20)));
        assert_eq!(timeline.identified_at, None, "never identified");
    }

    #[test]
    fn errors_explain_themselves() {
        assert_eq!(
            IncidentTransitionError::PostmortemBeforeResolved.to_string(),
            "An incident must be resolved before its postmortem is published."
        );
        assert_eq!(
            IncidentTransitionError::PostmortemIsFinal.to_string(),
            "A published postmortem is final; post another postmortem update instead."
        );
        assert_eq!(
            IncidentUpdateError::from(IncidentTransitionError::PostmortemIsFinal).to_string(),
            IncidentTransitionError::PostmortemIsFinal.to_string(),
            "a transition error reads the same inside an update error"
        );
        assert_eq!(IncidentUpdateError::InFuture.to_string(), "An update cannot be dated in the future.");
        for error in [
            IncidentTransitionError::CannotOpenAsPostmortem.to_string(),
            IncidentUpdateError::BeforeStart.to_string(),
            IncidentUpdateError::BeforePreviousUpdate.to_string(),
        ] {
            assert!(error.starts_with(char::is_uppercase) && error.ends_with('.'), "{error}");
        }
    }
}
