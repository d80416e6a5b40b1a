//! The dashboard's views, built from the admin use cases for the person signed in, and the
//! translation of its form posts into those use cases' requests.

use super::accounts;
use super::admin::components::{self, ComponentFilter};
use super::admin::groups::{self, GroupFilter};
use super::admin::incidents::{self, IncidentFilter, IncidentState};
use super::admin::templates::{self, TemplateFilter};
use super::caller::Caller;
use super::entities::{incident_components, organizations};
use super::internal;
use crate::api::dashboard::{
    ComponentChange, HeldComponent, IncidentEditor, IncidentSummary, IncidentTemplate, PostedUpdate, StatusChoice,
    Workspace, WorkspaceComponent, WorkspaceOrganization,
};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{ComponentStatus, Permission, TemplateKind};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The most rows one list page may hold.
const PAGE: u64 = 200;

/// The person signed in on this request, in the organization `slug`.
pub async fn signed_in(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<(Caller, WorkspaceOrganization), AppError> {
    let (caller, organization) = accounts::current_caller(db, slug, now).await?;
    let organization = describe(&caller, organization);
    Ok((caller, organization))
}

pub(crate) fn describe(caller: &Caller, organization: organizations::Model) -> WorkspaceOrganization {
    WorkspaceOrganization {
        slug: organization.slug,
        name: organization.name,
        role: caller.role.label().to_owned(),
        may_edit: caller.may_change(Permission::Edit).is_ok(),
        may_administer: caller.may_change(Permission::Administer).is_ok(),
    }
}

/// Every component with its group's name, in page order. Lists are paged for API clients;
/// the dashboard wants them whole.
pub async fn all_components(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<WorkspaceComponent>, AppError> {
    let mut group_names = HashMap::new();
    let mut offset = Some(0);
    while let Some(next) = offset {
        let page = groups::list(db, caller, GroupFilter { limit: Some(PAGE), offset: Some(next) }).await?;
        group_names.extend(page.data.into_iter().map(|group| (group.id, group.name)));
        offset = page.pagination.next_offset;
    }
    let mut all = Vec::new();
    let mut offset = Some(0);
    while let Some(next) = offset {
        let filter = ComponentFilter { limit: Some(PAGE), offset: Some(next), ..ComponentFilter::default() };
        let page = components::list(db, caller, filter).await?;
        all.extend(page.data.into_iter().map(|component| WorkspaceComponent {
            group: component.group_id.and_then(|id| group_names.get(&id).cloned()),
            id: component.id,
            name: component.name,
            status: component.status,
        }));
        offset = page.pagination.next_offset;
    }
    Ok(all)
}

pub async fn workspace(db: &DatabaseConnection, slug: &str, now: DateTime<Utc>) -> Result<Workspace, AppError> {
    let (caller, organization) = signed_in(db, slug, now).await?;
    let components = all_components(db, &caller).await?;
    let names: HashMap<i64, &str> =
        components.iter().map(|component| (component.id, component.name.as_str())).collect();
    let filter = TemplateFilter { kind: Some(TemplateKind::Incident), limit: Some(PAGE), offset: None };
    let templates = templates::list(db, &caller, filter)
        .await?
        .data
        .into_iter()
        .map(|template| IncidentTemplate {
            id: template.id,
            name: template.name,
            title: template.title,
            body: template.body,
            impact: template.impact,
            status: template.status,
            component_ids: template.component_ids,
        })
        .collect();
    let filter = IncidentFilter { state: Some(IncidentState::Open), limit: Some(PAGE), ..IncidentFilter::default() };
    let open = incidents::list(db, &caller, filter).await?.data;
    // One query for what all open incidents hold, not one incident at a time.
    let held = incident_components::Entity::find()
        .filter(incident_components::Column::IncidentId.is_in(open.iter().map(|incident| incident.id)))
        .order_by_asc(incident_components::Column::ComponentId)
        .all(db)
        .await
        .map_err(internal("loading what open incidents hold"))?;
    let open_incidents = open
        .into_iter()
        .map(|incident| IncidentSummary {
            components: held
                .iter()
                .filter(|link| link.incident_id == incident.id)
                .filter_map(|link| names.get(&link.component_id).map(|name| (*name).to_owned()))
                .collect(),
            id: incident.id,
            name: incident.name,
            impact: incident.impact,
            status: incident.status,
            started_at: incident.started_at,
            last_update_at: incident.last_update_at,
        })
        .collect();
    Ok(Workspace { organization, components, templates, open_incidents })
}

pub async fn incident_editor(
    db: &DatabaseConnection,
    slug: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<IncidentEditor, AppError> {
    let (caller, organization) = signed_in(db, slug, now).await?;
    let details = incidents::get(db, &caller, id).await?;
    let components = all_components(db, &caller).await?;
    let name_of = |id: i64| {
        components
            .iter()
            .find(|component| component.id == id)
            .map_or_else(|| format!("Component {id}"), |component| component.name.clone())
    };
    let held = details
        .components
        .iter()
        .map(|held| HeldComponent { id: held.component_id, name: name_of(held.component_id), status: held.status })
        .collect();
    let updates = details
        .updates
        .iter()
        .rev()
        .map(|update| PostedUpdate {
            status: update.status,
            body_html: super::markdown::to_safe_html(&update.body),
            author: update.author.clone(),
            at: update.at,
            notify_subscribers: update.notify_subscribers,
            changes: update
                .component_changes
                .iter()
                .map(|change| ComponentChange {
                    component: name_of(change.component_id),
                    old_status: change.old_status,
                    new_status: change.new_status,
                })
                .collect(),
        })
        .collect();
    let incident = details.incident;
    Ok(IncidentEditor {
        organization,
        id: incident.id,
        name: incident.name,
        impact: incident.impact,
        status: incident.status,
        started_at: incident.started_at,
        resolved_at: incident.resolved_at,
        postmortem: incident.postmortem.unwrap_or_default(),
        postmortem_published: incident.postmortem_published_at.is_some(),
        version: incident.version,
        held,
        updates,
        components,
    })
}

/// The `components[<id>]` fields of a form: which components it names, and the choice for
/// each. Unknown ids are left to the use case, which refuses them by name.
pub fn component_choices(fields: Option<HashMap<String, String>>) -> Result<Vec<(i64, StatusChoice)>, AppError> {
    let mut choices = Vec::new();
    for (id, value) in fields.unwrap_or_default() {
        let id =
            id.parse::<i64>().map_err(|_| AppError::invalid("components", format!("\"{id}\" is not a component.")))?;
        let choice =
            StatusChoice::parse(value.trim()).map_err(|error| AppError::invalid("components", error.to_string()))?;
        if choice != StatusChoice::Unchanged {
            choices.push((id, choice));
        }
    }
    choices.sort_by_key(|(id, _)| *id);
    Ok(choices)
}

/// A form's select, parsed into the value it names, or a message next to that field.
pub fn chosen<T: std::str::FromStr<Err = herald::UnknownValue>>(field: &str, value: &str) -> Result<T, AppError> {
    value.trim().parse().map_err(|error: herald::UnknownValue| AppError::invalid(field, error.to_string()))
}

/// An optional "when" field of the incident forms, read as UTC (the dashboard shows UTC).
pub fn backdated(field: &str, text: Option<&str>) -> Result<Option<DateTime<Utc>>, AppError> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => super::planner::local_instant(&herald::TimeZoneName::utc(), field, text).map(Some),
    }
}

/// A text field that may be left empty (so a template or a default fills it).
pub fn filled(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

/// The status a component choice stands for once the impact is known.
pub fn resolve_choice(choice: StatusChoice, suggested: ComponentStatus) -> Option<ComponentStatus> {
    match choice {
        StatusChoice::Unchanged => None,
        StatusChoice::Suggested => Some(suggested),
        StatusChoice::Status(status) => Some(status),
    }
}
