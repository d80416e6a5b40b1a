//! Incidents through the admin API: list and filter, read with the whole timeline, open
//! (optionally from a template), post updates, edit the name, impact and postmortem.

use super::{Paged, check_version, commit_and_wake, present, record_audit, templates, to_json};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::{incident_components, incident_update_components, incident_updates, incidents};
use crate::ssr::hub::Hub;
use crate::ssr::incidents::{self as timeline, MAX_MESSAGE_CHARS, OpenIncident, UpdateIncident};
use crate::ssr::internal;
use crate::ssr::repositories::{begin_write, stored};
use chrono::{DateTime, Utc};
use herald::{ComponentStatus, Impact, IncidentSource, IncidentStatus, PageRequest, Permission, TemplateKind, Title};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentView {
    pub id: i64,
    pub name: String,
    pub impact: Impact,
    pub status: IncidentStatus,
    /// manual, auto (a monitor) or alert.
    pub source: IncidentSource,
    pub started_at: DateTime<Utc>,
    pub identified_at: Option<DateTime<Utc>>,
    pub monitoring_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub last_update_at: DateTime<Utc>,
    /// Markdown, once written.
    pub postmortem: Option<String>,
    pub postmortem_published_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An incident with what it affects and its whole timeline, oldest update first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentDetails {
    #[serde(flatten)]
    pub incident: IncidentView,
    pub components: Vec<HeldComponent>,
    pub updates: Vec<IncidentUpdateView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HeldComponent {
    pub component_id: i64,
    /// The status this incident holds the component at (operational once resolved).
    pub status: ComponentStatus,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentUpdateView {
    pub id: i64,
    pub status: IncidentStatus,
    /// Markdown.
    pub body: String,
    pub notify_subscribers: bool,
    /// Who posted it, as the timeline shows.
    pub author: Option<String>,
    /// When it is shown as posted (a backfilled update carries its own time).
    pub at: DateTime<Utc>,
    pub component_changes: Vec<ComponentChangeView>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComponentChangeView {
    pub component_id: i64,
    pub old_status: ComponentStatus,
    pub new_status: ComponentStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    Open,
    Resolved,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentFilter {
    /// open or resolved; both when absent.
    #[param(inline)]
    pub state: Option<IncidentState>,
    #[param(inline)]
    pub impact: Option<Impact>,
    #[param(inline)]
    pub source: Option<IncidentSource>,
    /// Started at or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Started before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A component an incident affects, and optionally the status to hold it at (otherwise the
/// one the impact suggests: minor → degraded performance, major → partial outage,
/// critical → major outage).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedComponent {
    pub component_id: i64,
    #[serde(default)]
    pub status: Option<ComponentStatus>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncident {
    /// Pre-fills name, message, impact, status and components; what you send wins.
    #[serde(default)]
    pub template_id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub impact: Option<Impact>,
    /// Default investigating; resolved records a past incident at once.
    #[serde(default)]
    pub status: Option<IncidentStatus>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub components: Option<Vec<AffectedComponent>>,
    /// Default true.
    #[serde(default)]
    pub notify_subscribers: Option<bool>,
    /// For a backfilled incident: when it began. Default now.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncidentUpdate {
    pub status: IncidentStatus,
    pub message: String,
    /// Components whose held status changes; new ones join the incident.
    #[serde(default)]
    pub components: Vec<ChangedComponent>,
    /// Default true.
    #[serde(default)]
    pub notify_subscribers: Option<bool>,
    /// For a backfilled update: when it happened. Default now.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangedComponent {
    pub component_id: i64,
    pub status: ComponentStatus,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentChanges {
    pub name: Option<String>,
    pub impact: Option<Impact>,
    /// Markdown; `null` removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub postmortem: Option<Option<String>>,
    /// Publish (true) or withdraw (false) the postmortem.
    pub postmortem_published: Option<bool>,
    pub version: Option<i32>,
}

impl IncidentView {
    fn of(row: incidents::Model) -> Result<IncidentView, AppError> {
        Ok(IncidentView {
            impact: stored(&row.impact)?,
            status: stored(&row.status)?,
            source: stored(&row.source)?,
            id: row.id,
            name: row.name,
            started_at: row.started_at,
            identified_at: row.identified_at,
            monitoring_at: row.monitoring_at,
            resolved_at: row.resolved_at,
            last_update_at: row.last_update_at,
            postmortem: row.postmortem_body,
            postmortem_published_at: row.postmortem_published_at,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

async fn find(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<incidents::Model, AppError> {
    incidents::Entity::find_by_id(id)
        .filter(incidents::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("loading an incident"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no incident {id}.")))
}

async fn details(db: &impl ConnectionTrait, row: incidents::Model) -> Result<IncidentDetails, AppError> {
    let held = incident_components::Entity::find()
        .filter(incident_components::Column::IncidentId.eq(row.id))
        .order_by_asc(incident_components::Column::ComponentId)
        .all(db)
        .await
        .map_err(internal("loading an incident's components"))?;
    let updates = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(row.id))
        .order_by_asc(incident_updates::Column::DisplayAt)
        .order_by_asc(incident_updates::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading an incident's updates"))?;
    let changes = incident_update_components::Entity::find()
        .filter(incident_update_components::Column::IncidentUpdateId.is_in(updates.iter().map(|update| update.id)))
        .order_by_asc(incident_update_components::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading an incident's component changes"))?;
    let mut changes_by_update: HashMap<i64, Vec<ComponentChangeView>> = HashMap::new();
    for change in changes {
        changes_by_update.entry(change.incident_update_id).or_default().push(ComponentChangeView {
            component_id: change.component_id,
            old_status: stored(&change.old_status)?,
            new_status: stored(&change.new_status)?,
        });
    }
    Ok(IncidentDetails {
        incident: IncidentView::of(row)?,
        components: held
            .into_iter()
            .map(|link| Ok(HeldComponent { component_id: link.component_id, status: stored(&link.component_status)? }))
            .collect::<Result<_, AppError>>()?,
        updates: updates
            .into_iter()
            .map(|update| {
                Ok(IncidentUpdateView {
                    status: stored(&update.status)?,
                    component_changes: changes_by_update.remove(&update.id).unwrap_or_default(),
                    id: update.id,
                    body: update.body,
                    notify_subscribers: update.notify_subscribers,
                    author: update.created_by_label,
                    at: update.display_at,
                })
            })
            .collect::<Result<_, AppError>>()?,
    })
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: IncidentFilter,
) -> Result<Paged<IncidentView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    if let (Some(since), Some(until)) = (filter.since, filter.until)
        && until <= since
    {
        return Err(AppError::invalid("until", "until must be after since."));
    }
    let mut query = incidents::Entity::find().filter(incidents::Column::OrganizationId.eq(caller.organization_id));
    query = match filter.state {
        Some(IncidentState::Open) => query.filter(incidents::Column::ResolvedAt.is_null()),
        Some(IncidentState::Resolved) => query.filter(incidents::Column::ResolvedAt.is_not_null()),
        None => query,
    };
    if let Some(impact) = filter.impact {
        query = query.filter(incidents::Column::Impact.eq(impact.as_str()));
    }
    if let Some(source) = filter.source {
        query = query.filter(incidents::Column::Source.eq(source.as_str()));
    }
    if let Some(since) = filter.since {
        query = query.filter(incidents::Column::StartedAt.gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(incidents::Column::StartedAt.lt(until));
    }
    let total = query.clone().count(db).await.map_err(internal("counting incidents"))?;
    let rows = query
        .order_by_desc(incidents::Column::StartedAt)
        .order_by_desc(incidents::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing incidents"))?;
    let data = rows.into_iter().map(IncidentView::of).collect::<Result<_, _>>()?;
    Ok(Paged::new(data, page, total))
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<IncidentDetails, AppError> {
    caller.may_read(Permission::Read)?;
    details(db, find(db, caller, id).await?).await
}

pub async fn open(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    new: NewIncident,
    now: DateTime<Utc>,
) -> Result<IncidentDetails, AppError> {
    caller.may_change(Permission::Edit)?;
    let template = match new.template_id {
        Some(id) => {
            let template = templates::find(db, caller, id)
                .await
                .map_err(|_| AppError::invalid("template_id", format!("There is no template {id}.")))?;
            if template.kind != TemplateKind::Incident {
                return Err(AppError::invalid(
                    "template_id",
                    "This is a maintenance template; choose an incident one.",
                ));
            }
            Some(template)
        }
        None => None,
    };
    let name = new
        .name
        .or_else(|| template.as_ref().map(|template| template.title.clone()))
        .ok_or_else(|| AppError::invalid("name", "Name the incident, such as \"Checkout is failing\"."))?;
    let message = new
        .message
        .or_else(|| template.as_ref().map(|template| template.body.clone()))
        .ok_or_else(|| AppError::invalid("message", "Write a message: it is what your users will read."))?;
    let impact = new.impact.or_else(|| template.as_ref().and_then(|template| template.impact)).unwrap_or(Impact::Minor);
    let status = new
        .status
        .or_else(|| template.as_ref().and_then(|template| template.status))
        .unwrap_or(IncidentStatus::Investigating);
    let affected = match (new.components, &template) {
        (Some(components), _) => components,
        (None, Some(template)) => template
            .component_ids
            .iter()
            .map(|&component_id| AffectedComponent { component_id, status: None })
            .collect(),
        (None, None) => Vec::new(),
    };
    if affected.is_empty() {
        return Err(AppError::invalid(
            "components",
            "Choose at least one affected component, so your users know what is broken.",
        ));
    }
    let suggested = impact.suggested_component_status().unwrap_or(ComponentStatus::Operational);
    let incident = timeline::open(
        db,
        hub,
        caller.organization_id,
        OpenIncident {
            name,
            impact,
            status,
            message,
            components: affected
                .iter()
                .map(|component| (component.component_id, component.status.unwrap_or(suggested)))
                .collect(),
            notify_subscribers: new.notify_subscribers.unwrap_or(true),
            started_at: new.started_at,
            source: IncidentSource::Manual,
            external_key: None,
            author: caller.author(),
        },
        now,
    )
    .await?;
    details(db, incident).await
}

pub async fn post_update(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    update: NewIncidentUpdate,
    now: DateTime<Utc>,
) -> Result<IncidentDetails, AppError> {
    caller.may_change(Permission::Edit)?;
    timeline::post_update(
        db,
        hub,
        caller.organization_id,
        id,
        UpdateIncident {
            status: update.status,
            message: update.message,
            components: update.components.iter().map(|change| (change.component_id, change.status)).collect(),
            notify_subscribers: update.notify_subscribers.unwrap_or(true),
            at: update.at,
            author: caller.author(),
        },
        now,
    )
    .await?;
    get(db, caller, id).await
}

pub async fn edit(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    changes: IncidentChanges,
    now: DateTime<Utc>,
) -> Result<IncidentDetails, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    check_version(changes.version, current.version, "incident")?;
    let before = IncidentView::of(current.clone())?;
    let mut row = incidents::ActiveModel {
        id: Set(current.id),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(Title::parse(name).map_err(|error| AppError::invalid("name", error.to_string()))?.into_string());
    }
    if let Some(impact) = changes.impact {
        row.impact = Set(impact.as_str().to_owned());
    }
    let mut postmortem = current.postmortem_body.clone();
    if let Some(text) = changes.postmortem {
        let text = text.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
        if text.as_ref().is_some_and(|text| text.chars().count() > MAX_MESSAGE_CHARS) {
            return Err(AppError::invalid(
                "postmortem",
                format!("A postmortem may have at most {MAX_MESSAGE_CHARS} characters."),
            ));
        }
        postmortem = text.clone();
        row.postmortem_body = Set(text);
    }
    match changes.postmortem_published {
        Some(true) if postmortem.is_none() => {
            return Err(AppError::invalid("postmortem_published", "Write the postmortem before publishing it."));
        }
        Some(true) if current.postmortem_published_at.is_none() => row.postmortem_published_at = Set(Some(now)),
        Some(false) => row.postmortem_published_at = Set(None),
        _ if postmortem.is_none() => row.postmortem_published_at = Set(None),
        _ => {}
    }
    let updated = row.update(&txn).await.map_err(internal("editing an incident"))?;
    let after = IncidentView::of(updated.clone())?;
    record_audit(&txn, caller, "incident.edited", ("incident", id), to_json(&before), to_json(&after), now).await?;
    super::page_changed(&txn, caller, "incident", now).await?;
    commit_and_wake(txn, hub, "committing an incident edit").await?;
    details(db, updated).await
}
