//! What the pages show: plain data built on the server, sent to the browser inside the
//! server-rendered HTML (and over the live socket), and read again by the hydrated page.
//! No database types here, and nothing that depends on the visitor's language: the same data
//! renders every language, so it is built once per change.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use herald::{
    ComponentGroupId, ComponentId, ComponentStatus, Impact, IncidentId, IncidentStatus, Indicator, Locale,
    MaintenanceId, MaintenanceStatus,
};
use serde::{Deserialize, Serialize};

/// An instant, with its wall-clock time in the organization's time zone. Pages show `local`
/// (identical on the server and in the browser, so hydration matches), then switch to the
/// visitor's own time zone once the browser has taken over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    pub utc: DateTime<Utc>,
    pub local: NaiveDateTime,
    /// The organization zone's abbreviation at that instant ("CET", "UTC").
    pub zone: String,
}

/// One organization on the instance's front page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationListing {
    pub slug: String,
    pub name: String,
    pub tagline: Option<String>,
    pub indicator: Indicator,
}

/// What `/` shows: the listed organizations, or the way to first-run setup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub organizations: Vec<OrganizationListing>,
    /// No account exists yet: the instance is waiting for its first admin.
    pub setup_needed: bool,
}

/// An organization's name and look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branding {
    pub slug: String,
    pub name: String,
    pub tagline: Option<String>,
    pub logo_url: Option<String>,
    pub website_url: Option<String>,
    /// `#rrggbb`, and the text colour that stays readable on it.
    pub brand_colour: Option<String>,
    pub text_on_brand: Option<String>,
    pub default_locale: Locale,
    /// IANA name of the organization's time zone.
    pub time_zone: String,
}

/// The public status page of one organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusPage {
    pub organization: Branding,
    pub indicator: Indicator,
    /// Unresolved incidents, newest first, each with its whole timeline.
    pub active_incidents: Vec<IncidentView>,
    /// Maintenance in progress, then upcoming, soonest first.
    pub maintenances: Vec<MaintenanceView>,
    pub sections: Vec<Section>,
    pub heatmap: HeatmapFrame,
    pub generated_at: Moment,
}

/// A top-level entry of the component list: groups and ungrouped components share one order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Section {
    Group(GroupSection),
    Component(ComponentRow),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSection {
    pub id: ComponentGroupId,
    pub name: String,
    pub description: Option<String>,
    /// The worst status of the components shown in it.
    pub status: ComponentStatus,
    pub collapsed: bool,
    /// The components' history rolled up: the worst status of each day, the combined uptime.
    pub heatmap: Option<HeatmapRow>,
    pub components: Vec<ComponentRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentRow {
    pub id: ComponentId,
    /// The component's stable key (badges and APIs address components by it).
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub status: ComponentStatus,
    /// `None` when the organization chose not to show this component's uptime.
    pub heatmap: Option<HeatmapRow>,
}

/// The days the heatmaps cover, and what happened on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatmapFrame {
    /// The oldest day shown, in the organization's time zone; the last is today.
    pub first_day: NaiveDate,
    pub days: u16,
    /// Incidents and maintenance that touched any shown day; rows point into this list.
    pub notes: Vec<DayNote>,
}

impl HeatmapFrame {
    pub fn day(&self, index: usize) -> Option<NaiveDate> {
        self.first_day.checked_add_days(chrono::Days::new(index as u64))
    }
}

/// Something that happened to some components on some days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayNote {
    pub kind: NoteKind,
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteKind {
    Incident,
    Maintenance,
}

/// One row of the 90-day heatmap, compact because a page carries dozens of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatmapRow {
    /// One letter per day, oldest first: the worst status of that day (see [`day_status`]).
    pub days: String,
    /// Each day's uptime in hundredths of a percent (9995 = 99.95 %); `None` when nothing was
    /// observed that day (no data, or maintenance all day).
    pub uptime: Vec<Option<u16>>,
    /// Uptime over the whole window, same unit.
    pub window_uptime: Option<u16>,
    /// `(day index, index into HeatmapFrame::notes)` for every note touching this row.
    pub notes: Vec<(u16, u16)>,
}

