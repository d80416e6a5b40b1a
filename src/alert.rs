//! What alerts from monitoring systems (Alertmanager, Grafana, anything that can POST JSON)
//! mean for a component's incident. Alerts are deduplicated by fingerprint; every alert about
//! one component shares one incident, so a storm of alerts is one incident, not hundreds.

use crate::Impact;
use crate::string_enum::string_enum;

string_enum! {
    /// Whether an alert is going on.
    pub enum AlertState as "alert state" {
        Firing = "firing",
        Resolved = "resolved",
    }
}

string_enum! {
    /// Which format an alert source receives.
    pub enum AlertSourceKind as "alert source kind" {
        /// Prometheus Alertmanager's webhook (version 4).
        Alertmanager = "alertmanager",
        /// Grafana alerting's webhook contact point.
        Grafana = "grafana",
        /// Herald's own small JSON format, for scripts and other tools.
        Generic = "generic",
    }
}

/// The incident impact an alert's `severity` label stands for. Unknown or missing severities
/// are taken as major: an alert someone routed to a status page is rarely minor.
pub fn impact_for_severity(severity: Option<&str>) -> Impact {
    let severity = severity.map(|severity| severity.trim().to_ascii_lowercase());
    match severity.as_deref() {
        Some("critical" | "crit" | "fatal" | "emergency" | "disaster" | "page" | "p1" | "sev1" | "sev-1") => {
            Impact::Critical
        }
        Some(
            "warning" | "warn" | "minor" | "medium" | "moderate" | "low" | "info" | "p3" | "p4" | "sev3" | "sev-3",
        ) => Impact::Minor,
        _ => Impact::Major,
    }
}

/// What the alerts about one component, after a delivery, ask of its alert incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertIncidentAction {
    /// Open an incident: an alert started firing and none is open.
    Open,
    /// Tell readers another alert joined the open incident.
    Update,
    /// Every alert has resolved: resolve the incident.
    Resolve,
    Nothing,
}

/// Decides from the component's alerts after the delivery: `open_incident` whether its alert
/// incident is open, `firing` how many of its alerts are firing now, `started` how many of
/// those started firing with this delivery. Alertmanager repeats firing alerts for hours; a
/// repeat never reopens an incident a person resolved, only an alert that starts again does.
pub fn alert_incident_action(open_incident: bool, firing: usize, started: usize) -> AlertIncidentAction {
    match (open_incident, firing > 0, started > 0) {
        (false, true, true) => AlertIncidentAction::Open,
        (true, true, true) => AlertIncidentAction::Update,
        (true, false, _) => AlertIncidentAction::Resolve,
        _ => AlertIncidentAction::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string_enum::assert_round_trips;

    #[test]
    fn states_and_kinds_round_trip() {
        assert_round_trips(AlertState::ALL, &["firing", "resolved"]);
        assert_round_trips(AlertSourceKind::ALL, &["alertmanager", "grafana", "generic"]);
    }

    #[test]
    fn severities_map_to_impacts() {
        assert_eq!(impact_for_severity(Some("critical")), Impact::Critical);
        assert_eq!(impact_for_severity(Some(" Critical ")), Impact::Critical);
        assert_eq!(impact_for_severity(Some("P1")), Impact::Critical);
        assert_eq!(impact_for_severity(Some("warning")), Impact::Minor);
        assert_eq!(impact_for_severity(Some("info")), Impact::Minor);
        assert_eq!(impact_for_severity(Some("error")), Impact::Major);
        assert_eq!(impact_for_severity(Some("")), Impact::Major);
        assert_eq!(impact_for_severity(Some("something else")), Impact::Major);
        assert_eq!(impact_for_severity(None), Impact::Major);
    }

    #[test]
    fn every_combination_has_one_action() {
        use AlertIncidentAction::*;
        let cases = [
            // open, firing, started
            (false, 0, 0, Nothing),
            (false, 1, 0, Nothing),
            (false, 1, 1, Open),
            (false, 500, 500, Open),
            (true, 0, 0, Resolve),
            (true, 1, 0, Nothing),
            (true, 2, 1, Update),
            (true, 1, 1, Update),
        ];
        for (open, firing, started, expected) in cases {
            assert_eq!(alert_incident_action(open, firing, started), expected, "{open} {firing} {started}");
        }
    }

    #[test]
    fn a_repeated_firing_alert_does_not_reopen_a_resolved_incident() {
        assert_eq!(alert_incident_action(false, 3, 0), AlertIncidentAction::Nothing);
    }
}
