//! The other public pages of an organization: one incident, one maintenance, the history.

use super::entities::{incident_updates, incidents, maintenance_updates, maintenances};
use super::internal;
use super::markdown::to_plain_text;
use super::moments::{moment, zone};
use super::repositories::stored;
use super::status_page::organization;
use super::views::{branding, incident_views, maintenance_views};
use crate::error::AppError;
use crate::model::{HistoryEntry, HistoryMonth, HistoryPage, IncidentPage, MaintenancePage, UpdateStatus};
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use herald::MaintenanceStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QueryTrait};
use std::collections::HashMap;

/// Months shown per history page.
pub const MONTHS_PER_PAGE: u32 = 3;

fn no_such(what: &str) -> AppError {
    AppError::NotFound(format!("There is no such {what} on this status page."))
}

pub async fn incident_page(db: &impl ConnectionTrait, slug: &str, incident_id: i64) -> Result<IncidentPage, AppError> {
    let organization = organization(db, slug).await?;
    let incident = incidents::Entity::find_by_id(incident_id)
        .filter(incidents::Column::OrganizationId.eq(organization.id))
        .one(db)
        .await
        .map_err(internal("loading an incident"))?
        .ok_or_else(|| no_such("incident"))?;
    let incident = incident_views(db, zone(&organization.time_zone), vec![incident])
        .await?
        .pop()
        .ok_or_else(|| no_such("incident"))?;
    Ok(IncidentPage { organization: branding(&organization), incident })
}

pub async fn maintenance_page(
    db: &impl ConnectionTrait,
    slug: &str,
    maintenance_id: i64,
) -> Result<MaintenancePage, AppError> {
    let organization = organization(db, slug).await?;
    let maintenance = maintenances::Entity::find_by_id(maintenance_id)
        .filter(maintenances::Column::OrganizationId.eq(organization.id))
        .one(db)
        .await
        .map_err(internal("loading a maintenance"))?
        .ok_or_else(|| no_such("maintenance"))?;
    let maintenance = maintenance_views(db, zone(&organization.time_zone), vec![maintenance])
        .await?
        .pop()
        .ok_or_else(|| no_such("maintenance"))?;
    Ok(MaintenancePage { organization: branding(&organization), maintenance })
}

/// The first instant of the month `months_back` months before the one `now` falls in.
fn month_start(tz: Tz, now: DateTime<Utc>, months_back: u32) -> Option<(NaiveDate, DateTime<Utc>)> {
    let today = now.with_timezone(&tz).date_naive();
    let month =
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?.checked_sub_months(Months::new(months_back))?;
    let start = tz.from_local_datetime(&month.and_hms_opt(0, 0, 0)?).earliest()?.with_timezone(&Utc);
    Some((month, start))
}

/// `page` is 1 for the latest months; anything out of range shows the nearest real page.
pub async fn history_page(
    db: &impl ConnectionTrait,
    slug: &str,
    page: u32,
    now: DateTime<Utc>,
) -> Result<HistoryPage, AppError> {
    let organization = organization(db, slug).await?;
    let tz = zone(&organization.time_zone);
    let oldest_incident = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization.id))
        .order_by_asc(incidents::Column::StartedAt)
        .one(db)
        .await
        .map_err(internal("finding the oldest incident"))?
        .map(|incident| incident.started_at);
    let oldest_maintenance = maintenances::Entity::find()
        .filter(maintenances::Column::OrganizationId.eq(organization.id))
        .order_by_asc(maintenances::Column::ScheduledStart)
        .one(db)
        .await
        .map_err(internal("finding the oldest maintenance"))?
        .map(|maintenance| maintenance.scheduled_start);
    let oldest = oldest_incident.into_iter().chain(oldest_maintenance).min().unwrap_or(now);
    let local_now = now.with_timezone(&tz);
    let local_oldest = oldest.with_timezone(&tz);
    let months_of_history = ((local_now.year() - local_oldest.year()) * 12 + local_now.month() as i32
        - local_oldest.month() as i32)
        .max(0) as u32
        + 1;
    let last_page = months_of_history.div_ceil(MONTHS_PER_PAGE).max(1);
    let page = page.clamp(1, last_page);

    let newest_back = (page - 1) * MONTHS_PER_PAGE;
    let mut months = Vec::new();
    for back in newest_back..newest_back + MONTHS_PER_PAGE {
        let Some((month, from)) = month_start(tz, now, back) else { continue };
        // The newest month has no upper bound: an incident may be dated a little ahead. No
        // far-future sentinel either: SQLite compares dates as text, and "+262142-…" sorts
        // before "2026-…".
        let until = match back.checked_sub(1) {
            Some(newer) => match month_start(tz, now, newer) {
                Some((_, start)) => Some(start),
                None => continue,
            },
            None => None,
        };
        months.push(history_month(db, organization.id, tz, month, from, until).await?);
    }
    Ok(HistoryPage {
        organization: branding(&organization),
        months,
        page,
        has_newer: page > 1,
        has_older: page < last_page,
    })
}

