//! Changing what a component shows. Every change closes the component's open status interval
//! and opens a new one (the history uptime and heatmaps are computed from), and records a
//! `component.status_changed` event.

use super::entities::{
    component_status_intervals, components, incident_components, incidents, maintenance_components, maintenances,
    monitors,
};
use super::events;
use chrono::{DateTime, Utc};
use herald::{ComponentStatus, EventKind, MaintenanceStatus, derive_component_status, observed_status};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationTrait, Set,
};
use std::collections::HashMap;

/// Who changed a status; kept on the component and its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusSource {
    Manual,
    Incident,
    Maintenance,
    Monitor,
    Alert,
}

impl StatusSource {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusSource::Manual => "manual",
            StatusSource::Incident => "incident",
            StatusSource::Maintenance => "maintenance",
            StatusSource::Monitor => "monitor",
            StatusSource::Alert => "alert",
        }
    }
}

/// A status that actually changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub component_id: i64,
    pub old: ComponentStatus,
    pub new: ComponentStatus,
}

/// Sets each component (of `organization_id`; others are ignored) to its status. Components
/// already in that status are left alone. Returns the changes made.
pub async fn set(
    db: &impl ConnectionTrait,
    organization_id: i64,
    wanted: &[(i64, ComponentStatus)],
    source: StatusSource,
    now: DateTime<Utc>,
) -> Result<Vec<StatusChange>, DbErr> {
    let ids: Vec<i64> = wanted.iter().map(|(id, _)| *id).collect();
    let current: HashMap<i64, components::Model> = components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .filter(components::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|component| (component.id, component))
        .collect();
    let mut changes = Vec::new();
    for &(component_id, new) in wanted {
        let Some(component) = current.get(&component_id) else { continue };
        let old = component.status.parse().unwrap_or(ComponentStatus::NoData);
        if old == new {
            continue;
        }
        components::ActiveModel {
            id: Set(component_id),
            status: Set(new.as_str().to_owned()),
            status_source: Set(source.as_str().to_owned()),
            status_changed_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(db)
        .await?;
        component_status_intervals::Entity::update_many()
            .col_expr(component_status_intervals::Column::EndedAt, Expr::value(now))
            .filter(component_status_intervals::Column::ComponentId.eq(component_id))
            .filter(component_status_intervals::Column::EndedAt.is_null())
            .exec(db)
            .await?;
        component_status_intervals::ActiveModel {
            organization_id: Set(organization_id),
            component_id: Set(component_id),
            status: Set(new.as_str().to_owned()),
            source: Set(source.as_str().to_owned()),
            started_at: Set(now),
            ended_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        events::record(
            db,
            organization_id,
            EventKind::ComponentStatusChanged,
            serde_json::json!({
                "component": { "id": component_id, "key": component.key, "name": component.name },
                "old_status": old,
                "new_status": new,
            }),
            now,
        )
        .await?;
        changes.push(StatusChange { component_id, old, new });
    }
    Ok(changes)
}

/// Works out again what holds each component (open incidents, active maintenance, its
/// monitors' observation) and sets the status that follows from it.
pub async fn recompute(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<StatusChange>, DbErr> {
    if component_ids.is_empty() {
        return Ok(Vec::new());
    }
    let holds: Vec<(i64, String)> = incident_components::Entity::find()
        .select_only()
        .column(incident_components::Column::ComponentId)
        .column(incident_components::Column::ComponentStatus)
        .join(JoinType::InnerJoin, incident_components::Relation::Incidents.def())
        .filter(incidents::Column::ResolvedAt.is_null())
        .filter(incident_components::Column::ComponentId.is_in(component_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let active = [MaintenanceStatus::InProgress, MaintenanceStatus::Verifying].map(MaintenanceStatus::as_str);
    let maintained: Vec<i64> = maintenance_components::Entity::find()
        .select_only()
        .column(maintenance_components::Column::ComponentId)
        .join(JoinType::InnerJoin, maintenance_components::Relation::Maintenances.def())
        .filter(maintenances::Column::Status.is_in(active))
        .filter(maintenance_components::Column::ComponentId.is_in(component_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;

    let watched: Vec<(Option<i64>, String)> = monitors::Entity::find()
        .select_only()
        .column(monitors::Column::ComponentId)
        .column(monitors::Column::Status)
        .filter(monitors::Column::Paused.eq(false))
        .filter(monitors::Column::ComponentId.is_in(component_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let observed = |component_id: i64| {
        observed_status(
            watched
                .iter()
                .filter(|(id, _)| *id == Some(component_id))
                .map(|(_, status)| status.parse().unwrap_or(ComponentStatus::NoData)),
        )
    };

    let wanted: Vec<(i64, ComponentStatus, bool)> = component_ids
        .iter()
        .map(|&component_id| {
            let held = holds
                .iter()
                .filter(|(id, _)| *id == component_id)
                .filter_map(|(_, status)| status.parse::<ComponentStatus>().ok())
                // An incident that holds a component at "operational" lets go of it.
                .filter(|status| *status != ComponentStatus::Operational);
            let held: Vec<ComponentStatus> = held.collect();
            let in_maintenance = maintained.contains(&component_id);
            let observed = observed(component_id);
            let by_monitor = held.is_empty() && !in_maintenance && observed.is_some();
            (component_id, derive_component_status(held, in_maintenance, observed), by_monitor)
        })
        .collect();
    let source = |status: ComponentStatus, by_monitor: bool| match status {
        _ if by_monitor => StatusSource::Monitor,
        ComponentStatus::UnderMaintenance => StatusSource::Maintenance,
        ComponentStatus::Operational => StatusSource::Manual,
        _ => StatusSource::Incident,
    };
    let mut changes = Vec::new();
    for (component_id, status, by_monitor) in wanted {
        changes.extend(set(db, organization_id, &[(component_id, status)], source(status, by_monitor), now).await?);
    }
    Ok(changes)
}
