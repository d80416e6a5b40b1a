//! The outbox's life cycle: claiming due deliveries under a lease (so replicas never send the
//! same row at once and a dead worker's rows come back), and recording each outcome the moment
//! it is known, so a restart resends nothing already sent.

use super::super::entities::{notification_outbox, subscribers};
use super::super::errors::internal;
use super::super::repositories::audit::{self, Actor, AuditEntry};
use super::state;
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::AfterFailure;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// How long a claimed delivery is a worker's before another may take it over: well beyond a
/// whole batch (two waves of the worker's concurrency, each attempt at most 30 s), so a slow
/// receiver never lets a second replica send what the first is still sending.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);

/// A claimed delivery and whom it goes to.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: notification_outbox::Model,
    pub subscriber: subscribers::Model,
}

fn due(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(notification_outbox::Column::State.is_in([state::PENDING, state::FAILED]))
                .add(notification_outbox::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(notification_outbox::Column::State.eq(state::SENDING))
                .add(notification_outbox::Column::LockedUntil.lt(now)),
        )
}

/// Takes up to `limit` due deliveries; each claim counts as an attempt, so a delivery that
/// crashes its worker every time still ends up dead instead of looping.
pub async fn claim(db: &DatabaseConnection, now: DateTime<Utc>, limit: u64) -> Result<Vec<Claimed>, AppError> {
    let ids: Vec<i64> = notification_outbox::Entity::find()
        .select_only()
        .column(notification_outbox::Column::Id)
        .filter(due(now))
        .order_by_asc(notification_outbox::Column::NextAttemptAt)
        .order_by_asc(notification_outbox::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("finding due deliveries"))?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let claimed = notification_outbox::Entity::update_many()
        .col_expr(notification_outbox::Column::State, Expr::value(state::SENDING))
        .col_expr(notification_outbox::Column::LockedUntil, Expr::value(now + LEASE))
        .col_expr(notification_outbox::Column::Attempts, Expr::col(notification_outbox::Column::Attempts).add(1))
        .filter(notification_outbox::Column::Id.is_in(ids))
        .filter(due(now))
        .exec_with_returning(db)
        .await
        .map_err(internal("claiming deliveries"))?;
    let subscriber_ids: Vec<i64> = claimed.iter().map(|row| row.subscriber_id).collect();
    let subscribers = subscribers::Entity::find()
        .filter(subscribers::Column::Id.is_in(subscriber_ids))
        .all(db)
        .await
        .map_err(internal("loading the subscribers of claimed deliveries"))?;
    let mut result: Vec<Claimed> = claimed
        .into_iter()
        .filter_map(|delivery| {
            let subscriber = subscribers.iter().find(|s| s.id == delivery.subscriber_id)?.clone();
            Some(Claimed { delivery, subscriber })
        })
        .collect();
    result.sort_by_key(|claimed| claimed.delivery.id);
    Ok(result)
}

