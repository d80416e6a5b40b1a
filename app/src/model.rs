//! What the pages show: plain data built on the server, sent to the browser inside the
//! server-rendered HTML, and read again by the hydrated page. No database types here.

use chrono::{DateTime, Utc};
use herald::{ComponentGroupId, ComponentId, ComponentStatus, Impact, IncidentId, IncidentStatus, Indicator};
use serde::{Deserialize, Serialize};

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
}

/// The public status page of one organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusPage {
    pub organization: Branding,
    pub indicator: Indicator,
    pub active_incidents: Vec<IncidentSummary>,
    pub sections: Vec<Section>,
    pub generated_at: DateTime<Utc>,
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
    pub components: Vec<ComponentRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentRow {
    pub id: ComponentId,
    pub name: String,
    pub description: Option<String>,
    pub status: ComponentStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub name: String,
    pub impact: Impact,
    pub status: IncidentStatus,
    pub started_at: DateTime<Utc>,
    pub latest_update: Option<UpdateSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateSummary {
    pub status: IncidentStatus,
    pub body: String,
    pub at: DateTime<Utc>,
}
