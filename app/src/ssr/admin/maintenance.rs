//! Scheduled maintenance through the admin API: list, read, schedule, reschedule, and start,
//! complete or cancel by hand (the scheduler does the same on time by itself).

use super::{Paged, check_version, commit_and_wake, owned_components, record_audit, to_json};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::{maintenance_components, maintenance_updates, maintenances};
use crate::ssr::hub::Hub;
use crate::ssr::incidents::MAX_MESSAGE_CHARS;
use crate::ssr::maintenance::{self as transitions, Transition};
use crate::ssr::repositories::{begin_write, stored};
use crate::ssr::{events, internal};
use chrono::{DateTime, Utc};
use herald::{EventKind, MaintenanceStatus, MaintenanceWindow, PageRequest, Permission, Title};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MaintenanceView {
    pub id: i64,
    pub name: String,
    pub status: MaintenanceStatus,
    pub scheduled_start: DateTime<Utc>,
    pub scheduled_end: DateTime<Utc>,
    /// Starts by itself at the scheduled start.
    pub auto_start: bool,
    /// Completes by itself at the scheduled end.
    pub auto_complete: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub component_ids: Vec<i64>,
    /// Oldest first.
    pub updates: Vec<MaintenanceUpdateView>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MaintenanceUpdateView {
    pub id: i64,
    pub status: MaintenanceStatus,
    pub body: String,
    pub author: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceState {
    /// Scheduled, not started.
    Upcoming,
    /// In progress or verifying.
    Active,
    /// Completed or cancelled.
    Finished,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MaintenanceFilter {
    #[param(inline)]
    pub state: Option<MaintenanceState>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMaintenance {
    pub name: String,
    /// What will happen and what users will notice (Markdown).
    pub message: String,
    pub scheduled_start: DateTime<Utc>,
    pub scheduled_end: DateTime<Utc>,
    pub component_ids: Vec<i64>,
    /// Default true.
    #[serde(default)]
    pub auto_start: Option<bool>,
    /// Default true.
    #[serde(default)]
    pub auto_complete: Option<bool>,
}

/// Only a maintenance that has not started can be rescheduled.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceChanges {
    pub name: Option<String>,
    pub scheduled_start: Option<DateTime<Utc>>,
    pub scheduled_end: Option<DateTime<Utc>>,
    pub component_ids: Option<Vec<i64>>,
    pub auto_start: Option<bool>,
    pub auto_complete: Option<bool>,
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceTransition {
    /// Posted on the maintenance's timeline.
    #[serde(default)]
    pub message: Option<String>,
}

async fn find(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<maintenances::Model, AppError> {
    maintenances::Entity::find_by_id(id)
        .filter(maintenances::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("loading a maintenance"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no maintenance {id}.")))
}

async fn view(db: &impl ConnectionTrait, row: maintenances::Model) -> Result<MaintenanceView, AppError> {
    let component_ids: Vec<i64> = maintenance_components::Entity::find()
        .select_only()
        .column(maintenance_components::Column::ComponentId)
        .filter(maintenance_components::Column::MaintenanceId.eq(row.id))
        .order_by_asc(maintenance_components::Column::ComponentId)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading a maintenance's components"))?;
    let updates = maintenance_updates::Entity::find()
        .filter(maintenance_updates::Column::MaintenanceId.eq(row.id))
        .order_by_asc(maintenance_updates::Column::DisplayAt)
        .order_by_asc(maintenance_updates::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading a maintenance's updates"))?;
    Ok(MaintenanceView {
        status: stored(&row.status)?,
        updates: updates
            .into_iter()
            .map(|update| {
                Ok(MaintenanceUpdateView {
                    status: stored(&update.status)?,
                    id: update.id,
                    body: update.body,
                    author: update.created_by_label,
                    at: update.display_at,
                })
            })
            .collect::<Result<_, AppError>>()?,
        id: row.id,
        name: row.name,
        scheduled_start: row.scheduled_start,
        scheduled_end: row.scheduled_end,
        auto_start: row.auto_start,
        auto_complete: row.auto_complete,
        started_at: row.started_at,
        completed_at: row.completed_at,
        cancelled_at: row.cancelled_at,
        component_ids,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

async fn link_components(
    db: &impl ConnectionTrait,
    caller: &Caller,
    maintenance_id: i64,
    component_ids: &[i64],
) -> Result<(), AppError> {
    let ids = owned_components(db, caller, component_ids, "component_ids").await?;
    if ids.is_empty() {
        return Err(AppError::invalid("component_ids", "Choose at least one component the maintenance covers."));
    }
    maintenance_components::Entity::delete_many()
        .filter(maintenance_components::Column::MaintenanceId.eq(maintenance_id))
        .exec(db)
        .await
        .map_err(internal("clearing a maintenance's components"))?;
    for component_id in ids {
        maintenance_components::ActiveModel { maintenance_id: Set(maintenance_id), component_id: Set(component_id) }
            .insert(db)
            .await
            .map_err(internal("linking a maintenance's component"))?;
    }
    Ok(())
}

fn window(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<MaintenanceWindow, AppError> {
    MaintenanceWindow::new(start, end).map_err(|error| AppError::invalid("scheduled_end", error.to_string()))
}

fn title(name: &str) -> Result<String, AppError> {
    Title::parse(name).map(Title::into_string).map_err(|error| AppError::invalid("name", error.to_string()))
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: MaintenanceFilter,
) -> Result<Paged<MaintenanceView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let mut query =
        maintenances::Entity::find().filter(maintenances::Column::OrganizationId.eq(caller.organization_id));
    let statuses: &[MaintenanceStatus] = match filter.state {
        Some(MaintenanceState::Upcoming) => &[MaintenanceStatus::Scheduled],
        Some(MaintenanceState::Active) => &[MaintenanceStatus::InProgress, MaintenanceStatus::Verifying],
        Some(MaintenanceState::Finished) => &[MaintenanceStatus::Completed, MaintenanceStatus::Cancelled],
        None => MaintenanceStatus::ALL,
    };
    query = query.filter(maintenances::Column::Status.is_in(statuses.iter().map(|status| status.as_str())));
    let total = query.clone().count(db).await.map_err(internal("counting maintenance"))?;
    let rows = query
        .order_by_desc(maintenances::Column::ScheduledStart)
        .order_by_desc(maintenances::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing maintenance"))?;
    let mut data = Vec::with_capacity(rows.len());
    for row in rows {
        data.push(view(db, row).await?);
    }
    Ok(Paged::new(data, page, total))
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<MaintenanceView, AppError> {
    caller.may_read(Permission::Read)?;
    view(db, find(db, caller, id).await?).await
}

pub async fn schedule(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    new: NewMaintenance,
    now: DateTime<Utc>,
) -> Result<MaintenanceView, AppError> {
    caller.may_change(Permission::Edit)?;
    let name = title(&new.name)?;
    let message = new.message.trim().to_owned();
    if message.is_empty() || message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::invalid(
            "message",
            format!("Say what will happen, in 1 to {MAX_MESSAGE_CHARS} characters."),
        ));
    }
    let window = window(new.scheduled_start, new.scheduled_end)?;
    if window.end() <= now {
        return Err(AppError::invalid(
            "scheduled_end",
            "This window is already over; schedule one that ends in the future.",
        ));
    }
    let author = caller.author();
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let row = maintenances::ActiveModel {
        organization_id: Set(caller.organization_id),
        name: Set(name),
        status: Set(MaintenanceStatus::Scheduled.as_str().to_owned()),
        scheduled_start: Set(window.start()),
        scheduled_end: Set(window.end()),
        auto_start: Set(new.auto_start.unwrap_or(true)),
        auto_complete: Set(new.auto_complete.unwrap_or(true)),
        started_at: Set(None),
        completed_at: Set(None),
        cancelled_at: Set(None),
        reminder_sent_at: Set(None),
        created_by_user_id: Set(author.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal("scheduling a maintenance"))?;
    link_components(&txn, caller, row.id, &new.component_ids).await?;
    transitions::post_update(&txn, caller.organization_id, row.id, MaintenanceStatus::Scheduled, message, &author, now)
        .await
        .map_err(internal("writing a maintenance's first update"))?;
    let created = view(&txn, row).await?;
    events::record(
        &txn,
        caller.organization_id,
        EventKind::MaintenanceScheduled,
        serde_json::json!({ "maintenance": { "id": created.id, "name": created.name, "status": created.status, "scheduled_start": created.scheduled_start, "scheduled_end": created.scheduled_end } }),
        now,
    )
    .await
    .map_err(internal("recording a maintenance event"))?;
    record_audit(&txn, caller, "maintenance.scheduled", ("maintenance", created.id), None, to_json(&created), now)
        .await?;
    commit_and_wake(txn, hub, "committing a maintenance").await?;
    Ok(created)
}

pub async fn reschedule(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    changes: MaintenanceChanges,
    now: DateTime<Utc>,
) -> Result<MaintenanceView, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    check_version(changes.version, current.version, "maintenance")?;
    if stored::<MaintenanceStatus>(&current.status)? != MaintenanceStatus::Scheduled {
        return Err(AppError::Conflict(
            "Only a maintenance that has not started can be changed; complete or post an update instead.".into(),
        ));
    }
    let before = view(&txn, current.clone()).await?;
    let window = window(
        changes.scheduled_start.unwrap_or(current.scheduled_start),
        changes.scheduled_end.unwrap_or(current.scheduled_end),
    )?;
    let mut row = maintenances::ActiveModel {
        id: Set(current.id),
        scheduled_start: Set(window.start()),
        scheduled_end: Set(window.end()),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(title(name)?);
    }
    if let Some(auto_start) = changes.auto_start {
        row.auto_start = Set(auto_start);
    }
    if let Some(auto_complete) = changes.auto_complete {
        row.auto_complete = Set(auto_complete);
    }
    // Moving the window means the "starting soon" reminder is due again.
    if window.start() != current.scheduled_start {
        row.reminder_sent_at = Set(None);
    }
    let row = row.update(&txn).await.map_err(internal("rescheduling a maintenance"))?;
    if let Some(component_ids) = &changes.component_ids {
        link_components(&txn, caller, id, component_ids).await?;
    }
    let after = view(&txn, row).await?;
    events::record(
        &txn,
        caller.organization_id,
        EventKind::MaintenanceScheduled,
        serde_json::json!({ "maintenance": { "id": after.id, "name": after.name, "status": after.status, "scheduled_start": after.scheduled_start, "scheduled_end": after.scheduled_end, "rescheduled": true } }),
        now,
    )
    .await
    .map_err(internal("recording a maintenance event"))?;
    record_audit(&txn, caller, "maintenance.rescheduled", ("maintenance", id), to_json(&before), to_json(&after), now)
        .await?;
    commit_and_wake(txn, hub, "committing a rescheduled maintenance").await?;
    Ok(after)
}

/// Start, complete or cancel by hand.
pub async fn move_to(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    next: MaintenanceStatus,
    request: MaintenanceTransition,
    now: DateTime<Utc>,
) -> Result<MaintenanceView, AppError> {
    caller.may_change(Permission::Edit)?;
    let message = request.message.map(|message| message.trim().to_owned()).filter(|message| !message.is_empty());
    if message.as_ref().is_some_and(|message| message.chars().count() > MAX_MESSAGE_CHARS) {
        return Err(AppError::invalid(
            "message",
            format!("A message may have at most {MAX_MESSAGE_CHARS} characters."),
        ));
    }
    let author = caller.author();
    transitions::transition(
        db,
        hub,
        Transition { organization_id: caller.organization_id, maintenance_id: id, next, message, author: &author },
        now,
    )
    .await?;
    get(db, caller, id).await
}
