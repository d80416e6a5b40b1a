//! Opening and updating incidents: the one path every surface (command line, dashboard, API,
//! monitors, alerts) goes through, so every rule holds everywhere.

use super::component_status::{self, StatusChange};
use super::entities::{components, incident_components, incident_update_components, incident_updates, incidents};
use super::hub::Hub;
use super::repositories::audit::{self, Actor, AuditEntry};
use super::repositories::{begin_write, stored};
use super::{events, internal};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{
    ComponentStatus, EventKind, Impact, IncidentSource, IncidentStatus, IncidentTimeline, IncidentUpdateError, Title,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use std::collections::BTreeMap;

/// Who is writing, as the timeline shows it.
#[derive(Debug, Clone)]
pub struct Author {
    pub user_id: Option<i64>,
    pub api_token_id: Option<i64>,
    pub label: String,
}

impl Author {
    /// Someone without an account or token: the command line, the scheduler, an alert source.
    pub fn system(label: impl Into<String>) -> Author {
        Author { user_id: None, api_token_id: None, label: label.into() }
    }

    /// How the audit log names the writer.
    pub fn actor(&self) -> Actor<'_> {
        match (self.user_id, self.api_token_id) {
            (Some(id), _) => Actor::User { id, email: &self.label },
            (None, Some(id)) => Actor::Token { id, name: &self.label },
            (None, None) => Actor::System(&self.label),
        }
    }
}

pub const MAX_MESSAGE_CHARS: usize = 20_000;

#[derive(Debug, Clone)]
pub struct OpenIncident {
    pub name: String,
    pub impact: Impact,
    pub status: IncidentStatus,
    pub message: String,
    /// Affected components and the status the incident holds each at.
    pub components: Vec<(i64, ComponentStatus)>,
    pub notify_subscribers: bool,
    /// For a backfilled incident; `None` means now.
    pub started_at: Option<DateTime<Utc>>,
    pub source: IncidentSource,
    pub external_key: Option<String>,
    pub author: Author,
}

#[derive(Debug, Clone)]
pub struct UpdateIncident {
    pub status: IncidentStatus,
    pub message: String,
    /// Components whose held status changes (new ones join the incident).
    pub components: Vec<(i64, ComponentStatus)>,
    pub notify_subscribers: bool,
    /// For a backfilled update; `None` means now.
    pub at: Option<DateTime<Utc>>,
    pub author: Author,
}

fn check_message(message: &str) -> Result<String, AppError> {
    let message = message.trim();
    if message.is_empty() {
        return Err(AppError::invalid("message", "Write a message: it is what your users will read."));
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::invalid(
            "message",
            format!("A message may have at most {MAX_MESSAGE_CHARS} characters."),
        ));
    }
    Ok(message.to_owned())
}

fn update_error(error: IncidentUpdateError) -> AppError {
    let field = match error {
        IncidentUpdateError::Transition(_) => "status",
        _ => "at",
    };
    AppError::invalid(field, error.to_string())
}

/// Checks that every component belongs to the organization; returns the ids without repeats
/// (the last status given for a component wins).
async fn own_components(
    db: &impl ConnectionTrait,
    organization_id: i64,
    wanted: &[(i64, ComponentStatus)],
) -> Result<BTreeMap<i64, ComponentStatus>, AppError> {
    let wanted: BTreeMap<i64, ComponentStatus> = wanted.iter().copied().collect();
    let found = components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .filter(components::Column::Id.is_in(wanted.keys().copied()))
        .all(db)
        .await
        .map_err(internal("checking an incident's components"))?;
    if found.len() != wanted.len() {
        return Err(AppError::invalid("components", "One of the chosen components does not exist (any more)."));
    }
    Ok(wanted)
}

