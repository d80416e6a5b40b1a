//! API tokens: made by an Admin (or on the command line), shown once, stored as a hash,
//! scoped read or write, acting with a role no higher than their creator's, revocable.

use super::caller::{Caller, Via};
use super::entities::{api_tokens, memberships};
use super::internal;
use super::repositories::audit::{self, Actor, AuditEntry};
use super::repositories::stored;
use super::secrets::{hash_token, new_token, visible_part};
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::{Name, Permission, Role, TokenScope};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

/// Tokens start with this, so a leaked one is recognisable (and secret scanners can match it).
pub const TOKEN_PREFIX: &str = "hrlt_";
/// Writing the last-used time on every request would turn reads into writes; once a minute
/// is precise enough to tell a live token from a forgotten one.
const LAST_USED_PRECISION: TimeDelta = TimeDelta::minutes(1);

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiToken {
    /// What the token is for, such as "Deploy pipeline" (1–100 characters).
    pub name: String,
    pub scope: TokenScope,
    /// The role it acts with; at most the creator's own. Defaults to the creator's role.
    #[serde(default)]
    pub role: Option<Role>,
    /// When it stops working; never when absent.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token as lists show it: never the secret.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiTokenView {
    pub id: i64,
    pub name: String,
    /// The token's first characters, to tell tokens apart.
    pub prefix: String,
    pub scope: TokenScope,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiTokenView {
    fn of(row: &api_tokens::Model) -> Result<ApiTokenView, AppError> {
        Ok(ApiTokenView {
            id: row.id,
            name: row.name.clone(),
            prefix: row.token_prefix.clone(),
            scope: stored(&row.scope)?,
            role: stored(&row.role)?,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        })
    }
}

/// The new token, whose secret exists only in this answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedApiToken {
    /// Send as `Authorization: Bearer <token>`. Shown this once; Herald keeps only a hash.
    pub token: String,
    #[serde(flatten)]
    pub details: ApiTokenView,
}

/// Who is making a token: a signed-in Admin (capped by their role), or the operator on the
/// command line (any role).
pub enum TokenCreator<'a> {
    Member(&'a Caller),
    CommandLine,
}

