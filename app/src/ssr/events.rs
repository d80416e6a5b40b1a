//! Recording what happened. Every change to an organization's public state writes an event in
//! the same transaction, so the live page, notifications and other replicas can never see the
//! change without the event or the event without the change.

use super::entities::events;
use chrono::{DateTime, Utc};
use herald::EventKind;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseBackend, DbErr, Set};

/// The PostgreSQL channel replicas listen on; a notification only says "read the events".
pub const NOTIFY_CHANNEL: &str = "herald_events";

pub async fn record(
    db: &impl ConnectionTrait,
    organization_id: i64,
    kind: EventKind,
    payload: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let event = events::ActiveModel {
        organization_id: Set(organization_id),
        kind: Set(kind.as_str().to_owned()),
        payload: Set(payload),
        occurred_at: Set(now),
        // Events nobody is told about need no fan-out.
        fanned_out_at: Set((!kind.is_notifiable()).then_some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // Delivered when (and only if) the transaction commits.
        db.execute_unprepared(&format!("NOTIFY {NOTIFY_CHANNEL}")).await?;
    }
    Ok(event.id)
}
