//! The audit log, newest first, for Admins: who changed what, when, from what to what.

use super::Paged;
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::audit_log;
use crate::ssr::internal;
use chrono::{DateTime, Utc};
use herald::{PageRequest, Permission};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Who it was, as named at the time (an email, "API token …", "Scheduler").
    pub actor: String,
    pub actor_user_id: Option<i64>,
    pub actor_api_token_id: Option<i64>,
    /// What happened, such as incident.created or component.updated.
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Such as incident, component, maintenance, template, group, api_token.
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    /// Such as incident.created.
    pub action: Option<String>,
    pub actor_user_id: Option<i64>,
    pub actor_api_token_id: Option<i64>,
    /// At or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: AuditFilter,
) -> Result<Paged<AuditEntryView>, AppError> {
    caller.may_read(Permission::Administer)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let mut query = audit_log::Entity::find().filter(audit_log::Column::OrganizationId.eq(caller.organization_id));
    if let Some(entity_type) = &filter.entity_type {
        query = query.filter(audit_log::Column::EntityType.eq(entity_type.as_str()));
    }
    if let Some(entity_id) = filter.entity_id {
        query = query.filter(audit_log::Column::EntityId.eq(entity_id));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::Column::Action.eq(action.as_str()));
    }
    if let Some(user_id) = filter.actor_user_id {
        query = query.filter(audit_log::Column::ActorUserId.eq(user_id));
    }
    if let Some(token_id) = filter.actor_api_token_id {
        query = query.filter(audit_log::Column::ActorApiTokenId.eq(token_id));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_log::Column::CreatedAt.gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::Column::CreatedAt.lt(until));
    }
    let total = query.clone().count(db).await.map_err(internal("counting audit entries"))?;
    let rows = query
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("reading the audit log"))?;
    let data = rows
        .into_iter()
        .map(|row| AuditEntryView {
            id: row.id,
            at: row.created_at,
            actor: row.actor_label,
            actor_user_id: row.actor_user_id,
            actor_api_token_id: row.actor_api_token_id,
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            before: row.before,
            after: row.after,
        })
        .collect();
    Ok(Paged::new(data, page, total))
}
