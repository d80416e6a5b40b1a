//! Signing in and out, sessions, and password changes. A session is a random token in an
//! HttpOnly cookie, stored only as a hash; signing in is throttled per account and per
//! address, and a wrong email and a wrong password get the same answer in the same time.

use super::caller::{Caller, Via};
use super::entities::{login_attempts, memberships, organizations, sessions, users};
use super::internal;
use super::password::{check_new_password, hash_password, verify_password};
use super::repositories::stored;
use super::secrets::{hash_token, new_token};
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::{Email, LoginThrottle, Role, Slug};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

pub const SESSION_COOKIE: &str = "herald_session";
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::days(30);
const TOKEN_PREFIX: &str = "hrls_";
/// Noting every request would turn page views into writes.
const LAST_SEEN_PRECISION: TimeDelta = TimeDelta::minutes(5);
/// Verified when the email is unknown, so that answer takes as long as a wrong password.
static DUMMY_HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

async fn dummy_hash() -> Result<String, AppError> {
    DUMMY_HASH.get_or_try_init(|| hash_password("no account has this password".into())).await.cloned()
}

pub struct SignIn {
    pub email: String,
    pub password: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A new session: the token goes into the cookie and nowhere else.
pub struct NewSession {
    pub token: String,
    pub user: users::Model,
    pub expires_at: DateTime<Utc>,
}

fn wrong_credentials() -> AppError {
    AppError::Invalid { field: Some("password".into()), message: "The email or the password is not right.".into() }
}

async fn recent_failures(
    db: &impl ConnectionTrait,
    column: login_attempts::Column,
    value: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    login_attempts::Entity::find()
        .select_only()
        .column(login_attempts::Column::AttemptedAt)
        .filter(column.eq(value))
        .filter(login_attempts::Column::Succeeded.eq(false))
        .filter(login_attempts::Column::AttemptedAt.gt(since))
        .order_by_desc(login_attempts::Column::AttemptedAt)
        .limit(100)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("counting failed sign-ins"))
}

pub async fn sign_in(db: &DatabaseConnection, request: SignIn, now: DateTime<Utc>) -> Result<NewSession, AppError> {
    let email = Email::parse(&request.email).map_err(|error| AppError::invalid("email", error.to_string()))?;
    let throttle = LoginThrottle::default();
    let since = now - throttle.window;
    let account_failures = recent_failures(db, login_attempts::Column::Email, email.as_str(), since).await?;
    let address_failures = match &request.ip {
        Some(ip) => recent_failures(db, login_attempts::Column::Ip, ip, since).await?,
        None => Vec::new(),
    };
    if let Err(until) = throttle.check(&account_failures, &address_failures, now) {
        let minutes = ((until - now).num_seconds() + 59) / 60;
        return Err(AppError::RateLimited(format!(
            "Too many failed sign-ins; try again in {} minute{}.",
            minutes.max(1),
            if minutes > 1 { "s" } else { "" }
        )));
    }
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(db)
        .await
        .map_err(internal("looking up an account"))?;
    let hash = match &user {
        Some(user) => user.password_hash.clone(),
        None => dummy_hash().await?,
    };
    let matches = verify_password(request.password, hash).await? && user.is_some();
    login_attempts::ActiveModel {
        email: Set(Some(email.as_str().to_owned())),
        ip: Set(request.ip.clone()),
        succeeded: Set(matches),
        attempted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("recording a sign-in attempt"))?;
    let (Some(user), true) = (user, matches) else {
        return Err(wrong_credentials());
    };
    open_session(db, user, request.ip, request.user_agent, now).await
}

/// Signs a person in whose identity is already established (a password just checked, an
/// account just made from an invitation).
pub async fn open_session(
    db: &impl ConnectionTrait,
    user: users::Model,
    ip: Option<String>,
    user_agent: Option<String>,
    now: DateTime<Utc>,
) -> Result<NewSession, AppError> {
    let token = new_token(TOKEN_PREFIX);
    let expires_at = now + SESSION_LIFETIME;
    sessions::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(hash_token(&token)),
        active_organization_id: Set(None),
        ip: Set(ip),
        user_agent: Set(user_agent.map(|agent| agent.chars().take(500).collect())),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("starting a session"))?;
    let user = users::ActiveModel { id: Set(user.id), last_login_at: Set(Some(now)), ..Default::default() }
        .update(db)
        .await
        .map_err(internal("noting a sign-in"))?;
    Ok(NewSession { token, user, expires_at })
}

