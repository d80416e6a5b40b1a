use crate::ssr::entities::{organizations, slug_redirects};
use chrono::{DateTime, Utc};
use herald::{Locale, Name, Slug, TimeZoneName};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

pub async fn listed(db: &impl ConnectionTrait) -> Result<Vec<organizations::Model>, DbErr> {
    organizations::Entity::find()
        .filter(organizations::Column::Listed.eq(true))
        .order_by_asc(organizations::Column::Name)
        .all(db)
        .await
}

pub async fn find_by_slug(db: &impl ConnectionTrait, slug: &Slug) -> Result<Option<organizations::Model>, DbErr> {
    organizations::Entity::find().filter(organizations::Column::Slug.eq(slug.as_str())).one(db).await
}

/// The organization that used to be at `slug` before it moved.
pub async fn moved_from(db: &impl ConnectionTrait, slug: &str) -> Result<Option<organizations::Model>, DbErr> {
    let found = slug_redirects::Entity::find()
        .filter(slug_redirects::Column::Slug.eq(slug))
        .find_also_related(organizations::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(_, organization)| organization))
}

/// The organization holding `slug`, as its address or as one it moved away from (which stays
/// reserved for it, so nobody else catches its old links).
pub async fn slug_holder(db: &impl ConnectionTrait, slug: &Slug) -> Result<Option<i64>, DbErr> {
    if let Some(organization) = find_by_slug(db, slug).await? {
        return Ok(Some(organization.id));
    }
    Ok(moved_from(db, slug.as_str()).await?.map(|organization| organization.id))
}

pub struct NewOrganization {
    pub slug: Slug,
    pub name: Name,
    pub tagline: Option<String>,
    pub website_url: Option<String>,
    pub brand_colour: Option<String>,
    pub default_locale: Locale,
    pub time_zone: TimeZoneName,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewOrganization,
    now: DateTime<Utc>,
) -> Result<organizations::Model, DbErr> {
    organizations::ActiveModel {
        slug: Set(new.slug.as_str().to_owned()),
        name: Set(new.name.as_str().to_owned()),
        tagline: Set(new.tagline),
        logo_url: Set(None),
        website_url: Set(new.website_url),
        brand_colour: Set(new.brand_colour),
        custom_domain: Set(None),
        default_locale: Set(new.default_locale.as_str().to_owned()),
        time_zone: Set(new.time_zone.as_str().to_owned()),
        listed: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    organizations::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}
