//! Creating administrators: the first-run setup page and `herald create-admin`.

use super::entities::{organizations, users};
use super::internal;
use super::password::{check_new_password, hash_password};
use super::repositories::audit::{self, Actor, AuditEntry};
use super::repositories::organizations::NewOrganization;
use super::repositories::{self as repo};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{Email, Locale, Name, Role, Slug, TimeZoneName};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, SqlErr};

/// What the setup page and the command line ask for, still unvalidated.
#[derive(Debug, Clone, Default)]
pub struct AdminRequest {
    pub email: String,
    pub password: String,
    /// The password typed again, where a form asks for it.
    pub password_confirmation: Option<String>,
    /// The first organization; the command line may leave it out.
    pub organization: Option<OrganizationRequest>,
}

#[derive(Debug, Clone, Default)]
pub struct OrganizationRequest {
    pub name: String,
    /// Empty means "derive it from the name".
    pub slug: String,
}

pub struct CreatedAdmin {
    pub user: users::Model,
    pub organization: Option<organizations::Model>,
}

/// Whether the instance still waits for its first administrator.
pub async fn is_needed(db: &DatabaseConnection) -> Result<bool, AppError> {
    Ok(!repo::instance::is_set_up(db).await.map_err(internal("reading setup state"))?)
}

/// First-run setup: creates the first administrator and organization, exactly once.
pub async fn complete_first_run(db: &DatabaseConnection, request: AdminRequest) -> Result<CreatedAdmin, AppError> {
    create_admin(db, request, SetupRule::FirstRunOnly).await
}

/// `herald create-admin`: adds an instance administrator at any time (and completes first-run
/// setup if it was still pending).
pub async fn create_admin_from_cli(db: &DatabaseConnection, request: AdminRequest) -> Result<CreatedAdmin, AppError> {
    create_admin(db, request, SetupRule::Anytime).await
}

#[derive(PartialEq)]
enum SetupRule {
    FirstRunOnly,
    Anytime,
}

struct ValidRequest {
    email: Email,
    password: String,
    organization: Option<(Name, Slug)>,
}

fn validate(request: AdminRequest) -> Result<ValidRequest, AppError> {
    let organization = match request.organization {
        None => None,
        Some(organization) => {
            let name = Name::parse(&organization.name)
                .map_err(|error| AppError::invalid("organization_name", error.to_string()))?;
            let slug = if organization.slug.trim().is_empty() {
                Slug::suggest(name.as_str()).ok_or_else(|| {
                    AppError::invalid("slug", "Choose an address for the status page, such as \"acme\".")
                })?
            } else {
                Slug::parse(&organization.slug).map_err(|error| AppError::invalid("slug", error.to_string()))?
            };
            Some((name, slug))
        }
    };
    let email = Email::parse(&request.email).map_err(|error| AppError::invalid("email", error.to_string()))?;
    check_new_password("password", &request.password)?;
    if request.password_confirmation.as_ref().is_some_and(|again| *again != request.password) {
        return Err(AppError::invalid("password_confirmation", "The two passwords are not the same."));
    }
    Ok(ValidRequest { email, password: request.password, organization })
}

async fn create_admin(
    db: &DatabaseConnection,
    request: AdminRequest,
    rule: SetupRule,
) -> Result<CreatedAdmin, AppError> {
    let request = validate(request)?;
    if rule == SetupRule::FirstRunOnly && !is_needed(db).await? {
        return Err(already_set_up());
    }
    let password_hash = hash_password(request.password).await?;
    let now = Utc::now();

    let txn = repo::begin_write(db).await.map_err(internal("starting the setup transaction"))?;
    let already_done = repo::instance::is_set_up(&txn).await.map_err(internal("reading setup state"))?;
    if !already_done {
        repo::instance::mark_set_up(&txn, now).await.map_err(|error| {
            if is_unique_violation(&error) { already_set_up() } else { internal("recording setup")(error) }
        })?;
    } else if rule == SetupRule::FirstRunOnly {
        return Err(already_set_up());
    }
    if repo::users::find_by_email(&txn, &request.email).await.map_err(internal("looking up an email"))?.is_some() {
        return Err(AppError::invalid("email", "An account with this email address already exists."));
    }
    let user = repo::users::insert(&txn, &request.email, password_hash, true, now)
        .await
        .map_err(internal("creating the administrator"))?;
    audit::record(
        &txn,
        AuditEntry {
            organization_id: None,
            actor: Actor::System(if rule == SetupRule::FirstRunOnly { "setup page" } else { "command line" }),
            action: "user.created",
            entity_type: "user",
            entity_id: Some(user.id),
            before: None,
            after: Some(serde_json::json!({ "email": user.email, "is_instance_admin": true })),
        },
        now,
    )
    .await
    .map_err(internal("auditing the new administrator"))?;

    let organization = match request.organization {
        None => None,
        Some((name, slug)) => Some(create_organization(&txn, &user, name, slug, now).await?),
    };
    txn.commit().await.map_err(internal("committing setup"))?;
    Ok(CreatedAdmin { user, organization })
}

/// A new organization with `user` as its Admin, inside the caller's transaction.
pub async fn create_organization(
    txn: &impl ConnectionTrait,
    user: &users::Model,
    name: Name,
    slug: Slug,
    now: DateTime<Utc>,
) -> Result<organizations::Model, AppError> {
    if repo::organizations::slug_holder(txn, &slug).await.map_err(internal("checking a slug"))?.is_some() {
        return Err(slug_taken(&slug));
    }
    let new = NewOrganization {
        slug: slug.clone(),
        name,
        tagline: None,
        website_url: None,
        brand_colour: None,
        default_locale: Locale::DEFAULT,
        time_zone: TimeZoneName::utc(),
    };
    let organization = repo::organizations::insert(txn, new, now).await.map_err(|error| {
        if is_unique_violation(&error) { slug_taken(&slug) } else { internal("creating an organization")(error) }
    })?;
    repo::memberships::insert(txn, organization.id, user.id, Role::Admin, now)
        .await
        .map_err(internal("making the administrator a member"))?;
    audit::record(
        txn,
        AuditEntry {
            organization_id: Some(organization.id),
            actor: Actor::User { id: user.id, email: &user.email },
            action: "organization.created",
            entity_type: "organization",
            entity_id: Some(organization.id),
            before: None,
            after: Some(serde_json::json!({ "slug": organization.slug, "name": organization.name })),
        },
        now,
    )
    .await
    .map_err(internal("auditing the new organization"))?;
    Ok(organization)
}

fn already_set_up() -> AppError {
    AppError::Conflict("Herald is already set up. Sign in with an administrator account instead.".into())
}

pub(crate) fn slug_taken(slug: &Slug) -> AppError {
    AppError::invalid("slug", format!("The address \"{slug}\" is already taken; choose another."))
}

pub(crate) fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}
