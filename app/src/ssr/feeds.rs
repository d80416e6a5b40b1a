//! What the feeds say: an organization's recent incidents and maintenance (optionally only one
//! component's), with their timelines, for RSS, Atom and iCalendar. The server writes the
//! formats; this reads the facts.

use super::entities::{
    components, incident_components, incident_updates, incidents, maintenance_components, maintenance_updates,
    maintenances, organizations,
};
use super::errors::internal;
use super::repositories::organizations::find_by_slug;
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::Slug;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Entries per feed.
pub const FEED_ENTRIES: u64 = 50;
/// How far back the calendar reaches for maintenance already over.
pub const CALENDAR_PAST: TimeDelta = TimeDelta::days(90);

#[derive(Debug, Clone)]
pub struct FeedUpdate {
    pub status: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub enum EntryKind {
    Incident { impact: String },
    Maintenance { scheduled_start: DateTime<Utc>, scheduled_end: DateTime<Utc>, version: i32 },
}

#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub id: i64,
    pub kind: EntryKind,
    pub name: String,
    pub status: String,
    /// The public page's path, without the host.
    pub path: String,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub components: Vec<String>,
    /// Newest first.
    pub updates: Vec<FeedUpdate>,
}

#[derive(Debug, Clone)]
pub struct Feed {
    pub organization: organizations::Model,
    /// The component the feed is narrowed to, if any.
    pub component: Option<components::Model>,
    /// Newest first by last change.
    pub entries: Vec<FeedEntry>,
}

async fn organization(db: &impl ConnectionTrait, slug: &str) -> Result<organizations::Model, AppError> {
    let not_found = || AppError::NotFound("There is no status page at this address.".into());
    let slug = Slug::parse(slug).map_err(|_| not_found())?;
    find_by_slug(db, &slug).await.map_err(internal("loading an organization"))?.ok_or_else(not_found)
}

async fn component(db: &impl ConnectionTrait, organization_id: i64, key: &str) -> Result<components::Model, AppError> {
    components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .filter(components::Column::Key.eq(key))
        .one(db)
        .await
        .map_err(internal("loading a component"))?
        .ok_or_else(|| AppError::NotFound("This status page has no such component.".into()))
}

async fn component_names(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<Vec<(i64, String)>, AppError> {
    components::Entity::find()
        .select_only()
        .column(components::Column::Id)
        .column(components::Column::Name)
        .filter(components::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading component names"))
}

/// The names of the components `ids`, in the order given.
fn named(names: &[(i64, String)], ids: impl Iterator<Item = i64>) -> Vec<String> {
    ids.filter_map(|wanted| names.iter().find(|(id, _)| *id == wanted).map(|(_, name)| name.clone())).collect()
}

/// Incidents and maintenance, for RSS and Atom.
pub async fn history(db: &impl ConnectionTrait, slug: &str, component_key: Option<&str>) -> Result<Feed, AppError> {
    let organization = organization(db, slug).await?;
    let component = match component_key {
        Some(key) => Some(component(db, organization.id, key).await?),
        None => None,
    };
    let mut incident_query = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization.id))
        .order_by_desc(incidents::Column::LastUpdateAt)
        .limit(FEED_ENTRIES);
    let mut maintenance_query = maintenances::Entity::find()
        .filter(maintenances::Column::OrganizationId.eq(organization.id))
        .order_by_desc(maintenances::Column::UpdatedAt)
        .limit(FEED_ENTRIES);
    if let Some(component) = &component {
        let incident_ids: Vec<i64> = incident_components::Entity::find()
            .select_only()
            .column(incident_components::Column::IncidentId)
            .filter(incident_components::Column::ComponentId.eq(component.id))
            .into_tuple()
            .all(db)
            .await
            .map_err(internal("finding a component's incidents"))?;
        incident_query = incident_query.filter(incidents::Column::Id.is_in(incident_ids));
        let maintenance_ids: Vec<i64> = maintenance_components::Entity::find()
            .select_only()
            .column(maintenance_components::Column::MaintenanceId)
            .filter(maintenance_components::Column::ComponentId.eq(component.id))
            .into_tuple()
            .all(db)
            .await
            .map_err(internal("finding a component's maintenance"))?;
        maintenance_query = maintenance_query.filter(maintenances::Column::Id.is_in(maintenance_ids));
    }
    let incidents = incident_query.all(db).await.map_err(internal("loading incidents for a feed"))?;
    let maintenances = maintenance_query.all(db).await.map_err(internal("loading maintenance for a feed"))?;
    let mut entries = incident_entries(db, &organization.slug, incidents).await?;
    entries.extend(maintenance_entries(db, &organization.slug, maintenances).await?);
    entries.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    entries.truncate(FEED_ENTRIES as usize);
    Ok(Feed { organization, component, entries })
}

