//! Forgotten passwords: a link by email that works once, for an hour, and signs the person in
//! with the new password, ending every other session. Asking never reveals whether an account
//! exists, and an account gets at most a few links an hour.

use super::accounts::{self, NewSession, sign_out_everywhere};
use super::entities::{password_resets, users};
use super::internal;
use super::password::{check_new_password, hash_password};
use super::repositories::{begin_write, users as user_rows};
use super::secrets::{hash_token, new_token};
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::Email;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

pub const RESET_LIFETIME: TimeDelta = TimeDelta::hours(1);
/// More links than this in an hour are not sent: someone is filling the person's inbox.
pub const RESETS_PER_HOUR: u64 = 3;
const TOKEN_PREFIX: &str = "hrlr_";

/// The path a reset link opens.
pub fn reset_path(token: &str) -> String {
    format!("/reset-password/{token}")
}

/// A link to send, when the address belongs to an account and has not had too many lately.
/// The caller answers the person the same way whether or not there is one.
pub async fn request(
    db: &DatabaseConnection,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Option<(users::Model, String)>, AppError> {
    let email = Email::parse(email).map_err(|error| AppError::invalid("email", error.to_string()))?;
    let Some(user) = user_rows::find_by_email(db, &email).await.map_err(internal("looking up an account"))? else {
        return Ok(None);
    };
    let recent = password_resets::Entity::find()
        .filter(password_resets::Column::UserId.eq(user.id))
        .filter(password_resets::Column::CreatedAt.gt(now - TimeDelta::hours(1)))
        .count(db)
        .await
        .map_err(internal("counting reset links"))?;
    if recent >= RESETS_PER_HOUR {
        tracing::warn!(user_id = user.id, "password reset asked for too often; no link sent");
        return Ok(None);
    }
    let token = new_token(TOKEN_PREFIX);
    password_resets::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(hash_token(&token)),
        expires_at: Set(now + RESET_LIFETIME),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("creating a reset link"))?;
    Ok(Some((user, token)))
}

fn link_refused() -> AppError {
    AppError::Conflict("This reset link has expired or was already used. Ask for a new one.".into())
}

/// Whether a reset link can still be used, and for which account.
pub async fn check(db: &DatabaseConnection, token: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let (_, user) = find(db, token, now).await?;
    Ok(user.email)
}

async fn find(
    db: &impl sea_orm::ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(password_resets::Model, users::Model), AppError> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Err(link_refused());
    }
    let Some((reset, Some(user))) = password_resets::Entity::find()
        .filter(password_resets::Column::TokenHash.eq(hash_token(token)))
        .find_also_related(users::Entity)
        .one(db)
        .await
        .map_err(internal("looking up a reset link"))?
    else {
        return Err(link_refused());
    };
    if reset.used_at.is_some() || reset.expires_at <= now {
        return Err(link_refused());
    }
    Ok((reset, user))
}

pub struct NewPassword {
    pub password: String,
    pub confirmation: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Sets the new password, uses up the link (and any other open one), ends every session and
/// starts a new one here.
pub async fn reset(
    db: &DatabaseConnection,
    token: &str,
    new: NewPassword,
    now: DateTime<Utc>,
) -> Result<NewSession, AppError> {
    check_new_password("new_password", &new.password)?;
    if new.password != new.confirmation {
        return Err(AppError::invalid("new_password_confirmation", "The two new passwords differ."));
    }
    let hash = hash_password(new.password).await?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let (_, user) = find(&txn, token, now).await?;
    let used = password_resets::Entity::update_many()
        .col_expr(password_resets::Column::UsedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(password_resets::Column::UserId.eq(user.id))
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(&txn)
        .await
        .map_err(internal("using a reset link"))?;
    if used.rows_affected == 0 {
        return Err(link_refused());
    }
    let user = users::ActiveModel {
        id: Set(user.id),
        password_hash: Set(hash),
        password_changed_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("setting a new password"))?;
    sign_out_everywhere(&txn, user.id, None).await?;
    let session = accounts::open_session(&txn, user, new.ip, new.user_agent, now).await?;
    txn.commit().await.map_err(internal("committing a new password"))?;
    Ok(session)
}
