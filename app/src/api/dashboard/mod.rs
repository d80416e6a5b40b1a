//! The organization workspace in the dashboard: what an editor sees (components, open
//! incidents, templates) and the actions they take on it. Every function finds the signed-in
//! person's role in the organization named by `slug` and calls the same use case as the admin
//! REST API, so the permission rules, validation and audit trail are the API's.

mod create_organization;
mod get_audit_log;
mod get_incident_editor;
mod get_settings;
mod get_workspace;
mod move_organization;
// The form's fields are the function's arguments, one each; the allow must sit on the module
// because the browser-side stub the macro generates does not carry the function's attributes.
#[allow(clippy::too_many_arguments)]
mod open_incident;
mod post_incident_update;
mod preview_markdown;
mod save_postmortem;
#[allow(clippy::too_many_arguments)]
mod save_settings;
mod set_component_status;
pub use create_organization::*;
pub use get_audit_log::*;
pub use get_incident_editor::*;
pub use get_settings::*;
pub use get_workspace::*;
pub use move_organization::*;
pub use open_incident::*;
pub use post_incident_update::*;
pub use preview_markdown::*;
pub use save_postmortem::*;
pub use save_settings::*;
pub use set_component_status::*;

use chrono::{DateTime, Utc};
use herald::{ComponentStatus, Impact, IncidentStatus};
use serde::{Deserialize, Serialize};

/// The organization being worked on, and what the signed-in person may do in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceOrganization {
    pub slug: String,
    pub name: String,
    /// Admin, Editor or Viewer.
    pub role: String,
    /// Editors and Admins see the forms; Viewers see the same data read-only.
    pub may_edit: bool,
    /// Admins also manage the members.
    pub may_administer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceComponent {
    pub id: i64,
    pub name: String,
    pub group: Option<String>,
    pub status: ComponentStatus,
}

/// An incident template, as the create form applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentTemplate {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub body: String,
    pub impact: Option<Impact>,
    pub status: Option<IncidentStatus>,
    pub component_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: i64,
    pub name: String,
    pub impact: Impact,
    pub status: IncidentStatus,
    pub started_at: DateTime<Utc>,
    pub last_update_at: DateTime<Utc>,
    /// Names of the components it affects.
    pub components: Vec<String>,
}

/// `/dashboard/:slug`: everything needed to see the state of things and to open an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    pub organization: WorkspaceOrganization,
    pub components: Vec<WorkspaceComponent>,
    pub templates: Vec<IncidentTemplate>,
    pub open_incidents: Vec<IncidentSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentChange {
    pub component: String,
    pub old_status: ComponentStatus,
    pub new_status: ComponentStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedUpdate {
    pub status: IncidentStatus,
    /// The Markdown as the public page renders it (safe to insert).
    pub body_html: String,
    pub author: Option<String>,
    pub at: DateTime<Utc>,
    pub notify_subscribers: bool,
    pub changes: Vec<ComponentChange>,
}

/// A component the incident holds, and the status it holds it at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldComponent {
    pub id: i64,
    pub name: String,
    pub status: ComponentStatus,
}

/// `/dashboard/:slug/incidents/:id`: one incident's timeline and the form for its next update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentEditor {
    pub organization: WorkspaceOrganization,
    pub id: i64,
    pub name: String,
    pub impact: Impact,
    pub status: IncidentStatus,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Markdown; empty when none is written.
    pub postmortem: String,
    pub postmortem_published: bool,
    /// Sent back with a postmortem edit, so another editor's is not overwritten.
    pub version: i32,
    pub held: Vec<HeldComponent>,
    /// Newest first, as editors read a timeline.
    pub updates: Vec<PostedUpdate>,
    /// Every component, for bringing another one into the incident.
    pub components: Vec<WorkspaceComponent>,
}

/// One change in the audit log, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    /// The record changed, such as "incident 12".
    pub record: String,
    /// The record before and after, as indented JSON.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// `/dashboard/:slug/audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogPage {
    pub organization: WorkspaceOrganization,
    pub entries: Vec<AuditLine>,
    /// Changes matching the filter, on all pages.
    pub total: u64,
    pub offset: u64,
    pub next_offset: Option<u64>,
}

/// `/dashboard/:slug/settings`: the organization's settings as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSettings {
    pub organization: WorkspaceOrganization,
    pub name: String,
    pub tagline: String,
    pub logo_url: String,
    pub website_url: String,
    /// `#rrggbb`, or empty for Herald's default.
    pub brand_colour: String,
    pub custom_domain: String,
    pub default_locale: String,
    pub time_zone: String,
    /// Shown on this Herald's front page.
    pub listed: bool,
    /// Addresses it moved away from, newest first; they redirect to the current one.
    pub former_slugs: Vec<String>,
}

/// The component choices a form posts as `components[<id>]=<choice>`: empty for "not
/// affected" or "no change", `suggested` for the status the impact suggests, or a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChoice {
    Unchanged,
    Suggested,
    Status(ComponentStatus),
}

impl StatusChoice {
    pub const SUGGESTED: &'static str = "suggested";

    pub fn as_value(self) -> &'static str {
        match self {
            StatusChoice::Unchanged => "",
            StatusChoice::Suggested => Self::SUGGESTED,
            StatusChoice::Status(status) => status.as_str(),
        }
    }

    pub fn parse(value: &str) -> Result<StatusChoice, herald::UnknownValue> {
        match value {
            "" => Ok(StatusChoice::Unchanged),
            Self::SUGGESTED => Ok(StatusChoice::Suggested),
            status => status.parse().map(StatusChoice::Status),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StatusChoice;
    use herald::ComponentStatus;

    #[test]
    fn component_choices_round_trip_through_form_values() {
        let mut choices = vec![StatusChoice::Unchanged, StatusChoice::Suggested];
        choices.extend(ComponentStatus::ALL.iter().map(|&status| StatusChoice::Status(status)));
        for choice in choices {
            assert_eq!(StatusChoice::parse(choice.as_value()), Ok(choice));
        }
        assert!(StatusChoice::parse("on_fire").is_err());
    }
}
