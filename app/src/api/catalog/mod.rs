//! The components page of the dashboard: the organization's components and groups in page
//! order, and the forms that create, edit, delete and reorder them. Each function calls the
//! admin use case the REST API calls, so roles, validation and the audit trail are the same.

mod create_component;
mod create_group;
mod delete_component;
mod delete_group;
// The form's fields are the function's arguments; see api/dashboard for why the allow is here.
#[allow(clippy::too_many_arguments)]
mod edit_component;
mod edit_group;
mod get_catalog;
mod move_entry;
pub use create_component::*;
pub use create_group::*;
pub use delete_component::*;
pub use delete_group::*;
pub use edit_component::*;
pub use edit_group::*;
pub use get_catalog::*;
pub use move_entry::*;

use crate::api::dashboard::WorkspaceOrganization;
use herald::ComponentStatus;
use serde::{Deserialize, Serialize};

/// `/dashboard/:slug/components`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub organization: WorkspaceOrganization,
    /// The page's top level in order: ungrouped components and groups with their members.
    pub entries: Vec<CatalogEntry>,
    /// Every group, for the "group" choice of the component forms.
    pub groups: Vec<GroupChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CatalogEntry {
    Component(CatalogComponent),
    Group(CatalogGroup, Vec<CatalogComponent>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChoice {
    pub id: i64,
    pub name: String,
}

/// Where an entry sits among its siblings, so the arrows that cannot move it are left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub first: bool,
    pub last: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogComponent {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub group_id: Option<i64>,
    pub status: ComponentStatus,
    pub showcase: bool,
    pub only_show_if_degraded: bool,
    pub show_uptime: bool,
    /// Sent back with an edit, so a change someone else made meanwhile is not overwritten.
    pub version: i32,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogGroup {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub collapsed: bool,
    pub version: i32,
    pub place: Place,
}
