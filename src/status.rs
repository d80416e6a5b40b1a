//! What a component's status and a page's overall indicator mean — defined once, and used by
//! the HTML pages, the JSON APIs, the badges and the feeds alike.

use crate::impact::Impact;
use crate::string_enum::string_enum;

string_enum! {
    /// The state of one component, as people and Statuspage-compatible clients know it, plus
    /// `NoData` for a monitored component that has no result yet.
    pub enum ComponentStatus as "component status" {
        Operational = "operational",
        DegradedPerformance = "degraded_performance",
        PartialOutage = "partial_outage",
        MajorOutage = "major_outage",
        UnderMaintenance = "under_maintenance",
        NoData = "no_data",
    }
}

impl ComponentStatus {
    /// Rank for "worst of": no data ranks lowest (it says nothing), maintenance below any
    /// degradation (planned work is better news than an outage).
    pub fn severity(self) -> u8 {
        match self {
            ComponentStatus::NoData => 0,
            ComponentStatus::Operational => 1,
            ComponentStatus::UnderMaintenance => 2,
            ComponentStatus::DegradedPerformance => 3,
            ComponentStatus::PartialOutage => 4,
            ComponentStatus::MajorOutage => 5,
        }
    }

    /// The worst of the given statuses; `None` when there are none. A group's status is the
    /// worst of its components'.
    pub fn worst(statuses: impl IntoIterator<Item = ComponentStatus>) -> Option<ComponentStatus> {
        statuses.into_iter().max_by_key(|status| status.severity())
    }

    /// A partial or major outage: the component is (partly) down, not merely slow.
    pub fn is_outage(self) -> bool {
        matches!(self, ComponentStatus::PartialOutage | ComponentStatus::MajorOutage)
    }

    /// How much this status alone affects the page's overall indicator.
    pub fn indicator(self) -> Indicator {
        match self {
            ComponentStatus::Operational | ComponentStatus::NoData => Indicator::None,
            ComponentStatus::UnderMaintenance => Indicator::Maintenance,
            ComponentStatus::DegradedPerformance => Indicator::Minor,
            ComponentStatus::PartialOutage => Indicator::Major,
            ComponentStatus::MajorOutage => Indicator::Critical,
        }
    }

    /// English words for people.
    pub fn label(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "Operational",
            ComponentStatus::DegradedPerformance => "Degraded performance",
            ComponentStatus::PartialOutage => "Partial outage",
            ComponentStatus::MajorOutage => "Major outage",
            ComponentStatus::UnderMaintenance => "Under maintenance",
            ComponentStatus::NoData => "No data",
        }
    }
}

string_enum! {
    /// The page-wide state shown in the banner (Statuspage's `status.indicator`).
    pub enum Indicator as "status indicator" {
        None = "none",
        Minor = "minor",
        Major = "major",
        Critical = "critical",
        Maintenance = "maintenance",
    }
}

impl Indicator {
    /// Rank for "worst of": any outage outranks maintenance.
    pub fn severity(self) -> u8 {
        match self {
            Indicator::None => 0,
            Indicator::Maintenance => 1,
            Indicator::Minor => 2,
            Indicator::Major => 3,
            Indicator::Critical => 4,
        }
    }

    /// The worst of the given indicators; `None` (all clear) when there are none.
    pub fn worst(indicators: impl IntoIterator<Item = Indicator>) -> Indicator {
        indicators.into_iter().max_by_key(|indicator| indicator.severity()).unwrap_or(Indicator::None)
    }

    /// Atlassian Statuspage's exact descriptions, for the compatible API.
    pub fn statuspage_description(self) -> &'static str {
        match self {
            Indicator::None => "All Systems Operational",
            Indicator::Minor => "Minor Service Outage",
            Indicator::Major => "Partial System Outage",
            Indicator::Critical => "Major Service Outage",
            Indicator::Maintenance => "Service Under Maintenance",
        }
    }

    /// Herald's banner headline (English).
    pub fn headline(self) -> &'static str {
        match self {
            Indicator::None => "All systems operational",
            Indicator::Minor => "Minor service disruption",
            Indicator::Major => "Partial outage",
            Indicator::Critical => "Major outage",
            Indicator::Maintenance => "Under maintenance",
        }
    }
}

