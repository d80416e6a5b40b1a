use crate::ssr::entities::audit_log;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// Who made a change, as recorded in the audit log.
pub enum Actor<'a> {
    User {
        id: i64,
        email: &'a str,
    },
    /// An API token, by its id and name.
    Token {
        id: i64,
        name: &'a str,
    },
    /// The instance itself or its command line (`herald create-admin`, `herald demo`).
    System(&'a str),
}

pub struct AuditEntry<'a> {
    pub organization_id: Option<i64>,
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(db: &impl ConnectionTrait, entry: AuditEntry<'_>, now: DateTime<Utc>) -> Result<(), DbErr> {
    let (actor_user_id, actor_api_token_id, actor_label) = match entry.actor {
        Actor::User { id, email } => (Some(id), None, email.to_owned()),
        Actor::Token { id, name } => (None, Some(id), format!("API token {name}")),
        Actor::System(label) => (None, None, label.to_owned()),
    };
    audit_log::ActiveModel {
        organization_id: Set(entry.organization_id),
        actor_user_id: Set(actor_user_id),
        actor_api_token_id: Set(actor_api_token_id),
        actor_label: Set(actor_label),
        action: Set(entry.action.to_owned()),
        entity_type: Set(entry.entity_type.to_owned()),
        entity_id: Set(entry.entity_id),
        before: Set(entry.before),
        after: Set(entry.after),
        ip: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}