/// Upcoming and recent maintenance, for the calendar.
pub async fn calendar(db: &impl ConnectionTrait, slug: &str, now: DateTime<Utc>) -> Result<Feed, AppError> {
    let organization = organization(db, slug).await?;
    let rows = maintenances::Entity::find()
        .filter(maintenances::Column::OrganizationId.eq(organization.id))
        .filter(maintenances::Column::ScheduledEnd.gte(now - CALENDAR_PAST))
        .order_by_asc(maintenances::Column::ScheduledStart)
        .limit(500)
        .all(db)
        .await
        .map_err(internal("loading maintenance for a calendar"))?;
    let entries = maintenance_entries(db, &organization.slug, rows).await?;
    Ok(Feed { organization, component: None, entries })
}

async fn incident_entries(
    db: &impl ConnectionTrait,
    slug: &str,
    rows: Vec<incidents::Model>,
) -> Result<Vec<FeedEntry>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let updates = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.is_in(ids.clone()))
        .order_by_desc(incident_updates::Column::DisplayAt)
        .order_by_desc(incident_updates::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading incident updates for a feed"))?;
    let links = incident_components::Entity::find()
        .filter(incident_components::Column::IncidentId.is_in(ids))
        .all(db)
        .await
        .map_err(internal("loading incident components for a feed"))?;
    let names = component_names(db, links.iter().map(|link| link.component_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|row| FeedEntry {
            id: row.id,
            path: format!("/s/{slug}/incidents/{}", row.id),
            kind: EntryKind::Incident { impact: row.impact },
            status: row.status,
            started_at: row.started_at,
            updated_at: row.last_update_at.max(row.updated_at),
            components: named(
                &names,
                links.iter().filter(|link| link.incident_id == row.id).map(|link| link.component_id),
            ),
            updates: updates
                .iter()
                .filter(|update| update.incident_id == row.id)
                .map(|update| FeedUpdate {
                    status: update.status.clone(),
                    body: update.body.clone(),
                    at: update.display_at,
                })
                .collect(),
            name: row.name,
        })
        .collect())
}

async fn maintenance_entries(
    db: &impl ConnectionTrait,
    slug: &str,
    rows: Vec<maintenances::Model>,
) -> Result<Vec<FeedEntry>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let updates = maintenance_updates::Entity::find()
        .filter(maintenance_updates::Column::MaintenanceId.is_in(ids.clone()))
        .order_by_desc(maintenance_updates::Column::DisplayAt)
        .order_by_desc(maintenance_updates::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading maintenance updates for a feed"))?;
    let links = maintenance_components::Entity::find()
        .filter(maintenance_components::Column::MaintenanceId.is_in(ids))
        .all(db)
        .await
        .map_err(internal("loading maintenance components for a feed"))?;
    let names = component_names(db, links.iter().map(|link| link.component_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|row| FeedEntry {
            id: row.id,
            path: format!("/s/{slug}/maintenance/{}", row.id),
            kind: EntryKind::Maintenance {
                scheduled_start: row.scheduled_start,
                scheduled_end: row.scheduled_end,
                version: row.version,
            },
            status: row.status,
            started_at: row.scheduled_start,
            updated_at: row.updated_at,
            components: named(
                &names,
                links.iter().filter(|link| link.maintenance_id == row.id).map(|link| link.component_id),
            ),
            updates: updates
                .iter()
                .filter(|update| update.maintenance_id == row.id)
                .map(|update| FeedUpdate {
                    status: update.status.clone(),
                    body: update.body.clone(),
                    at: update.display_at,
                })
                .collect(),
            name: row.name,
        })
        .collect())
}
