//! The templates page of the dashboard: incident and maintenance templates that pre-fill the
//! create forms. The same use cases as `/api/v1/templates`.

mod delete_template;
mod get_templates;
// The form's fields are the function's arguments; see api/dashboard for why the allow is here.
#[allow(clippy::too_many_arguments)]
mod save_template;
pub use delete_template::*;
pub use get_templates::*;
pub use save_template::*;

use crate::api::dashboard::{WorkspaceComponent, WorkspaceOrganization};
use herald::{Impact, IncidentStatus, TemplateKind};
use serde::{Deserialize, Serialize};

/// `/dashboard/:slug/templates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateLibrary {
    pub organization: WorkspaceOrganization,
    pub components: Vec<WorkspaceComponent>,
    /// Incident templates first, each kind by name.
    pub templates: Vec<TemplateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateItem {
    pub id: i64,
    pub key: String,
    pub kind: TemplateKind,
    pub name: String,
    pub title: String,
    pub body: String,
    pub impact: Option<Impact>,
    pub status: Option<IncidentStatus>,
    pub component_ids: Vec<i64>,
    pub version: i32,
}