async fn history_month(
    db: &impl ConnectionTrait,
    organization_id: i64,
    tz: Tz,
    month: NaiveDate,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> Result<HistoryMonth, AppError> {
    let incidents = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization_id))
        .filter(incidents::Column::StartedAt.gte(from))
        .apply_if(until, |query, until| query.filter(incidents::Column::StartedAt.lt(until)))
        .order_by_desc(incidents::Column::StartedAt)
        .all(db)
        .await
        .map_err(internal("loading a month's incidents"))?;
    let latest_incident_bodies = latest_bodies(
        incident_updates::Entity::find()
            .filter(incident_updates::Column::IncidentId.is_in(incidents.iter().map(|incident| incident.id)))
            .order_by_asc(incident_updates::Column::DisplayAt)
            .order_by_asc(incident_updates::Column::Id)
            .all(db)
            .await
            .map_err(internal("loading a month's incident updates"))?
            .into_iter()
            .map(|update| (update.incident_id, update.body)),
    );
    let maintenances = maintenances::Entity::find()
        .filter(maintenances::Column::OrganizationId.eq(organization_id))
        .filter(maintenances::Column::Status.ne(MaintenanceStatus::Scheduled.as_str()))
        .filter(maintenances::Column::ScheduledStart.gte(from))
        .apply_if(until, |query, until| query.filter(maintenances::Column::ScheduledStart.lt(until)))
        .order_by_desc(maintenances::Column::ScheduledStart)
        .all(db)
        .await
        .map_err(internal("loading a month's maintenance"))?;
    let latest_maintenance_bodies = latest_bodies(
        maintenance_updates::Entity::find()
            .filter(
                maintenance_updates::Column::MaintenanceId.is_in(maintenances.iter().map(|maintenance| maintenance.id)),
            )
            .order_by_asc(maintenance_updates::Column::DisplayAt)
            .order_by_asc(maintenance_updates::Column::Id)
            .all(db)
            .await
            .map_err(internal("loading a month's maintenance updates"))?
            .into_iter()
            .map(|update| (update.maintenance_id, update.body)),
    );
    Ok(HistoryMonth {
        month,
        incidents: incidents
            .into_iter()
            .map(|incident| {
                Ok(HistoryEntry {
                    id: incident.id,
                    impact: Some(stored(&incident.impact)?),
                    status: UpdateStatus::Incident(stored(&incident.status)?),
                    from: moment(incident.started_at, tz),
                    until: incident.resolved_at.map(|at| moment(at, tz)),
                    summary: latest_incident_bodies.get(&incident.id).cloned().unwrap_or_default(),
                    name: incident.name,
                })
            })
            .collect::<Result<_, AppError>>()?,
        maintenances: maintenances
            .into_iter()
            .map(|maintenance| {
                Ok(HistoryEntry {
                    id: maintenance.id,
                    impact: None,
                    status: UpdateStatus::Maintenance(stored(&maintenance.status)?),
                    from: moment(maintenance.started_at.unwrap_or(maintenance.scheduled_start), tz),
                    until: Some(moment(maintenance.completed_at.unwrap_or(maintenance.scheduled_end), tz)),
                    summary: latest_maintenance_bodies.get(&maintenance.id).cloned().unwrap_or_default(),
                    name: maintenance.name,
                })
            })
            .collect::<Result<_, AppError>>()?,
    })
}

/// The last non-empty body per parent, as plain text, from updates in time order.
fn latest_bodies(updates: impl Iterator<Item = (i64, String)>) -> HashMap<i64, String> {
    let mut latest = HashMap::new();
    for (parent, body) in updates {
        if !body.trim().is_empty() {
            latest.insert(parent, to_plain_text(&body, 240));
        }
    }
    latest
}