/// The signed-in person behind a session cookie, if the session is still valid.
pub async fn session_user(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(sessions::Model, users::Model)>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Ok(None);
    }
    let Some((session, Some(user))) = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(hash_token(token)))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .find_also_related(users::Entity)
        .one(db)
        .await
        .map_err(internal("looking up a session"))?
    else {
        return Ok(None);
    };
    if now - session.last_seen_at >= LAST_SEEN_PRECISION {
        sessions::ActiveModel { id: Set(session.id), last_seen_at: Set(now), ..Default::default() }
            .update(db)
            .await
            .map_err(internal("noting a session's use"))?;
    }
    Ok(Some((session, user)))
}

pub async fn sign_out(db: &DatabaseConnection, token: &str) -> Result<(), AppError> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::TokenHash.eq(hash_token(token)))
        .exec(db)
        .await
        .map_err(internal("ending a session"))?;
    Ok(())
}

/// Ends every session of the person except `keep` (the one asking); returns how many ended.
pub async fn sign_out_everywhere(db: &impl ConnectionTrait, user_id: i64, keep: Option<i64>) -> Result<u64, AppError> {
    let mut query = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        query = query.filter(sessions::Column::Id.ne(keep));
    }
    Ok(query.exec(db).await.map_err(internal("ending sessions"))?.rows_affected)
}

pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub confirmation: String,
}

/// Changes the password and ends every other session, which may have been opened with the old one.
pub async fn change_password(
    db: &DatabaseConnection,
    user: &users::Model,
    session_id: i64,
    change: PasswordChange,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !verify_password(change.current, user.password_hash.clone()).await? {
        return Err(AppError::invalid("current_password", "This is not your current password."));
    }
    check_new_password("new_password", &change.new)?;
    if change.new != change.confirmation {
        return Err(AppError::invalid("new_password_confirmation", "The two new passwords differ."));
    }
    let hash = hash_password(change.new).await?;
    users::ActiveModel {
        id: Set(user.id),
        password_hash: Set(hash),
        password_changed_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await
    .map_err(internal("changing a password"))?;
    sign_out_everywhere(db, user.id, Some(session_id)).await?;
    Ok(())
}

/// The organizations a person belongs to, by name, with their role in each.
pub async fn organizations_of(
    db: &DatabaseConnection,
    user_id: i64,
) -> Result<Vec<(organizations::Model, Role)>, AppError> {
    let rows = memberships::Entity::find()
        .filter(memberships::Column::UserId.eq(user_id))
        .find_also_related(organizations::Entity)
        .all(db)
        .await
        .map_err(internal("listing a person's organizations"))?;
    let mut organizations = Vec::with_capacity(rows.len());
    for (membership, organization) in rows {
        if let Some(organization) = organization {
            organizations.push((organization, stored(&membership.role)?));
        }
    }
    organizations.sort_by_key(|(organization, _)| organization.name.to_lowercase());
    Ok(organizations)
}

/// The person signed in on this request, with their session; `None` when nobody is.
pub async fn current_user(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Option<(sessions::Model, users::Model)>, AppError> {
    match super::session_cookie::token() {
        Some(token) => session_user(db, &token, now).await,
        None => Ok(None),
    }
}

/// The person signed in on this request, acting in the organization `slug`.
pub async fn current_caller(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<(Caller, organizations::Model), AppError> {
    let Some((_, user)) = current_user(db, now).await? else {
        return Err(AppError::Unauthorized("Your session has ended; sign in again.".into()));
    };
    caller_in(db, &user, slug).await
}

/// The person acting in one of their organizations. Not being a member looks exactly like the
/// organization not existing.
pub async fn caller_in(
    db: &DatabaseConnection,
    user: &users::Model,
    slug: &str,
) -> Result<(Caller, organizations::Model), AppError> {
    let not_found = || AppError::NotFound(format!("You have no organization \"{slug}\"."));
    let slug = Slug::parse(slug).map_err(|_| not_found())?;
    let (organization, role) = organizations_of(db, user.id)
        .await?
        .into_iter()
        .find(|(organization, _)| organization.slug == slug.as_str())
        .ok_or_else(not_found)?;
    let caller = Caller {
        organization_id: organization.id,
        role,
        via: Via::Person { user_id: user.id, email: user.email.clone() },
    };
    Ok((caller, organization))
}
