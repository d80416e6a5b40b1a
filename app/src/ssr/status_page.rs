//! Assembles an organization's public status page from the database.

use super::entities::{component_groups, components, incident_updates, incidents};
use super::internal;
use super::repositories::{self as repo, stored};
use crate::error::AppError;
use crate::model::{Branding, ComponentRow, GroupSection, IncidentSummary, Section, StatusPage, UpdateSummary};
use chrono::Utc;
use herald::{Colour, ComponentGroupId, ComponentId, ComponentStatus, IncidentId, Slug, overall_indicator};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

pub fn unknown_organization() -> AppError {
    AppError::NotFound("There is no status page at this address.".into())
}

pub async fn load(db: &impl ConnectionTrait, slug: &str) -> Result<StatusPage, AppError> {
    // A malformed slug cannot name an organization: same answer as an unknown one.
    let slug = Slug::parse(slug).map_err(|_| unknown_organization())?;
    let organization = repo::organizations::find_by_slug(db, &slug)
        .await
        .map_err(internal("looking up an organization by slug"))?
        .ok_or_else(unknown_organization)?;

    let (groups, components) =
        repo::components::for_organization(db, organization.id).await.map_err(internal("loading components"))?;
    let open_incidents = repo::incidents::open_for_organization(db, organization.id)
        .await
        .map_err(internal("loading open incidents"))?;
    let incident_ids: Vec<i64> = open_incidents.iter().map(|incident| incident.id).collect();
    let latest_updates =
        repo::incidents::latest_updates(db, &incident_ids).await.map_err(internal("loading incident updates"))?;
    let in_maintenance = !repo::maintenances::organizations_in_maintenance(db, &[organization.id])
        .await
        .map_err(internal("loading maintenance"))?
        .is_empty();

    let component_statuses = components
        .iter()
        .map(|component| stored::<ComponentStatus>(&component.status))
        .collect::<Result<Vec<_>, _>>()?;
    let active_incidents = summarise_incidents(open_incidents, latest_updates)?;
    let indicator = overall_indicator(
        component_statuses.iter().copied(),
        active_incidents.iter().map(|incident| incident.impact),
        in_maintenance,
    );

    let brand_colour = organization.brand_colour.as_deref().and_then(|hex| Colour::parse(hex).ok());
    Ok(StatusPage {
        organization: Branding {
            slug: organization.slug,
            name: organization.name,
            tagline: organization.tagline,
            logo_url: organization.logo_url,
            website_url: organization.website_url,
            text_on_brand: brand_colour.as_ref().map(|colour| colour.readable_text_colour().to_string()),
            brand_colour: brand_colour.map(|colour| colour.to_string()),
        },
        indicator,
        active_incidents,
        sections: arrange_sections(&groups, &components)?,
        generated_at: Utc::now(),
    })
}

/// Whether a component appears on the public page at all.
fn is_displayed(component: &components::Model, status: ComponentStatus) -> bool {
    let degraded = !matches!(status, ComponentStatus::Operational | ComponentStatus::NoData);
    component.showcase && (!component.only_show_if_degraded || degraded)
}

/// Groups and ungrouped components share one ordering by position; a group shows its
/// displayed components and the worst of their statuses, and disappears when none is shown.
pub fn arrange_sections(
    groups: &[component_groups::Model],
    components: &[components::Model],
) -> Result<Vec<Section>, AppError> {
    let mut by_group: HashMap<i64, Vec<ComponentRow>> = HashMap::new();
    let mut sections: Vec<(i32, Section)> = Vec::new();
    for component in components {
        let status = stored::<ComponentStatus>(&component.status)?;
        if !is_displayed(component, status) {
            continue;
        }
        let row = ComponentRow {
            id: ComponentId(component.id),
            name: component.name.clone(),
            description: component.description.clone(),
            status,
        };
        match component.group_id {
            Some(group_id) if groups.iter().any(|group| group.id == group_id) => {
                by_group.entry(group_id).or_default().push(row)
            }
            _ => sections.push((component.position, Section::Component(row))),
        }
    }
    for group in groups {
        let Some(rows) = by_group.remove(&group.id) else { continue };
        let status = ComponentStatus::worst(rows.iter().map(|row| row.status)).unwrap_or(ComponentStatus::NoData);
        sections.push((
            group.position,
            Section::Group(GroupSection {
                id: ComponentGroupId(group.id),
                name: group.name.clone(),
                description: group.description.clone(),
                status,
                collapsed: group.collapsed,
                components: rows,
            }),
        ));
    }
    // Stable: equal positions keep groups after components, each in id order.
    sections.sort_by_key(|(position, _)| *position);
    Ok(sections.into_iter().map(|(_, section)| section).collect())
}

fn summarise_incidents(
    incidents: Vec<incidents::Model>,
    updates: Vec<incident_updates::Model>,
) -> Result<Vec<IncidentSummary>, AppError> {
    let mut latest: HashMap<i64, incident_updates::Model> =
        updates.into_iter().map(|update| (update.incident_id, update)).collect();
    incidents
        .into_iter()
        .map(|incident| {
            let latest_update = match latest.remove(&incident.id) {
                Some(update) => {
                    Some(UpdateSummary { status: stored(&update.status)?, body: update.body, at: update.display_at })
                }
                None => None,
            };
            Ok(IncidentSummary {
                id: IncidentId(incident.id),
                impact: stored(&incident.impact)?,
                status: stored(&incident.status)?,
                name: incident.name,
                started_at: incident.started_at,
                latest_update,
            })
        })
        .collect()
}
