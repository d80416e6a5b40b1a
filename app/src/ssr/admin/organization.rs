//! Organizations themselves: creating one (instance administrators) and its settings (its
//! Admins): name, tagline, logo, website, brand colour, custom domain, language and time zone.
//! Settings go through config as code's import, so a change from the form and one from a YAML
//! file are planned, applied, announced to the live pages and audited alike.

use super::optional_text;
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::configuration;
use crate::ssr::entities::{organizations, users};
use crate::ssr::hub::Hub;
use crate::ssr::internal;
use crate::ssr::repositories::begin_write;
use crate::ssr::setup::create_organization;
use chrono::{DateTime, Utc};
use herald::{BrandingConfiguration, Colour, DomainName, HttpUrl, Locale, Name, Permission, Slug, TimeZoneName};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

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
