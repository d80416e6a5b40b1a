//! What one check result means for a monitor: whether a failure is confirmed yet, the status it
//! gives its component, when to look again, and when an automatic incident should open, hear
//! of a recovery, or resolve. The runner stores [`MonitorState`] after every result, so a
//! restart resumes exactly where it stopped.

use crate::status::ComponentStatus;
use crate::string_enum::string_enum;
use chrono::{DateTime, TimeDelta, Utc};

string_enum! {
    /// How one run of a check went.
    pub enum CheckOutcome as "check outcome" {
        Up = "up",
        /// Answered correctly, slower than the degraded-latency threshold.
        Slow = "slow",
        Down = "down",
    }
}

/// How a monitor reacts to results; from its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures in a row (the first plus quick re-checks) before the check counts as down.
    pub confirmations: u32,
    /// Confirmed failures in a row before an automatic incident opens.
    pub incident_threshold: u32,
    /// How long the check must stay up before the automatic incident resolves.
    pub recovery: TimeDelta,
    /// What the component shows while the check is down.
    pub failure_status: ComponentStatus,
    /// The regular interval.
    pub interval: TimeDelta,
    /// The pause before a quick re-check of an unconfirmed failure.
    pub recheck: TimeDelta,
}

/// Transitions (down ↔ up) within [`FLAP_WINDOW`] that make a check flapping.
pub const FLAP_TRANSITIONS: u32 = 6;
pub const FLAP_WINDOW: TimeDelta = TimeDelta::hours(1);
pub const DEFAULT_RECHECK: TimeDelta = TimeDelta::seconds(5);

/// What a monitor remembers between results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorState {
    /// The status this monitor gives its component.
    pub status: ComponentStatus,
    pub last_outcome: Option<CheckOutcome>,
    pub consecutive_failures: u32,
    pub consecutive_successes: u32,
    pub failing_since: Option<DateTime<Utc>>,
    /// Set on the first success after a confirmed failure, until the recovery has lasted.
    pub recovered_since: Option<DateTime<Utc>>,
    pub flap_transitions: u32,
    pub flap_window_started_at: Option<DateTime<Utc>>,
    pub flapping_since: Option<DateTime<Utc>>,
}

impl Default for MonitorState {
    fn default() -> MonitorState {
        MonitorState {
            status: ComponentStatus::NoData,
            last_outcome: None,
            consecutive_failures: 0,
            consecutive_successes: 0,
            failing_since: None,
            recovered_since: None,
            flap_transitions: 0,
            flap_window_started_at: None,
            flapping_since: None,
        }
    }
}

/// What the automatic incident should do after a result. The runner applies it only when
/// it makes sense (no duplicate incident, none while a person's incident holds the component).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentCue {
    Nothing,
    /// Failure has lasted `incident_threshold` confirmed runs: open one.
    Open,
    /// Down again while the incident was watching a recovery.
    Relapsed,
    /// Up again after being down: say so and let the component go.
    Recovered,
    /// Up for the whole recovery period: resolve.
    Resolve,
    /// It keeps going up and down; say so once and stop posting about each swing.
    StartedFlapping,
}

/// The result of [`observe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub state: MonitorState,
    /// When to run the check next.
    pub next_run_at: DateTime<Utc>,
    pub incident: IncidentCue,
}

impl Step {
    pub fn status_changed(&self, before: &MonitorState) -> bool {
        self.state.status != before.status
    }
}

/// The status a result gives, before confirmation is considered.
fn status_of(outcome: CheckOutcome, policy: &Policy) -> ComponentStatus {
    match outcome {
        CheckOutcome::Up => ComponentStatus::Operational,
        CheckOutcome::Slow => ComponentStatus::DegradedPerformance,
        CheckOutcome::Down => policy.failure_status,
    }
}

/// The first point of the monitor's regular grid (`anchor + k × interval`) after `now`. Runs
/// are placed on the grid rather than "now + interval", so they never drift however long
/// each run took, and quick re-checks rejoin it afterwards.
pub fn next_on_grid(anchor: DateTime<Utc>, interval: TimeDelta, now: DateTime<Utc>) -> DateTime<Utc> {
    let step = interval.num_milliseconds().max(1);
    let elapsed = (now - anchor).num_milliseconds();
    let periods = if elapsed < 0 { 0 } else { elapsed / step + 1 };
    anchor + TimeDelta::milliseconds(periods * step)
}

