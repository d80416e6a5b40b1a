//! The instance's front page: which organizations it hosts and how each is doing.

use super::internal;
use super::repositories::{self as repo, stored};
use crate::error::AppError;
use crate::model::{Directory, OrganizationListing};
use herald::{ComponentStatus, Impact, overall_indicator};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

pub async fn load(db: &impl ConnectionTrait) -> Result<Directory, AppError> {
    let setup_needed = !repo::instance::is_set_up(db).await.map_err(internal("reading setup state"))?;
    let organizations = repo::organizations::listed(db).await.map_err(internal("listing organizations"))?;
    let ids: Vec<i64> = organizations.iter().map(|organization| organization.id).collect();

    // Three queries for the whole page, however many organizations there are.
    let mut statuses: HashMap<i64, Vec<ComponentStatus>> = HashMap::new();
    for (organization_id, status) in
        repo::components::statuses_of(db, &ids).await.map_err(internal("loading component statuses"))?
    {
        statuses.entry(organization_id).or_default().push(stored(&status)?);
    }
    let mut impacts: HashMap<i64, Vec<Impact>> = HashMap::new();
    for (organization_id, impact) in
        repo::incidents::open_impacts_of(db, &ids).await.map_err(internal("loading open incidents"))?
    {
        impacts.entry(organization_id).or_default().push(stored(&impact)?);
    }
    let in_maintenance =
        repo::maintenances::organizations_in_maintenance(db, &ids).await.map_err(internal("loading maintenance"))?;

    let organizations = organizations
        .into_iter()
        .map(|organization| OrganizationListing {
            indicator: overall_indicator(
                statuses.remove(&organization.id).unwrap_or_default(),
                impacts.remove(&organization.id).unwrap_or_default(),
                in_maintenance.contains(&organization.id),
            ),
            slug: organization.slug,
            name: organization.name,
            tagline: organization.tagline,
        })
        .collect();
    Ok(Directory { organizations, setup_needed })
}
