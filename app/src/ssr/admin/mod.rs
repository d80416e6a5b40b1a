//! The use cases behind the admin REST API (and, as it lands, the dashboard): every function
//! takes the [`Caller`], checks its permission first, stays inside the caller's organization,
//! writes in one transaction and records who changed what in the audit log.

pub mod audit_log;
pub mod checks;
pub mod components;
pub mod groups;
pub mod incidents;
pub mod maintenance;
pub mod members;
pub mod notification_log;
pub mod ordering;
pub mod organization;
pub mod subscriber_lists;
pub mod subscribers;
pub mod templates;

use super::caller::Caller;
use super::entities::components as component_rows;
use super::events;
use super::hub::Hub;
use super::internal;
use super::repositories::audit::{self, AuditEntry};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{EventKind, PageRequest};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Deserializer, Serialize};

/// One page of a list, with what is needed to ask for the next.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Paged<T> {
    pub data: Vec<T>,
    pub pagination: Pagination,
}

#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Pagination {
    pub limit: u64,
    pub offset: u64,
    /// Rows matching the filter, on all pages.
    pub total: u64,
    /// Pass as `offset` for the next page; absent on the last one.
    pub next_offset: Option<u64>,
}

impl<T> Paged<T> {
    pub fn new(data: Vec<T>, page: PageRequest, total: u64) -> Paged<T> {
        Paged {
            data,
            pagination: Pagination {
                limit: page.limit,
                offset: page.offset,
                total,
                next_offset: page.next_offset(total),
            },
        }
    }
}

/// For PATCH bodies: a field that is absent stays as it is, `null` clears it, a value sets it.
pub fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// An optimistic-concurrency check: the client says which version it edited.
pub fn check_version(expected: Option<i32>, current: i32, what: &str) -> Result<(), AppError> {
    match expected {
        Some(expected) if expected != current => Err(AppError::Conflict(format!(
            "This {what} was changed by someone else meanwhile (it is now version {current}, you edited version {expected}); reload it and try again."
        ))),
        _ => Ok(()),
    }
}

/// Optional free text: trimmed, empty means none, bounded.
pub fn optional_text(field: &str, text: Option<String>, max_chars: usize) -> Result<Option<String>, AppError> {
    let Some(text) = text else { return Ok(None) };
    let text = text.trim();
    if text.chars().count() > max_chars {
        return Err(AppError::invalid(field, format!("This may have at most {max_chars} characters.")));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// The one place an admin change is written to the audit log.
pub(crate) async fn record_audit(
    db: &impl ConnectionTrait,
    caller: &Caller,
    action: &str,
    entity: (&str, i64),
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit::record(
        db,
        AuditEntry {
            organization_id: Some(caller.organization_id),
            actor: caller.actor(),
            action,
            entity_type: entity.0,
            entity_id: Some(entity.1),
            before,
            after,
        },
        now,
    )
    .await
    .map_err(internal("writing the audit log"))
}

/// Components and groups shape the public page: tell the page (and other replicas) to rebuild.
pub(crate) async fn page_changed(
    db: &impl ConnectionTrait,
    caller: &Caller,
    what: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    events::record(db, caller.organization_id, EventKind::PageChanged, serde_json::json!({ "changed": what }), now)
        .await
        .map(|_| ())
        .map_err(internal("recording a page change"))
}

/// A unique index said no: which field it was about, in words.
pub(crate) fn unique_or_internal(
    field: &'static str,
    message: &'static str,
    doing: &'static str,
) -> impl FnOnce(DbErr) -> AppError {
    move |error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::invalid(field, message),
        _ => internal(doing)(error),
    }
}

/// The given component ids, without repeats, once each is known to be the caller's.
pub(crate) async fn owned_components(
    db: &impl ConnectionTrait,
    caller: &Caller,
    component_ids: &[i64],
    field: &str,
) -> Result<Vec<i64>, AppError> {
    let mut ids = component_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let found = component_rows::Entity::find()
        .filter(component_rows::Column::OrganizationId.eq(caller.organization_id))
        .filter(component_rows::Column::Id.is_in(ids.clone()))
        .count(db)
        .await
        .map_err(internal("checking components"))?;
    if found != ids.len() as u64 {
        return Err(AppError::invalid(field, "One of the chosen components does not exist."));
    }
    Ok(ids)
}

/// Commits, then tells this server's live pages and caches to look at the change now.
pub(crate) async fn commit_and_wake(
    txn: DatabaseTransaction,
    hub: Option<&Hub>,
    doing: &'static str,
) -> Result<(), AppError> {
    txn.commit().await.map_err(internal(doing))?;
    if let Some(hub) = hub {
        hub.wake();
    }
    Ok(())
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}
