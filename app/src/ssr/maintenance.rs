//! Maintenance transitions, by hand or on schedule. Starting puts the covered components under
//! maintenance; completing gives them back whatever else still holds them.

use super::component_status;
use super::entities::{maintenance_components, maintenance_updates, maintenances};
use super::hub::Hub;
use super::incidents::Author;
use super::repositories::audit::{self, AuditEntry};
use super::repositories::{begin_write, stored};
use super::{events, internal};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{AutoTransitions, EventKind, MaintenanceStatus, MaintenanceWindow, due_transition};
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

/// Which maintenance to move where, and who says so.
pub struct Transition<'a> {
    pub organization_id: i64,
    pub maintenance_id: i64,
    pub next: MaintenanceStatus,
    /// Posted as the maintenance's update; without one the timeline shows the status alone.
    pub message: Option<String>,
    pub author: &'a Author,
}

/// Moves one maintenance to `next`. Refused transitions and maintenance of other
/// organizations are errors; a concurrent change (another replica's scheduler) wins and this
/// one reports a conflict.
pub async fn transition(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    request: Transition<'_>,
    now: DateTime<Utc>,
) -> Result<maintenances::Model, AppError> {
    let Transition { organization_id, maintenance_id, next, message, author } = request;
    let txn = begin_write(db).await.map_err(internal("starting a maintenance transaction"))?;
    let maintenance = maintenances::Entity::find_by_id(maintenance_id)
        .filter(maintenances::Column::OrganizationId.eq(organization_id))
        .one(&txn)
        .await
        .map_err(internal("loading a maintenance"))?
        .ok_or_else(|| AppError::NotFound("There is no such maintenance.".into()))?;
    let current: MaintenanceStatus = stored(&maintenance.status)?;
    current.check_transition(next).map_err(|error| AppError::invalid("status", error.to_string()))?;

    let mut change = maintenances::Entity::update_many()
        .col_expr(maintenances::Column::Status, Expr::value(next.as_str()))
        .col_expr(maintenances::Column::UpdatedAt, Expr::value(now))
        .col_expr(maintenances::Column::Version, Expr::col(maintenances::Column::Version).add(1));
    match next {
        MaintenanceStatus::InProgress if maintenance.started_at.is_none() => {
            change = change.col_expr(maintenances::Column::StartedAt, Expr::value(now));
        }
        MaintenanceStatus::Completed => change = change.col_expr(maintenances::Column::CompletedAt, Expr::value(now)),
        MaintenanceStatus::Cancelled => change = change.col_expr(maintenances::Column::CancelledAt, Expr::value(now)),
        _ => {}
    }
    let updated = change
        .filter(maintenances::Column::Id.eq(maintenance.id))
        .filter(maintenances::Column::Status.eq(current.as_str()))
        .exec(&txn)
        .await
        .map_err(internal("moving a maintenance"))?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict("This maintenance was changed meanwhile; reload and try again.".into()));
    }

    post_update(&txn, organization_id, maintenance.id, next, message.unwrap_or_default(), author, now)
        .await
        .map_err(internal("writing a maintenance update"))?;

    let component_ids: Vec<i64> = maintenance_components::Entity::find()
        .select_only()
        .column(maintenance_components::Column::ComponentId)
        .filter(maintenance_components::Column::MaintenanceId.eq(maintenance.id))
        .into_tuple()
        .all(&txn)
        .await
        .map_err(internal("loading a maintenance's components"))?;
    component_status::recompute(&txn, organization_id, &component_ids, now)
        .await
        .map_err(internal("setting component statuses"))?;
    let kind = match next {
        MaintenanceStatus::InProgress | MaintenanceStatus::Verifying => EventKind::MaintenanceStarted,
        MaintenanceStatus::Completed => EventKind::MaintenanceCompleted,
        MaintenanceStatus::Cancelled => EventKind::MaintenanceCancelled,
        MaintenanceStatus::Scheduled => EventKind::MaintenanceScheduled,
    };
    events::record(
        &txn,
        organization_id,
        kind,
        serde_json::json!({ "maintenance": { "id": maintenance.id, "name": maintenance.name, "status": next, "previous_status": current } }),
        now,
    )
    .await
    .map_err(internal("recording a maintenance event"))?;
    audit::record(
        &txn,
        AuditEntry {
            organization_id: Some(organization_id),
            actor: author.actor(),
            action: &format!("maintenance.{}", next.as_str()),
            entity_type: "maintenance",
            entity_id: Some(maintenance.id),
            before: Some(serde_json::json!({ "status": current })),
            after: Some(serde_json::json!({ "status": next })),
        },
        now,
    )
    .await
    .map_err(internal("auditing a maintenance transition"))?;
    txn.commit().await.map_err(internal("committing a maintenance transition"))?;
    if let Some(hub) = hub {
        hub.wake();
    }
    let mut model = maintenance;
    model.status = next.as_str().to_owned();
    Ok(model)
}