async fn record_changes(db: &impl ConnectionTrait, update_id: i64, changes: &[StatusChange]) -> Result<(), DbErr> {
    for change in changes {
        incident_update_components::ActiveModel {
            incident_update_id: Set(update_id),
            component_id: Set(change.component_id),
            old_status: Set(change.old.as_str().to_owned()),
            new_status: Set(change.new.as_str().to_owned()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// One row of an incident's timeline, as written.
struct NewUpdate<'a> {
    organization_id: i64,
    incident_id: i64,
    status: IncidentStatus,
    body: &'a str,
    notify: bool,
    author: &'a Author,
    /// When the update happened (backfilled updates carry their own time).
    at: DateTime<Utc>,
    now: DateTime<Utc>,
}

async fn insert_update(db: &impl ConnectionTrait, update: NewUpdate<'_>) -> Result<incident_updates::Model, DbErr> {
    let NewUpdate { organization_id, incident_id, status, body, notify, author, at, now } = update;
    incident_updates::ActiveModel {
        organization_id: Set(organization_id),
        incident_id: Set(incident_id),
        status: Set(status.as_str().to_owned()),
        body: Set(body.to_owned()),
        notify_subscribers: Set(notify),
        created_by_user_id: Set(author.user_id),
        created_by_label: Set(Some(author.label.clone())),
        display_at: Set(at),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// What an incident event says: the incident, the update that caused it, the components it moved.
fn event_payload(
    incident: &incidents::Model,
    impact: Impact,
    update: &incident_updates::Model,
    changes: &[StatusChange],
) -> serde_json::Value {
    serde_json::json!({
        "incident": { "id": incident.id, "name": incident.name, "impact": impact, "status": update.status },
        "update": { "id": update.id, "status": update.status, "body": update.body, "notify": update.notify_subscribers },
        "components": changes
            .iter()
            .map(|change| serde_json::json!({ "id": change.component_id, "old_status": change.old, "new_status": change.new }))
            .collect::<Vec<_>>(),
    })
}

pub async fn open(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    organization_id: i64,
    request: OpenIncident,
    now: DateTime<Utc>,
) -> Result<incidents::Model, AppError> {
    let name = Title::parse(&request.name).map_err(|error| AppError::invalid("name", error.to_string()))?;
    let message = check_message(&request.message)?;
    let started_at = request.started_at.unwrap_or(now);
    if started_at > now + herald::incident::CLOCK_SKEW {
        return Err(AppError::invalid("started_at", "An incident cannot start in the future."));
    }
    let timeline = IncidentTimeline::open(request.status, started_at)
        .map_err(|error| AppError::invalid("status", error.to_string()))?;

    let txn = begin_write(db).await.map_err(internal("starting an incident transaction"))?;
    let held = own_components(&txn, organization_id, &request.components).await?;
    let incident = incidents::ActiveModel {
        organization_id: Set(organization_id),
        name: Set(name.as_str().to_owned()),
        impact: Set(request.impact.as_str().to_owned()),
        status: Set(timeline.status.as_str().to_owned()),
        source: Set(request.source.as_str().to_owned()),
        external_key: Set(request.external_key.clone()),
        started_at: Set(timeline.started_at),
        identified_at: Set(timeline.identified_at),
        monitoring_at: Set(timeline.monitoring_at),
        resolved_at: Set(timeline.resolved_at),
        last_update_at: Set(timeline.last_update_at),
        postmortem_body: Set(None),
        postmortem_published_at: Set(None),
        created_by_user_id: Set(request.author.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict("An open incident for this source already exists.".into())
        }
        _ => internal("creating an incident")(error),
    })?;
    let resolved = timeline.resolved_at.is_some();
    for (&component_id, &status) in &held {
        incident_components::ActiveModel {
            incident_id: Set(incident.id),
            component_id: Set(component_id),
            component_status: Set(if resolved { ComponentStatus::Operational } else { status }.as_str().to_owned()),
        }
        .insert(&txn)
        .await
        .map_err(internal("linking an incident's components"))?;
    }
    let update = insert_update(
        &txn,
        NewUpdate {
            organization_id,
            incident_id: incident.id,
            status: request.status,
            body: &message,
            notify: request.notify_subscribers,
            author: &request.author,
            at: started_at,
            now,
        },
    )
    .await
    .map_err(internal("writing an incident's first update"))?;
    let component_ids: Vec<i64> = held.keys().copied().collect();
    let changes = component_status::recompute(&txn, organization_id, &component_ids, now)
        .await
        .map_err(internal("setting component statuses"))?;
    record_changes(&txn, update.id, &changes).await.map_err(internal("recording component changes"))?;
    let payload = event_payload(&incident, request.impact, &update, &changes);
    events::record(
        &txn,
        organization_id,
        if resolved { EventKind::IncidentResolved } else { EventKind::IncidentCreated },
        payload.clone(),
        now,
    )
    .await
    .map_err(internal("recording the incident event"))?;
    audit::record(
        &txn,
        AuditEntry {
            organization_id: Some(organization_id),
            actor: request.author.actor(),
            action: "incident.created",
            entity_type: "incident",
            entity_id: Some(incident.id),
            before: None,
            after: Some(payload),
        },
        now,
    )
    .await
    .map_err(internal("auditing an incident"))?;
    txn.commit().await.map_err(internal("committing an incident"))?;
    if let Some(hub) = hub {
        hub.wake();
    }
    Ok(incident)
}

pub async fn post_update(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    organization_id: i64,
    incident_id: i64,
    request: UpdateIncident,
    now: DateTime<Utc>,
) -> Result<incident_updates::Model, AppError> {
    let message = check_message(&request.message)?;
    let txn = begin_write(db).await.map_err(internal("starting an incident transaction"))?;
    let incident = incidents::Entity::find_by_id(incident_id)
        .filter(incidents::Column::OrganizationId.eq(organization_id))
        .one(&txn)
        .await
        .map_err(internal("loading an incident"))?
        .ok_or_else(|| AppError::NotFound("There is no such incident.".into()))?;
    // A live update is posted now, and never before the update another writer committed a
    // moment earlier with a later clock reading (concurrent alert deliveries do this).
    let at = request.at.unwrap_or(now.max(incident.last_update_at));
    let previous: IncidentStatus = stored(&incident.status)?;
    let mut timeline = IncidentTimeline {
        status: previous,
        started_at: incident.started_at,
        identified_at: incident.identified_at,
        monitoring_at: incident.monitoring_at,
        resolved_at: incident.resolved_at,
        last_update_at: incident.last_update_at,
    };
    timeline.apply(request.status, at, now).map_err(update_error)?;
    let held = own_components(&txn, organization_id, &request.components).await?;

    incidents::ActiveModel {
        id: Set(incident.id),
        status: Set(timeline.status.as_str().to_owned()),
        identified_at: Set(timeline.identified_at),
        monitoring_at: Set(timeline.monitoring_at),
        resolved_at: Set(timeline.resolved_at),
        last_update_at: Set(timeline.last_update_at),
        version: Set(incident.version + 1),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("updating an incident"))?;

    let mut links = incident_components::Entity::find()
        .filter(incident_components::Column::IncidentId.eq(incident.id))
        .all(&txn)
        .await
        .map_err(internal("loading an incident's components"))?;
    for (&component_id, &status) in &held {
        match links.iter_mut().find(|link| link.component_id == component_id) {
            Some(link) => link.component_status = status.as_str().to_owned(),
            None => links.push(incident_components::Model {
                incident_id: incident.id,
                component_id,
                component_status: status.as_str().to_owned(),
            }),
        }
    }
    if !timeline.status.is_open() {
        // A resolved incident holds nothing any more.
        for link in &mut links {
            link.component_status = ComponentStatus::Operational.as_str().to_owned();
        }
    }
    incident_components::Entity::delete_many()
        .filter(incident_components::Column::IncidentId.eq(incident.id))
        .exec(&txn)
        .await
        .map_err(internal("rewriting an incident's components"))?;
    for link in &links {
        incident_components::ActiveModel {
            incident_id: Set(link.incident_id),
            component_id: Set(link.component_id),
            component_status: Set(link.component_status.clone()),
        }
        .insert(&txn)
        .await
        .map_err(internal("rewriting an incident's components"))?;
    }

    let update = insert_update(
        &txn,
        NewUpdate {
            organization_id,
            incident_id: incident.id,
            status: request.status,
            body: &message,
            notify: request.notify_subscribers,
            author: &request.author,
            at,
            now,
        },
    )
    .await
    .map_err(internal("writing an incident update"))?;
    let component_ids: Vec<i64> = links.iter().map(|link| link.component_id).collect();
    let changes = component_status::recompute(&txn, organization_id, &component_ids, now)
        .await
        .map_err(internal("setting component statuses"))?;
    record_changes(&txn, update.id, &changes).await.map_err(internal("recording component changes"))?;
    let kind = if previous.is_open() && !timeline.status.is_open() {
        EventKind::IncidentResolved
    } else {
        EventKind::IncidentUpdated
    };
    let payload = event_payload(&incident, stored(&incident.impact)?, &update, &changes);
    events::record(&txn, organization_id, kind, payload.clone(), now)
        .await
        .map_err(internal("recording the incident event"))?;
    audit::record(
        &txn,
        AuditEntry {
            organization_id: Some(organization_id),
            actor: request.author.actor(),
            action: "incident.updated",
            entity_type: "incident",
            entity_id: Some(incident.id),
            before: Some(serde_json::json!({ "status": previous })),
            after: Some(payload),
        },
        now,
    )
    .await
    .map_err(internal("auditing an incident update"))?;
    txn.commit().await.map_err(internal("committing an incident update"))?;
    if let Some(hub) = hub {
        hub.wake();
    }
    Ok(update)
}
