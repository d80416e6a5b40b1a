//! Turning incident and maintenance rows into what pages show (timelines with rendered
//! Markdown, affected components, times on the organization's clock).

use super::entities::{
    components, incident_components, incident_updates, incidents, maintenance_components, maintenance_updates,
    maintenances, organizations,
};
use super::internal;
use super::markdown::to_safe_html;
use super::moments::moment;
use super::repositories::stored;
use crate::error::AppError;
use crate::model::{AffectedComponent, Branding, IncidentView, MaintenanceView, UpdateStatus, UpdateView};
use chrono_tz::Tz;
use herald::{Colour, ComponentId, ComponentStatus, IncidentId, Locale, MaintenanceId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub fn branding(organization: &organizations::Model) -> Branding {
    let brand_colour = organization.brand_colour.as_deref().and_then(|hex| Colour::parse(hex).ok());
    Branding {
        slug: organization.slug.clone(),
        name: organization.name.clone(),
        tagline: organization.tagline.clone(),
        logo_url: organization.logo_url.clone(),
        website_url: organization.website_url.clone(),
        text_on_brand: brand_colour.as_ref().map(|colour| colour.readable_text_colour().to_string()),
        brand_colour: brand_colour.map(|colour| colour.to_string()),
        default_locale: organization.default_locale.parse().unwrap_or(Locale::DEFAULT),
        time_zone: organization.time_zone.clone(),
    }
}

async fn component_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    Ok(components::Entity::find()
        .filter(components::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(internal("loading component names"))?
        .into_iter()
        .map(|component| (component.id, component.name))
        .collect())
}

/// Full views of the given incidents, in the order given.
pub async fn incident_views(
    db: &impl ConnectionTrait,
    tz: Tz,
    incidents: Vec<incidents::Model>,
) -> Result<Vec<IncidentView>, AppError> {
    let ids: Vec<i64> = incidents.iter().map(|incident| incident.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let updates = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.is_in(ids.iter().copied()))
        .order_by_desc(incident_updates::Column::DisplayAt)
        .order_by_desc(incident_updates::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading incident updates"))?;
    let links = incident_components::Entity::find()
        .filter(incident_components::Column::IncidentId.is_in(ids.iter().copied()))
        .all(db)
        .await
        .map_err(internal("loading incident components"))?;
    let names = component_names(db, links.iter().map(|link| link.component_id)).await?;

    let mut views = Vec::with_capacity(incidents.len());
    for incident in incidents {
        let mut affected: Vec<AffectedComponent> = links
            .iter()
            .filter(|link| link.incident_id == incident.id)
            .filter_map(|link| {
                Some(AffectedComponent {
                    id: ComponentId(link.component_id),
                    name: names.get(&link.component_id)?.clone(),
                    status: link.component_status.parse().unwrap_or(ComponentStatus::Operational),
                })
            })
            .collect();
        affected.sort_by(|a, b| a.name.cmp(&b.name));
        let timeline = updates
            .iter()
            .filter(|update| update.incident_id == incident.id)
            .map(|update| {
                Ok(UpdateView {
                    status: UpdateStatus::Incident(stored(&update.status)?),
                    body_html: to_safe_html(&update.body),
                    at: moment(update.display_at, tz),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        views.push(IncidentView {
            id: IncidentId(incident.id),
            impact: stored(&incident.impact)?,
            status: stored(&incident.status)?,
            started: moment(incident.started_at, tz),
            resolved: incident.resolved_at.map(|at| moment(at, tz)),
            components: affected,
            updates: timeline,
            postmortem_html: incident.postmortem_body.as_deref().map(to_safe_html),
            postmortem_published: incident.postmortem_published_at.map(|at| moment(at, tz)),
            name: incident.name,
        });
    }
    Ok(views)
}

/// Full views of the given maintenances, in the order given.
pub async fn maintenance_views(
    db: &impl ConnectionTrait,
    tz: Tz,
    maintenances: Vec<maintenances::Model>,
) -> Result<Vec<MaintenanceView>, AppError> {
    let ids: Vec<i64> = maintenances.iter().map(|maintenance| maintenance.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let updates = maintenance_updates::Entity::find()
        .filter(maintenance_updates::Column::MaintenanceId.is_in(ids.iter().copied()))
        .order_by_desc(maintenance_updates::Column::DisplayAt)
        .order_by_desc(maintenance_updates::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading maintenance updates"))?;
    let links = maintenance_components::Entity::find()
        .filter(maintenance_components::Column::MaintenanceId.is_in(ids.iter().copied()))
        .all(db)
        .await
        .map_err(internal("loading maintenance components"))?;
    let names = component_names(db, links.iter().map(|link| link.component_id)).await?;
    let mut views = Vec::with_capacity(maintenances.len());
    for maintenance in maintenances {
        let mut affected: Vec<AffectedComponent> = links
            .iter()
            .filter(|link| link.maintenance_id == maintenance.id)
            .filter_map(|link| {
                Some(AffectedComponent {
                    id: ComponentId(link.component_id),
                    name: names.get(&link.component_id)?.clone(),
                    status: ComponentStatus::UnderMaintenance,
                })
            })
            .collect();
        affected.sort_by(|a, b| a.name.cmp(&b.name));
        let timeline = updates
            .iter()
            .filter(|update| update.maintenance_id == maintenance.id)
            .map(|update| {
                Ok(UpdateView {
                    status: UpdateStatus::Maintenance(stored(&update.status)?),
                    body_html: to_safe_html(&update.body),
                    at: moment(update.display_at, tz),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        views.push(MaintenanceView {
            id: MaintenanceId(maintenance.id),
            status: stored(&maintenance.status)?,
            starts: moment(maintenance.started_at.unwrap_or(maintenance.scheduled_start), tz),
            ends: moment(maintenance.completed_at.unwrap_or(maintenance.scheduled_end), tz),
            components: affected,
            updates: timeline,
            name: maintenance.name,
        });
    }
    Ok(views)
}