/// Records a delivery as sent. Only the worker holding the claim records it: if the lease ran
/// out and someone else took the row over, their outcome stands.
pub async fn mark_sent(
    db: &DatabaseConnection,
    delivery: &notification_outbox::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notification_outbox::Entity::update_many()
        .col_expr(notification_outbox::Column::State, Expr::value(state::SENT))
        .col_expr(notification_outbox::Column::SentAt, Expr::value(now))
        .col_expr(notification_outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(notification_outbox::Column::LastError, Expr::value(Option::<String>::None))
        .filter(notification_outbox::Column::Id.eq(delivery.id))
        .filter(notification_outbox::Column::State.eq(state::SENDING))
        .exec(db)
        .await
        .map_err(internal("recording a delivery as sent"))?;
    Ok(())
}

/// After a batch: the subscribers reached are healthy again.
pub async fn note_reached(db: &DatabaseConnection, subscriber_ids: &[i64], now: DateTime<Utc>) -> Result<(), AppError> {
    if subscriber_ids.is_empty() {
        return Ok(());
    }
    subscribers::Entity::update_many()
        .col_expr(subscribers::Column::LastDeliveryAt, Expr::value(now))
        .col_expr(subscribers::Column::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(subscribers::Column::Id.is_in(subscriber_ids.iter().copied()))
        .exec(db)
        .await
        .map_err(internal("noting reached subscribers"))?;
    Ok(())
}

/// How an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong, for the delivery log: "HTTP 503", "connection refused", "550 no such user".
    pub reason: String,
    /// The receiver refused the message itself: trying again would not help.
    pub permanent: bool,
}

/// Records a failed attempt: scheduled again with back-off, or dead after the last; a
/// subscriber failing for days is disabled and the organization told (in its audit log).
pub async fn mark_failed(
    db: &DatabaseConnection,
    claimed: &Claimed,
    failure: &Failure,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let delivery = &claimed.delivery;
    let attempts = u32::try_from(delivery.attempts).unwrap_or(u32::MAX);
    let mut update = notification_outbox::Entity::update_many()
        .col_expr(notification_outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(notification_outbox::Column::LastError, Expr::value(truncate(&failure.reason, 1000)));
    update = match herald::after_failure(attempts, failure.permanent, now) {
        AfterFailure::RetryAt(at) => update
            .col_expr(notification_outbox::Column::State, Expr::value(state::FAILED))
            .col_expr(notification_outbox::Column::NextAttemptAt, Expr::value(at)),
        AfterFailure::GiveUp => update.col_expr(notification_outbox::Column::State, Expr::value(state::DEAD)),
    };
    update
        .filter(notification_outbox::Column::Id.eq(delivery.id))
        .filter(notification_outbox::Column::State.eq(state::SENDING))
        .exec(db)
        .await
        .map_err(internal("recording a failed delivery"))?;

    let subscriber = &claimed.subscriber;
    let failing_since = subscriber.failing_since.unwrap_or(now);
    if herald::should_disable(Some(failing_since), now) && subscriber.disabled_at.is_none() {
        disable(
            db,
            subscriber,
            &format!("Deliveries have failed since {}: {}", failing_since.format("%Y-%m-%d %H:%M UTC"), failure.reason),
            now,
        )
        .await?;
    } else if subscriber.failing_since.is_none() {
        subscribers::Entity::update_many()
            .col_expr(subscribers::Column::FailingSince, Expr::value(now))
            .filter(subscribers::Column::Id.eq(subscriber.id))
            .filter(subscribers::Column::FailingSince.is_null())
            .exec(db)
            .await
            .map_err(internal("noting a failing subscriber"))?;
    }
    Ok(())
}

/// Gives up on a delivery without sending it (its subscriber is disabled or its event gone).
pub async fn mark_dropped(
    db: &DatabaseConnection,
    delivery: &notification_outbox::Model,
    reason: &str,
) -> Result<(), AppError> {
    notification_outbox::Entity::update_many()
        .col_expr(notification_outbox::Column::State, Expr::value(state::DEAD))
        .col_expr(notification_outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(notification_outbox::Column::LastError, Expr::value(reason))
        .filter(notification_outbox::Column::Id.eq(delivery.id))
        .exec(db)
        .await
        .map_err(internal("dropping a delivery"))?;
    Ok(())
}

async fn disable(
    db: &DatabaseConnection,
    subscriber: &subscribers::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn =
        super::super::repositories::begin_write(db).await.map_err(internal("starting to disable a subscriber"))?;
    let changed = subscribers::Entity::update_many()
        .col_expr(subscribers::Column::DisabledAt, Expr::value(now))
        .col_expr(subscribers::Column::DisabledReason, Expr::value(reason))
        .filter(subscribers::Column::Id.eq(subscriber.id))
        .filter(subscribers::Column::DisabledAt.is_null())
        .exec(&txn)
        .await
        .map_err(internal("disabling a subscriber"))?;
    if changed.rows_affected == 1 {
        // Nothing more goes to it until someone fixes it and subscribes it again.
        notification_outbox::Entity::update_many()
            .col_expr(notification_outbox::Column::State, Expr::value(state::DEAD))
            .col_expr(notification_outbox::Column::LastError, Expr::value("The subscriber was disabled."))
            .filter(notification_outbox::Column::SubscriberId.eq(subscriber.id))
            .filter(notification_outbox::Column::State.is_in([state::PENDING, state::FAILED]))
            .exec(&txn)
            .await
            .map_err(internal("dropping a disabled subscriber's deliveries"))?;
        audit::record(
            &txn,
            AuditEntry {
                organization_id: Some(subscriber.organization_id),
                actor: Actor::System("Herald notifications"),
                action: "subscriber.disabled",
                entity_type: "subscriber",
                entity_id: Some(subscriber.id),
                before: None,
                after: Some(
                    serde_json::json!({ "channel": subscriber.channel, "target": subscriber.target, "reason": reason }),
                ),
            },
            now,
        )
        .await
        .map_err(internal("auditing a disabled subscriber"))?;
    }
    txn.commit().await.map_err(internal("committing a disabled subscriber"))?;
    Ok(())
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// Counts per state, for `/metrics` and the dashboard.
pub async fn counts(db: &DatabaseConnection, organization_id: Option<i64>) -> Result<Vec<(String, i64)>, AppError> {
    let mut query = notification_outbox::Entity::find()
        .select_only()
        .column(notification_outbox::Column::State)
        .column_as(notification_outbox::Column::Id.count(), "count")
        .group_by(notification_outbox::Column::State);
    if let Some(organization_id) = organization_id {
        query = query.filter(notification_outbox::Column::OrganizationId.eq(organization_id));
    }
    query.into_tuple().all(db).await.map_err(internal("counting deliveries"))
}

/// Deletes sent and dead deliveries finished before `before` (their log has served its time).
pub async fn purge_finished(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, AppError> {
    let removed = notification_outbox::Entity::delete_many()
        .filter(notification_outbox::Column::State.is_in([state::SENT, state::DEAD]))
        .filter(notification_outbox::Column::CreatedAt.lt(before))
        .exec(db)
        .await
        .map_err(internal("removing old deliveries"))?;
    Ok(removed.rows_affected)
}

/// A new outbox row, due now. Every delivery is queued through this, so they all start alike.
pub fn queued(
    subscriber: (i64, i64, &str),
    event_id: Option<i64>,
    purpose: &str,
    idempotency_key: String,
    payload: Option<serde_json::Value>,
    now: DateTime<Utc>,
) -> notification_outbox::ActiveModel {
    let (organization_id, subscriber_id, channel) = subscriber;
    notification_outbox::ActiveModel {
        organization_id: sea_orm::Set(organization_id),
        event_id: sea_orm::Set(event_id),
        subscriber_id: sea_orm::Set(subscriber_id),
        channel: sea_orm::Set(channel.to_owned()),
        purpose: sea_orm::Set(purpose.to_owned()),
        idempotency_key: sea_orm::Set(idempotency_key),
        state: sea_orm::Set(state::PENDING.to_owned()),
        attempts: sea_orm::Set(0),
        next_attempt_at: sea_orm::Set(now),
        locked_until: sea_orm::Set(None),
        last_error: sea_orm::Set(None),
        payload: sea_orm::Set(payload),
        created_at: sea_orm::Set(now),
        sent_at: sea_orm::Set(None),
        ..Default::default()
    }
}