/// Adds a row to a maintenance's timeline, posted now.
pub(crate) async fn post_update(
    db: &impl ConnectionTrait,
    organization_id: i64,
    maintenance_id: i64,
    status: MaintenanceStatus,
    body: String,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<maintenance_updates::Model, sea_orm::DbErr> {
    maintenance_updates::ActiveModel {
        organization_id: Set(organization_id),
        maintenance_id: Set(maintenance_id),
        status: Set(status.as_str().to_owned()),
        body: Set(body),
        notify_subscribers: Set(true),
        created_by_user_id: Set(author.user_id),
        created_by_label: Set(Some(author.label.clone())),
        display_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// One pass of the scheduler: starts and completes every maintenance whose time has come.
/// Returns how many transitions it made.
pub async fn run_scheduler_once(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let due = maintenances::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(maintenances::Column::Status.eq(MaintenanceStatus::Scheduled.as_str()))
                        .add(maintenances::Column::AutoStart.eq(true))
                        .add(maintenances::Column::ScheduledStart.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(
                            maintenances::Column::Status
                                .is_in([MaintenanceStatus::InProgress.as_str(), MaintenanceStatus::Verifying.as_str()]),
                        )
                        .add(maintenances::Column::AutoComplete.eq(true))
                        .add(maintenances::Column::ScheduledEnd.lte(now)),
                ),
        )
        .limit(500)
        .all(db)
        .await
        .map_err(internal("finding due maintenance"))?;
    let scheduler = Author::system("Scheduler");
    let mut transitions = 0;
    for maintenance in due {
        let Ok(window) = MaintenanceWindow::new(maintenance.scheduled_start, maintenance.scheduled_end) else {
            continue;
        };
        let auto = AutoTransitions { auto_start: maintenance.auto_start, auto_complete: maintenance.auto_complete };
        let mut status: MaintenanceStatus = stored(&maintenance.status)?;
        // A window missed while Herald was down takes both steps, each recorded.
        while let Some(next) = due_transition(status, &window, auto, now) {
            match transition(
                db,
                hub,
                Transition {
                    organization_id: maintenance.organization_id,
                    maintenance_id: maintenance.id,
                    next,
                    message: None,
                    author: &scheduler,
                },
                now,
            )
            .await
            {
                Ok(_) => {
                    transitions += 1;
                    status = next;
                }
                // Another replica got there first.
                Err(AppError::Conflict(_)) => break,
                Err(error) => return Err(error),
            }
        }
    }
    Ok(transitions)
}

/// Records a `maintenance.reminder` event for each scheduled maintenance starting within
/// `before`, once (the claim on `reminder_sent_at` makes it once across replicas; rescheduling
/// clears it). Returns how many reminders were recorded.
pub async fn emit_reminders(
    db: &DatabaseConnection,
    before: chrono::TimeDelta,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let due = maintenances::Entity::find()
        .filter(maintenances::Column::Status.eq(MaintenanceStatus::Scheduled.as_str()))
        .filter(maintenances::Column::ReminderSentAt.is_null())
        .filter(maintenances::Column::ScheduledStart.gt(now))
        .filter(maintenances::Column::ScheduledStart.lte(now + before))
        .limit(500)
        .all(db)
        .await
        .map_err(internal("finding maintenance to remind of"))?;
    let mut reminded = 0;
    for maintenance in due {
        let txn = begin_write(db).await.map_err(internal("starting a reminder"))?;
        let claimed = maintenances::Entity::update_many()
            .col_expr(maintenances::Column::ReminderSentAt, Expr::value(now))
            .filter(maintenances::Column::Id.eq(maintenance.id))
            .filter(maintenances::Column::ReminderSentAt.is_null())
            .filter(maintenances::Column::Status.eq(MaintenanceStatus::Scheduled.as_str()))
            .exec(&txn)
            .await
            .map_err(internal("claiming a reminder"))?;
        if claimed.rows_affected == 1 {
            events::record(
                &txn,
                maintenance.organization_id,
                EventKind::MaintenanceReminder,
                serde_json::json!({ "maintenance": { "id": maintenance.id, "name": maintenance.name, "status": MaintenanceStatus::Scheduled, "scheduled_start": maintenance.scheduled_start, "scheduled_end": maintenance.scheduled_end } }),
                now,
            )
            .await
            .map_err(internal("recording a maintenance reminder"))?;
            reminded += 1;
        }
        txn.commit().await.map_err(internal("committing a reminder"))?;
    }
    Ok(reminded)
}