/// The letter a heatmap day is stored as, and back.
pub fn day_letter(status: Option<ComponentStatus>) -> char {
    match status {
        Some(ComponentStatus::Operational) => 'o',
        Some(ComponentStatus::DegradedPerformance) => 'd',
        Some(ComponentStatus::PartialOutage) => 'p',
        Some(ComponentStatus::MajorOutage) => 'm',
        Some(ComponentStatus::UnderMaintenance) => 'u',
        Some(ComponentStatus::NoData) | None => 'n',
    }
}

pub fn day_status(letter: char) -> Option<ComponentStatus> {
    match letter {
        'o' => Some(ComponentStatus::Operational),
        'd' => Some(ComponentStatus::DegradedPerformance),
        'p' => Some(ComponentStatus::PartialOutage),
        'm' => Some(ComponentStatus::MajorOutage),
        'u' => Some(ComponentStatus::UnderMaintenance),
        _ => None,
    }
}

/// Hundredths of a percent, rounded down so that any downtime never shows as 100 %.
pub fn uptime_hundredths(ratio: Option<f64>) -> Option<u16> {
    ratio.map(|ratio| (ratio.clamp(0.0, 1.0) * 10_000.0).floor() as u16)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    pub id: IncidentId,
    pub name: String,
    pub impact: Impact,
    pub status: IncidentStatus,
    pub started: Moment,
    pub resolved: Option<Moment>,
    pub components: Vec<AffectedComponent>,
    /// Newest first.
    pub updates: Vec<UpdateView>,
    /// Rendered from Markdown on the server; safe to insert as HTML.
    pub postmortem_html: Option<String>,
    pub postmortem_published: Option<Moment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AffectedComponent {
    pub id: ComponentId,
    pub name: String,
    pub status: ComponentStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateView {
    /// An incident's or a maintenance's status, as words for the timeline.
    pub status: UpdateStatus,
    /// Rendered from Markdown on the server; safe to insert as HTML.
    pub body_html: String,
    pub at: Moment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UpdateStatus {
    Incident(IncidentStatus),
    Maintenance(MaintenanceStatus),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceView {
    pub id: MaintenanceId,
    pub name: String,
    pub status: MaintenanceStatus,
    pub starts: Moment,
    pub ends: Moment,
    pub components: Vec<AffectedComponent>,
    /// Newest first.
    pub updates: Vec<UpdateView>,
}

/// `/s/:slug/incidents/:id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentPage {
    pub organization: Branding,
    pub incident: IncidentView,
}

/// `/s/:slug/maintenance/:id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenancePage {
    pub organization: Branding,
    pub maintenance: MaintenanceView,
}

/// `/s/:slug/history?page=N`: a few months per page, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub organization: Branding,
    pub months: Vec<HistoryMonth>,
    pub page: u32,
    pub has_newer: bool,
    pub has_older: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryMonth {
    /// The first day of the month.
    pub month: NaiveDate,
    pub incidents: Vec<HistoryEntry>,
    pub maintenances: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub name: String,
    /// Incidents only.
    pub impact: Option<Impact>,
    pub status: UpdateStatus,
    pub from: Moment,
    pub until: Option<Moment>,
    /// The latest update, as plain text.
    pub summary: String,
}

/// What the live socket sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveMessage {
    /// The whole page as it is now: sent on connect and after every change, so a client that
    /// missed anything (a reconnect, a slow network) is whole again with the next message.
    Page { page: Box<StatusPage> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_letters_round_trip() {
        for &status in ComponentStatus::ALL {
            let back = day_status(day_letter(Some(status)));
            if status == ComponentStatus::NoData {
                assert_eq!(back, None);
            } else {
                assert_eq!(back, Some(status));
            }
        }
        assert_eq!(day_status(day_letter(None)), None);
        assert_eq!(day_status('?'), None);
    }

    #[test]
    fn uptime_never_rounds_up_to_a_clean_record() {
        assert_eq!(uptime_hundredths(Some(1.0)), Some(10_000));
        assert_eq!(uptime_hundredths(Some(0.999_999)), Some(9_999));
        assert_eq!(uptime_hundredths(Some(0.0)), Some(0));
        assert_eq!(uptime_hundredths(Some(1.5)), Some(10_000));
        assert_eq!(uptime_hundredths(None), None);
    }
}
