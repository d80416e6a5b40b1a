//! Organizations themselves: creating one (instance administrators) and its settings (its
//! Admins): name, tagline, logo, website, brand colour, custom domain, language and time zone.
//! Settings go through config as code's import, so a change from the form and one from a YAML
//! file are planned, applied, announced to the live pages and audited alike. Its address (the
//! slug) changes on its own, because the old one must keep leading to it.

use super::{commit_and_wake, optional_text, record_audit};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::configuration;
use crate::ssr::entities::{organizations, slug_redirects, users};
use crate::ssr::events;
use crate::ssr::hub::Hub;
use crate::ssr::internal;
use crate::ssr::repositories::{self as repo, begin_write};
use crate::ssr::setup::{create_organization, is_unique_violation, slug_taken};
use chrono::{DateTime, Utc};
use herald::{
    BrandingConfiguration, Colour, DomainName, EventKind, HttpUrl, Locale, Name, Permission, Slug, TimeZoneName,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

pub const MAX_TAGLINE_CHARS: usize = 200;

/// Creates an organization with `user` as its Admin. On a shared instance, only its
/// administrators may; everyone else is invited into existing ones.
pub async fn create(
    db: &DatabaseConnection,
    user: &users::Model,
    name: &str,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<organizations::Model, AppError> {
    if !user.is_instance_admin {
        return Err(AppError::Forbidden(
            "Only this Herald's administrators create organizations; ask one of them to create it and invite you."
                .into(),
        ));
    }
    let name = Name::parse(name).map_err(|error| AppError::invalid("name", error.to_string()))?;
    let slug = Slug::parse(slug).map_err(|error| AppError::invalid("slug", error.to_string()))?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let organization = create_organization(&txn, user, name, slug, now).await?;
    txn.commit().await.map_err(internal("committing a new organization"))?;
    Ok(organization)
}

/// The settings form as typed; empty optional fields clear their setting.
#[derive(Debug, Clone, Default)]
pub struct SettingsForm {
    pub name: String,
    pub tagline: String,
    pub logo_url: String,
    pub website_url: String,
    pub brand_colour: String,
    pub custom_domain: String,
    pub default_locale: String,
    pub time_zone: String,
    pub listed: bool,
}

fn optional<T, E: std::fmt::Display>(
    field: &str,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse(text).map(Some).map_err(|error| AppError::invalid(field, error.to_string()))
}

impl SettingsForm {
    /// Each field checked on its own, so every message lands next to its field.
    fn branding(&self) -> Result<BrandingConfiguration, AppError> {
        Ok(BrandingConfiguration {
            name: Name::parse(&self.name).map_err(|error| AppError::invalid("name", error.to_string()))?,
            tagline: optional_text("tagline", Some(self.tagline.clone()), MAX_TAGLINE_CHARS)?,
            logo_url: optional("logo_url", &self.logo_url, |text| HttpUrl::parse(text))?,
            website_url: optional("website_url", &self.website_url, |text| HttpUrl::parse(text))?,
            brand_colour: optional("brand_colour", &self.brand_colour, |text| Colour::parse(text))?,
            custom_domain: optional("custom_domain", &self.custom_domain, |text| DomainName::parse(text))?,
            default_locale: self
                .default_locale
                .trim()
                .parse::<Locale>()
                .map_err(|error| AppError::invalid("default_locale", error.to_string()))?,
            time_zone: TimeZoneName::parse(&self.time_zone)
                .map_err(|error| AppError::invalid("time_zone", error.to_string()))?,
            listed: self.listed,
        })
    }
}

pub async fn settings(db: &DatabaseConnection, caller: &Caller) -> Result<organizations::Model, AppError> {
    caller.may_read(Permission::Administer)?;
    organizations::Entity::find_by_id(caller.organization_id)
        .one(db)
        .await
        .map_err(internal("loading an organization"))?
        .ok_or_else(|| AppError::NotFound("This organization no longer exists.".into()))
}

/// Applies the settings; returns how many of them changed.
pub async fn update_settings(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    form: SettingsForm,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    caller.may_change(Permission::Administer)?;
    let branding = form.branding()?;
    let organization = settings(db, caller).await?;
    if let Some(domain) = &branding.custom_domain {
        let taken = organizations::Entity::find()
            .filter(organizations::Column::CustomDomain.eq(domain.as_str()))
            .filter(organizations::Column::Id.ne(organization.id))
            .count(db)
            .await
            .map_err(internal("checking a custom domain"))?;
        if taken > 0 {
            return Err(AppError::invalid(
                "custom_domain",
                "Another organization on this Herald already uses this domain.",
            ));
        }
    }
    let mut wanted = configuration::export(db, &organization).await?;
    wanted.organization = branding;
    let plan = configuration::import(
        db,
        hub,
        caller.actor(),
        &organization.slug,
        &wanted,
        configuration::ImportOptions::default(),
        now,
    )
    .await?
    .plan;
    Ok(plan.len())
}

/// The addresses the organization moved away from, newest first.
pub async fn former_slugs(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<String>, AppError> {
    let rows = slug_redirects::Entity::find()
        .filter(slug_redirects::Column::OrganizationId.eq(caller.organization_id))
        .order_by_desc(slug_redirects::Column::CreatedAt)
        .order_by_desc(slug_redirects::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading former addresses"))?;
    Ok(rows.into_iter().map(|row| row.slug).collect())
}

/// Moves the organization to the address `slug`. The old address keeps redirecting here and
/// stays reserved for it; moving back to a former address takes that one back.
pub async fn change_slug(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<organizations::Model, AppError> {
    caller.may_change(Permission::Administer)?;
    let wanted = Slug::parse(slug).map_err(|error| AppError::invalid("slug", error.to_string()))?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let organization = organizations::Entity::find_by_id(caller.organization_id)
        .one(&txn)
        .await
        .map_err(internal("loading an organization"))?
        .ok_or_else(|| AppError::NotFound("This organization no longer exists.".into()))?;
    if organization.slug == wanted.as_str() {
        return Ok(organization);
    }
    match repo::organizations::slug_holder(&txn, &wanted).await.map_err(internal("checking a slug"))? {
        Some(holder) if holder != organization.id => return Err(slug_taken(&wanted)),
        _ => {}
    }
    slug_redirects::Entity::delete_many()
        .filter(slug_redirects::Column::Slug.eq(wanted.as_str()))
        .filter(slug_redirects::Column::OrganizationId.eq(organization.id))
        .exec(&txn)
        .await
        .map_err(internal("taking back a former address"))?;
    slug_redirects::ActiveModel {
        slug: Set(organization.slug.clone()),
        organization_id: Set(organization.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal("keeping the old address"))?;
    let moved = organizations::ActiveModel {
        id: Set(organization.id),
        slug: Set(wanted.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(|error| {
        if is_unique_violation(&error) { slug_taken(&wanted) } else { internal("moving an organization")(error) }
    })?;
    let change = |slug: &str| Some(serde_json::json!({ "slug": slug }));
    events::record(
        &txn,
        organization.id,
        EventKind::PageChanged,
        serde_json::json!({ "moved": { "from": organization.slug, "to": moved.slug } }),
        now,
    )
    .await
    .map_err(internal("recording a move"))?;
    record_audit(
        &txn,
        caller,
        "organization.moved",
        ("organization", organization.id),
        change(&organization.slug),
        change(&moved.slug),
        now,
    )
    .await?;
    commit_and_wake(txn, hub, "committing a move").await?;
    Ok(moved)
}