/// The page's overall indicator: the worst of every component's status, every open incident's
/// impact, and `Maintenance` while any maintenance is in progress.
pub fn overall_indicator(
    components: impl IntoIterator<Item = ComponentStatus>,
    open_incident_impacts: impl IntoIterator<Item = Impact>,
    maintenance_in_progress: bool,
) -> Indicator {
    Indicator::worst(
        components
            .into_iter()
            .map(ComponentStatus::indicator)
            .chain(open_incident_impacts.into_iter().map(Impact::indicator))
            .chain(maintenance_in_progress.then_some(Indicator::Maintenance)),
    )
}

/// What a component's status is, derived from everything that holds it — never stored
/// guesses. Open incidents set it (the worst of their holds wins); otherwise an active
/// maintenance makes it under maintenance; otherwise monitoring's observation (when the
/// component is monitored) or, without monitors, operational.
pub fn derive_component_status(
    incident_holds: impl IntoIterator<Item = ComponentStatus>,
    in_maintenance: bool,
    observed: Option<ComponentStatus>,
) -> ComponentStatus {
    match ComponentStatus::worst(incident_holds) {
        Some(held) => held,
        None if in_maintenance => ComponentStatus::UnderMaintenance,
        None => observed.unwrap_or(ComponentStatus::Operational),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string_enum::assert_round_trips;
    use ComponentStatus as S;

    #[test]
    fn statuses_and_indicators_round_trip_as_their_stored_strings() {
        assert_round_trips(
            S::ALL,
            &["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance", "no_data"],
        );
        assert_round_trips(Indicator::ALL, &["none", "minor", "major", "critical", "maintenance"]);
    }

    #[test]
    fn an_unknown_status_lists_the_valid_ones() {
        assert_eq!(
            "frobnicate".parse::<S>().unwrap_err().to_string(),
            "\"frobnicate\" is not a valid component status; expected one of: operational, degraded_performance, \
             partial_outage, major_outage, under_maintenance, no_data"
        );
        let error = serde_json::from_str::<Indicator>("\"amber\"").unwrap_err().to_string();
        assert!(
            error.starts_with("\"amber\" is not a valid status indicator; expected one of: none, minor"),
            "{error}"
        );
    }

    #[test]
    fn derived_status_follows_incidents_then_maintenance_then_observation() {
        assert_eq!(derive_component_status([], false, None), S::Operational);
        assert_eq!(derive_component_status([], false, Some(S::PartialOutage)), S::PartialOutage);
        assert_eq!(derive_component_status([], false, Some(S::NoData)), S::NoData);
        assert_eq!(
            derive_component_status([], true, Some(S::MajorOutage)),
            S::UnderMaintenance,
            "maintenance hides monitors"
        );
        assert_eq!(
            derive_component_status([S::DegradedPerformance], true, None),
            S::DegradedPerformance,
            "a person's incident outranks maintenance"
        );
        assert_eq!(
            derive_component_status([S::DegradedPerformance, S::MajorOutage], false, Some(S::Operational)),
            S::MajorOutage
        );
        for &held in S::ALL {
            for in_maintenance in [false, true] {
                for observed in std::iter::once(None).chain(S::ALL.iter().copied().map(Some)) {
                    assert_eq!(
                        derive_component_status([held], in_maintenance, observed),
                        held,
                        "an incident's hold always wins"
                    );
                }
            }
        }
    }

    #[test]
    fn severity_orders_every_status() {
        let ordered =
            [S::NoData, S::Operational, S::UnderMaintenance, S::DegradedPerformance, S::PartialOutage, S::MajorOutage];
        for (rank, status) in ordered.iter().enumerate() {
            assert_eq!(status.severity() as usize, rank, "{status}");
        }
        let mut ranks: Vec<u8> = S::ALL.iter().map(|s| s.severity()).collect();
        ranks.sort_unstable();
        ranks.dedup();
        assert_eq!(ranks.len(), S::ALL.len(), "no two statuses share a rank");
    }

    #[test]
    fn worst_of_every_pair_is_the_more_severe() {
        for &a in S::ALL {
            for &b in S::ALL {
                let expected = if a.severity() >= b.severity() { a } else { b };
                assert_eq!(S::worst([a, b]), Some(expected), "{a} vs {b}");
                assert_eq!(S::worst([b, a]), Some(expected), "{b} vs {a}");
            }
        }
        assert_eq!(S::worst([]), None);
        assert_eq!(S::worst([S::NoData, S::Operational, S::NoData]), Some(S::Operational));
        assert_eq!(S::worst([S::UnderMaintenance, S::Operational]), Some(S::UnderMaintenance));
        assert_eq!(S::worst([S::UnderMaintenance, S::DegradedPerformance]), Some(S::DegradedPerformance));
    }

    #[test]
    fn each_status_maps_to_its_indicator_label_and_outage_flag() {
        let table = [
            (S::Operational, Indicator::None, "Operational", false),
            (S::DegradedPerformance, Indicator::Minor, "Degraded performance", false),
            (S::PartialOutage, Indicator::Major, "Partial outage", true),
            (S::MajorOutage, Indicator::Critical, "Major outage", true),
            (S::UnderMaintenance, Indicator::Maintenance, "Under maintenance", false),
            (S::NoData, Indicator::None, "No data", false),
        ];
        assert_eq!(table.len(), S::ALL.len());
        for (status, indicator, label, outage) in table {
            assert_eq!(status.indicator(), indicator, "{status}");
            assert_eq!(status.label(), label);
            assert_eq!(status.is_outage(), outage, "{status}");
        }
    }

    #[test]
    fn indicator_ranks_outages_above_maintenance() {
        let ordered =
            [Indicator::None, Indicator::Maintenance, Indicator::Minor, Indicator::Major, Indicator::Critical];
        for pair in ordered.windows(2) {
            assert!(pair[0].severity() < pair[1].severity(), "{} < {}", pair[0], pair[1]);
            assert_eq!(Indicator::worst(pair.iter().copied()), pair[1]);
            assert_eq!(Indicator::worst(pair.iter().rev().copied()), pair[1]);
        }
        assert_eq!(Indicator::worst([]), Indicator::None);
    }

    #[test]
    fn descriptions_match_statuspage_and_headlines_read_well() {
        let table = [
            (Indicator::None, "All Systems Operational", "All systems operational"),
            (Indicator::Minor, "Minor Service Outage", "Minor service disruption"),
            (Indicator::Major, "Partial System Outage", "Partial outage"),
            (Indicator::Critical, "Major Service Outage", "Major outage"),
            (Indicator::Maintenance, "Service Under Maintenance", "Under maintenance"),
        ];
        assert_eq!(table.len(), Indicator::ALL.len());
        for (indicator, statuspage, headline) in table {
            assert_eq!(indicator.statuspage_description(), statuspage);
            assert_eq!(indicator.headline(), headline);
        }
    }

    #[test]
    fn overall_indicator_takes_the_worst_source() {
        assert_eq!(overall_indicator([], [], false), Indicator::None);
        assert_eq!(overall_indicator([S::Operational, S::NoData], [], false), Indicator::None);
        assert_eq!(overall_indicator([S::Operational], [Impact::None], false), Indicator::None);
        assert_eq!(overall_indicator([S::Operational], [], true), Indicator::Maintenance);
        assert_eq!(overall_indicator([S::UnderMaintenance], [], false), Indicator::Maintenance);
        assert_eq!(overall_indicator([S::DegradedPerformance], [], true), Indicator::Minor);
        assert_eq!(overall_indicator([S::Operational], [Impact::Minor], false), Indicator::Minor);
        assert_eq!(overall_indicator([S::DegradedPerformance], [Impact::Critical], false), Indicator::Critical);
        assert_eq!(overall_indicator([S::MajorOutage], [Impact::Minor], true), Indicator::Critical);
        assert_eq!(
            overall_indicator([S::PartialOutage, S::Operational], [Impact::Minor, Impact::None], false),
            Indicator::Major
        );
        // Every single component status on its own yields its own indicator.
        for &status in S::ALL {
            assert_eq!(overall_indicator([status], [], false), status.indicator());
        }
        for &impact in Impact::ALL {
            assert_eq!(overall_indicator([], [impact], false), impact.indicator());
        }
    }
}