/// Where in its interval a monitor runs: spread by its id, the same on every replica and
/// after every restart, so thousands of checks created together do not fire together.
pub fn grid_anchor(created_at: DateTime<Utc>, monitor_id: i64, interval: TimeDelta) -> DateTime<Utc> {
    let step = interval.num_milliseconds().max(1) as u64;
    // A multiplicative hash spreads consecutive ids evenly over the interval.
    let spread = (monitor_id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) % step;
    created_at + TimeDelta::milliseconds(spread as i64)
}

/// Counts a down ↔ up transition; says whether the check has just started flapping.
fn count_transition(state: &mut MonitorState, now: DateTime<Utc>) -> bool {
    let window_open = state.flap_window_started_at.is_some_and(|started| now - started < FLAP_WINDOW);
    if !window_open {
        state.flap_window_started_at = Some(now);
        state.flap_transitions = 0;
    }
    state.flap_transitions += 1;
    if state.flap_transitions >= FLAP_TRANSITIONS && state.flapping_since.is_none() {
        state.flapping_since = Some(now);
        return true;
    }
    false
}

/// Applies one result to a monitor. `anchor` places the monitor's regular runs.
pub fn observe(
    before: &MonitorState,
    outcome: CheckOutcome,
    policy: &Policy,
    anchor: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Step {
    let mut state = before.clone();
    state.last_outcome = Some(outcome);
    let regular = next_on_grid(anchor, policy.interval, now);
    let confirmations = policy.confirmations.max(1);
    match outcome {
        CheckOutcome::Down => {
            state.consecutive_failures += 1;
            state.consecutive_successes = 0;
            state.failing_since = state.failing_since.or(Some(now));
            let was_down = before.consecutive_failures >= confirmations;
            let confirmed = state.consecutive_failures >= confirmations;
            if !confirmed {
                // Not yet: look again soon, showing what was shown before.
                let recheck = now + policy.recheck;
                return Step { next_run_at: recheck.min(regular), state, incident: IncidentCue::Nothing };
            }
            state.status = status_of(outcome, policy);
            let relapsed = !was_down && state.recovered_since.take().is_some();
            let started_flapping = !was_down && count_transition(&mut state, now);
            let confirmed_runs = state.consecutive_failures - confirmations + 1;
            let incident = if started_flapping {
                IncidentCue::StartedFlapping
            } else if relapsed {
                // While flapping, each swing goes unreported.
                if state.flapping_since.is_none() { IncidentCue::Relapsed } else { IncidentCue::Nothing }
            } else if confirmed_runs == policy.incident_threshold.max(1) {
                IncidentCue::Open
            } else {
                IncidentCue::Nothing
            };
            Step { state, next_run_at: regular, incident }
        }
        CheckOutcome::Up | CheckOutcome::Slow => {
            let was_down = before.consecutive_failures >= confirmations;
            state.consecutive_failures = 0;
            state.consecutive_successes += 1;
            state.failing_since = None;
            state.status = status_of(outcome, policy);
            let mut incident = IncidentCue::Nothing;
            if was_down {
                state.recovered_since = Some(now);
                let started_flapping = count_transition(&mut state, now);
                incident = if started_flapping {
                    IncidentCue::StartedFlapping
                } else if state.flapping_since.is_none() {
                    IncidentCue::Recovered
                } else {
                    IncidentCue::Nothing
                };
            }
            if let Some(since) = state.recovered_since
                && now - since >= policy.recovery
            {
                state.recovered_since = None;
                state.flapping_since = None;
                state.flap_transitions = 0;
                state.flap_window_started_at = None;
                incident = IncidentCue::Resolve;
            }
            Step { state, next_run_at: regular, incident }
        }
    }
}

/// The status of a component watched by several monitors: the worst of those with results;
/// no data while none has any. `None` for a component no monitor watches.
pub fn observed_status(monitor_statuses: impl IntoIterator<Item = ComponentStatus>) -> Option<ComponentStatus> {
    let statuses: Vec<ComponentStatus> = monitor_statuses.into_iter().collect();
    if statuses.is_empty() {
        return None;
    }
    let known = statuses.iter().copied().filter(|status| *status != ComponentStatus::NoData);
    Some(ComponentStatus::worst(known).unwrap_or(ComponentStatus::NoData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComponentStatus as S;
    use chrono::TimeZone;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000, 0).single().unwrap_or_default() + TimeDelta::seconds(seconds)
    }

    fn policy() -> Policy {
        Policy {
            confirmations: 3,
            incident_threshold: 3,
            recovery: TimeDelta::minutes(5),
            failure_status: S::MajorOutage,
            interval: TimeDelta::seconds(30),
            recheck: DEFAULT_RECHECK,
        }
    }

    /// Feeds outcomes at the times the monitor asks for; returns every step.
    fn run(start: MonitorState, outcomes: &[CheckOutcome], policy: &Policy) -> Vec<Step> {
        let mut state = start;
        let mut now = at(0);
        let mut steps = Vec::new();
        for outcome in outcomes {
            let step = observe(&state, *outcome, policy, at(0), now);
            now = step.next_run_at;
            state = step.state.clone();
            steps.push(step);
        }
        steps
    }

    use CheckOutcome::{Down, Slow, Up};

    #[test]
    fn one_lost_packet_changes_nothing() {
        let steps = run(MonitorState::default(), &[Up, Down, Up, Up], &policy());
        assert_eq!(steps[0].state.status, S::Operational);
        assert_eq!(steps[1].state.status, S::Operational, "an unconfirmed failure shows the previous status");
        assert_eq!(steps[1].next_run_at, at(35), "re-checked after five seconds");
        assert_eq!(steps[2].next_run_at, at(60), "and back on the grid");
        assert!(steps.iter().all(|step| step.incident == IncidentCue::Nothing));
        assert!(steps.iter().all(|step| step.state.flap_transitions == 0));
    }

    #[test]
    fn sustained_failure_confirms_then_opens_once() {
        let steps = run(MonitorState::default(), &[Up, Down, Down, Down, Down, Down, Down], &policy());
        assert_eq!(steps[2].state.status, S::Operational);
        assert_eq!(steps[3].state.status, S::MajorOutage, "third failure in a row confirms");
        assert_eq!(steps[3].state.failing_since, Some(at(30)));
        let opened: Vec<usize> =
            steps.iter().enumerate().filter(|(_, s)| s.incident == IncidentCue::Open).map(|(i, _)| i).collect();
        assert_eq!(opened, vec![5], "the third confirmed failure opens, and only it");
        // Runs: 0 up, 30 down, 35, 40 confirms, 60, 90 opens, 120.
        let runs: Vec<DateTime<Utc>> = steps.iter().map(|s| s.next_run_at).collect();
        assert_eq!(runs, vec![at(30), at(35), at(40), at(60), at(90), at(120), at(150)]);
    }

    #[test]
    fn recovery_is_announced_then_resolved_after_it_lasts() {
        let down = run(MonitorState::default(), &[Down, Down, Down, Down, Down], &policy());
        let state = down[4].state.clone();
        let mut now = down[4].next_run_at;
        let recovered = observe(&state, Up, &policy(), at(0), now);
        assert_eq!(recovered.incident, IncidentCue::Recovered);
        assert_eq!(recovered.state.status, S::Operational);
        assert_eq!(recovered.state.recovered_since, Some(now));
        let mut state = recovered.state;
        let mut cues = Vec::new();
        for _ in 0..12 {
            now = next_on_grid(at(0), TimeDelta::seconds(30), now);
            let step = observe(&state, Up, &policy(), at(0), now);
            cues.push(step.incident);
            state = step.state;
        }
        assert_eq!(cues.iter().filter(|cue| **cue == IncidentCue::Resolve).count(), 1);
        assert_eq!(cues[9], IncidentCue::Resolve, "after five minutes, ten runs of 30 s");
        assert_eq!(state.recovered_since, None);
    }

    #[test]
    fn a_relapse_during_recovery_is_reported_and_restarts_it() {
        let steps = run(MonitorState::default(), &[Down, Down, Down, Down, Down, Up, Down, Down, Down], &policy());
        assert_eq!(steps[5].incident, IncidentCue::Recovered);
        assert_eq!(steps[8].incident, IncidentCue::Relapsed);
        assert_eq!(steps[8].state.recovered_since, None);
        assert_eq!(steps[8].state.status, S::MajorOutage);
    }

    #[test]
    fn slow_answers_degrade_without_failing() {
        let steps = run(MonitorState::default(), &[Slow, Slow, Up], &policy());
        assert_eq!(steps[0].state.status, S::DegradedPerformance);
        assert_eq!(steps[1].state.consecutive_failures, 0);
        assert_eq!(steps[2].state.status, S::Operational);
        assert!(steps.iter().all(|step| step.incident == IncidentCue::Nothing));
    }

    #[test]
    fn the_failure_status_is_configurable_and_one_confirmation_is_immediate() {
        let partial = Policy { failure_status: S::PartialOutage, confirmations: 1, incident_threshold: 1, ..policy() };
        let steps = run(MonitorState::default(), &[Down], &partial);
        assert_eq!(steps[0].state.status, S::PartialOutage);
        assert_eq!(steps[0].incident, IncidentCue::Open);
        assert_eq!(steps[0].next_run_at, at(30));
    }

    #[test]
    fn flapping_is_reported_once_and_swings_go_quiet() {
        let quick = Policy { confirmations: 1, incident_threshold: 1, ..policy() };
        let outcomes = [Down, Up, Down, Up, Down, Up, Down, Up, Down, Up];
        let steps = run(MonitorState::default(), &outcomes, &quick);
        let cues: Vec<IncidentCue> = steps.iter().map(|step| step.incident).collect();
        use IncidentCue::*;
        assert_eq!(
            cues,
            vec![Open, Recovered, Relapsed, Recovered, Relapsed, StartedFlapping, Nothing, Nothing, Nothing, Nothing]
        );
        assert!(steps[9].state.flapping_since.is_some());
        // Stable for the recovery period: resolved, and flapping forgotten.
        let mut state = steps[9].state.clone();
        let mut now = steps[9].next_run_at;
        let mut resolved = false;
        for _ in 0..11 {
            let step = observe(&state, Up, &quick, at(0), now);
            resolved |= step.incident == Resolve;
            now = step.next_run_at;
            state = step.state;
        }
        assert!(resolved);
        assert_eq!(state.flapping_since, None);
        assert_eq!(state.flap_transitions, 0);
    }

    #[test]
    fn the_flap_window_forgets_old_transitions() {
        let mut state = MonitorState::default();
        assert!(!count_transition(&mut state, at(0)));
        for _ in 0..4 {
            assert!(!count_transition(&mut state, at(10)));
        }
        assert_eq!(state.flap_transitions, 5);
        assert!(!count_transition(&mut state, at(3700)), "an hour later the count starts again");
        assert_eq!(state.flap_transitions, 1);
    }

    #[test]
    fn the_grid_never_drifts() {
        let anchor = at(7);
        let interval = TimeDelta::seconds(30);
        assert_eq!(next_on_grid(anchor, interval, at(0)), at(7), "before the anchor: the anchor");
        assert_eq!(next_on_grid(anchor, interval, at(7)), at(37), "strictly after now");
        assert_eq!(next_on_grid(anchor, interval, at(36)), at(37));
        assert_eq!(next_on_grid(anchor, interval, at(3600 * 10 + 1)), at(36_007), "ten hours on, still on the grid");
        // A server that was off for a while skips the missed runs instead of bursting.
        assert_eq!(next_on_grid(anchor, interval, at(1000)), at(1027));
    }

    #[test]
    fn anchors_spread_over_the_interval() {
        let interval = TimeDelta::seconds(30);
        let mut buckets = [0u32; 10];
        for id in 1..=10_000 {
            let offset = (grid_anchor(at(0), id, interval) - at(0)).num_milliseconds();
            assert!((0..30_000).contains(&offset));
            buckets[(offset / 3_000) as usize] += 1;
        }
        assert!(buckets.iter().all(|count| (800..=1200).contains(count)), "{buckets:?}");
        assert_eq!(grid_anchor(at(0), 42, interval), grid_anchor(at(0), 42, interval));
    }

    #[test]
    fn a_component_shows_its_worst_monitor() {
        assert_eq!(observed_status([]), None);
        assert_eq!(observed_status([S::NoData]), Some(S::NoData));
        assert_eq!(observed_status([S::NoData, S::Operational]), Some(S::Operational));
        assert_eq!(observed_status([S::Operational, S::MajorOutage, S::DegradedPerformance]), Some(S::MajorOutage));
        assert_eq!(observed_status([S::DegradedPerformance, S::Operational]), Some(S::DegradedPerformance));
    }

    #[test]
    fn outcomes_round_trip() {
        crate::string_enum::assert_round_trips(CheckOutcome::ALL, &["up", "slow", "down"]);
    }
}
