//! An incident's impact, and the component status it suggests.

use crate::status::{ComponentStatus, Indicator};
use crate::string_enum::string_enum;

string_enum! {
    /// How badly an incident affects users (Statuspage's `impact`).
    pub enum Impact as "impact" {
        None = "none",
        Minor = "minor",
        Major = "major",
        Critical = "critical",
    }
}

impl Impact {
    /// How bad, from 0 (none) to 3 (critical).
    pub fn severity(self) -> u8 {
        match self {
            Impact::None => 0,
            Impact::Minor => 1,
            Impact::Major => 2,
            Impact::Critical => 3,
        }
    }

    /// The worst of several impacts; `None` when there are none.
    pub fn worst(impacts: impl IntoIterator<Item = Impact>) -> Impact {
        impacts.into_iter().max_by_key(|impact| impact.severity()).unwrap_or(Impact::None)
    }

    /// The status the incident form pre-fills for each affected component; the editor can
    /// change it before posting. `None` leaves components as they are.
    pub fn suggested_component_status(self) -> Option<ComponentStatus> {
        match self {
            Impact::None => None,
            Impact::Minor => Some(ComponentStatus::DegradedPerformance),
            Impact::Major => Some(ComponentStatus::PartialOutage),
            Impact::Critical => Some(ComponentStatus::MajorOutage),
        }
    }

    /// The impact that matches a status, for incidents opened by monitors and alerts.
    pub fn for_status(status: ComponentStatus) -> Impact {
        match status {
            ComponentStatus::DegradedPerformance => Impact::Minor,
            ComponentStatus::PartialOutage => Impact::Major,
            ComponentStatus::MajorOutage => Impact::Critical,
            ComponentStatus::Operational | ComponentStatus::UnderMaintenance | ComponentStatus::NoData => Impact::None,
        }
    }

    pub fn indicator(self) -> Indicator {
        match self {
            Impact::None => Indicator::None,
            Impact::Minor => Indicator::Minor,
            Impact::Major => Indicator::Major,
            Impact::Critical => Indicator::Critical,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Impact::None => "None",
            Impact::Minor => "Minor",
            Impact::Major => "Major",
            Impact::Critical => "Critical",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string_enum::assert_round_trips;

    #[test]
    fn the_worst_impact_wins_and_nothing_is_none() {
        assert_eq!(Impact::worst([Impact::Minor, Impact::Critical, Impact::Major]), Impact::Critical);
        assert_eq!(Impact::worst([Impact::Minor]), Impact::Minor);
        assert_eq!(Impact::worst([]), Impact::None);
        let ordered: Vec<u8> = Impact::ALL.iter().map(|impact| impact.severity()).collect();
        assert_eq!(ordered, [0, 1, 2, 3]);
    }

    #[test]
    fn impacts_round_trip() {
        assert_round_trips(Impact::ALL, &["none", "minor", "major", "critical"]);
    }

    #[test]
    fn every_impact_suggests_its_status_indicator_and_label() {
        let table = [
            (Impact::None, None, Indicator::None, "None"),
            (Impact::Minor, Some(ComponentStatus::DegradedPerformance), Indicator::Minor, "Minor"),
            (Impact::Major, Some(ComponentStatus::PartialOutage), Indicator::Major, "Major"),
            (Impact::Critical, Some(ComponentStatus::MajorOutage), Indicator::Critical, "Critical"),
        ];
        assert_eq!(table.len(), Impact::ALL.len());
        for (impact, status, indicator, label) in table {
            assert_eq!(impact.suggested_component_status(), status, "{impact}");
            assert_eq!(impact.indicator(), indicator);
            assert_eq!(impact.label(), label);
        }
    }

    #[test]
    fn for_status_inverts_the_suggestion_for_every_status() {
        for &status in ComponentStatus::ALL {
            let impact = Impact::for_status(status);
            match impact.suggested_component_status() {
                Some(suggested) => assert_eq!(suggested, status, "{status}"),
                None => assert!(!status.is_outage() && status != ComponentStatus::DegradedPerformance, "{status}"),
            }
            // An impact and the status it came from agree on the page's indicator, except for
            // maintenance, which is not an incident's business.
            if status != ComponentStatus::UnderMaintenance {
                assert_eq!(impact.indicator(), status.indicator(), "{status}");
            }
        }
    }
}