pub async fn create(
    db: &impl ConnectionTrait,
    organization_id: i64,
    creator: TokenCreator<'_>,
    new: NewApiToken,
    now: DateTime<Utc>,
) -> Result<CreatedApiToken, AppError> {
    let name = Name::parse(&new.name).map_err(|error| AppError::invalid("name", error.to_string()))?;
    if new.expires_at.is_some_and(|expires_at| expires_at <= now) {
        return Err(AppError::invalid("expires_at", "A token must expire in the future."));
    }
    let (role, created_by_user_id, actor) = match &creator {
        TokenCreator::Member(caller) => {
            caller.may_change(Permission::Administer)?;
            let role = new.role.unwrap_or(caller.role);
            if !caller.role.includes(role) {
                return Err(AppError::invalid(
                    "role",
                    format!("A token cannot have more rights than you: your role is {}.", caller.role.label()),
                ));
            }
            // A token making tokens would let a leaked one outlive its own revocation.
            let Via::Person { user_id, .. } = &caller.via else {
                return Err(AppError::Forbidden(
                    "A token cannot make tokens; make one in the dashboard or with `herald api-token create`.".into(),
                ));
            };
            (role, Some(*user_id), caller.actor())
        }
        TokenCreator::CommandLine => (new.role.unwrap_or(Role::Admin), None, Actor::System("command line")),
    };
    let token = new_token(TOKEN_PREFIX);
    let row = api_tokens::ActiveModel {
        organization_id: Set(organization_id),
        name: Set(name.as_str().to_owned()),
        token_prefix: Set(visible_part(&token, TOKEN_PREFIX)),
        token_hash: Set(hash_token(&token)),
        scope: Set(new.scope.as_str().to_owned()),
        role: Set(role.as_str().to_owned()),
        created_by_user_id: Set(created_by_user_id),
        created_at: Set(now),
        last_used_at: Set(None),
        expires_at: Set(new.expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("creating an API token"))?;
    let details = ApiTokenView::of(&row)?;
    audit::record(
        db,
        AuditEntry {
            organization_id: Some(organization_id),
            actor,
            action: "api_token.created",
            entity_type: "api_token",
            entity_id: Some(row.id),
            before: None,
            after: serde_json::to_value(&details).ok(),
        },
        now,
    )
    .await
    .map_err(internal("auditing a new API token"))?;
    Ok(CreatedApiToken { token, details })
}

pub async fn list(db: &impl ConnectionTrait, organization_id: i64) -> Result<Vec<ApiTokenView>, AppError> {
    api_tokens::Entity::find()
        .filter(api_tokens::Column::OrganizationId.eq(organization_id))
        .order_by_asc(api_tokens::Column::Id)
        .all(db)
        .await
        .map_err(internal("listing API tokens"))?
        .iter()
        .map(ApiTokenView::of)
        .collect()
}

/// Stops a token from working at once; revoking twice is not an error.
pub async fn revoke(
    db: &impl ConnectionTrait,
    organization_id: i64,
    actor: Actor<'_>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<ApiTokenView, AppError> {
    let row = api_tokens::Entity::find_by_id(id)
        .filter(api_tokens::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await
        .map_err(internal("finding an API token"))?
        .ok_or_else(|| AppError::NotFound("This organization has no API token with that id.".into()))?;
    if row.revoked_at.is_some() {
        return ApiTokenView::of(&row);
    }
    let before = ApiTokenView::of(&row)?;
    let row = api_tokens::ActiveModel { id: Set(row.id), revoked_at: Set(Some(now)), ..Default::default() }
        .update(db)
        .await
        .map_err(internal("revoking an API token"))?;
    let after = ApiTokenView::of(&row)?;
    audit::record(
        db,
        AuditEntry {
            organization_id: Some(organization_id),
            actor,
            action: "api_token.revoked",
            entity_type: "api_token",
            entity_id: Some(row.id),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        },
        now,
    )
    .await
    .map_err(internal("auditing a revoked API token"))?;
    Ok(after)
}

/// The caller a bearer token stands for. Unknown, revoked and expired tokens, and tokens whose
/// creator has left the organization, all get the same answer, which says nothing about any
/// organization.
pub async fn authenticate(db: &impl ConnectionTrait, token: &str, now: DateTime<Utc>) -> Result<Caller, AppError> {
    let refused = || AppError::Unauthorized("This API token is not valid: it is unknown, revoked or expired.".into());
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Err(refused());
    }
    let row = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash_token(token)))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .one(db)
        .await
        .map_err(internal("looking up an API token"))?
        .ok_or_else(refused)?;
    if row.expires_at.is_some_and(|expires_at| expires_at <= now) {
        return Err(refused());
    }
    let mut role: Role = stored(&row.role)?;
    if let Some(user_id) = row.created_by_user_id {
        let membership = memberships::Entity::find()
            .filter(memberships::Column::OrganizationId.eq(row.organization_id))
            .filter(memberships::Column::UserId.eq(user_id))
            .one(db)
            .await
            .map_err(internal("checking an API token's creator"))?
            .ok_or_else(refused)?;
        role = role.capped_at(stored(&membership.role)?);
    }
    if row.last_used_at.is_none_or(|used| now - used >= LAST_USED_PRECISION) {
        api_tokens::ActiveModel { id: Set(row.id), last_used_at: Set(Some(now)), ..Default::default() }
            .update(db)
            .await
            .map_err(internal("noting an API token's use"))?;
    }
    Ok(Caller {
        organization_id: row.organization_id,
        role,
        via: Via::Token { id: row.id, name: row.name, scope: stored(&row.scope)? },
    })
}
