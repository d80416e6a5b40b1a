//! What `herald incident …` and `herald component …` do: the same use cases the dashboard
//! and the API call, addressed by organization slug and component key instead of ids, for
//! scripts and for people at a terminal when the dashboard is out of reach.

use super::component_status::{self, StatusSource};
use super::entities::components;
use super::incidents::{self, Author, OpenIncident, UpdateIncident};
use super::internal;
use super::repositories::{self as repo};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{ComponentStatus, Impact, IncidentSource, IncidentStatus, Slug};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// `key` or `key=status`: a component and, optionally, the status to hold it at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentChoice {
    pub key: String,
    pub status: Option<ComponentStatus>,
}

impl std::str::FromStr for ComponentChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (key, status) = match text.split_once('=') {
            Some((key, status)) => {
                (key, Some(status.trim().parse::<ComponentStatus>().map_err(|error| error.to_string())?))
            }
            None => (text, None),
        };
        let key = key.trim();
        if key.is_empty() {
            return Err("Name a component by its key, such as api or api=partial_outage.".into());
        }
        Ok(ComponentChoice { key: key.to_owned(), status })
    }
}

pub struct OpenRequest {
    pub name: String,
    pub impact: Impact,
    pub status: IncidentStatus,
    pub message: String,
    pub components: Vec<ComponentChoice>,
    pub notify_subscribers: bool,
}

pub struct UpdateRequest {
    pub incident_id: i64,
    pub status: IncidentStatus,
    pub message: String,
    pub components: Vec<ComponentChoice>,
    pub notify_subscribers: bool,
}

fn command_line() -> Author {
    Author::system("Command line")
}

async fn organization_id(db: &impl ConnectionTrait, slug: &str) -> Result<i64, AppError> {
    let slug = Slug::parse(slug).map_err(|error| AppError::invalid("organization", error.to_string()))?;
    repo::organizations::find_by_slug(db, &slug)
        .await
        .map_err(internal("looking up an organization"))?
        .map(|organization| organization.id)
        .ok_or_else(|| AppError::NotFound(format!("There is no organization \"{slug}\".")))
}

/// Turns keys into ids; a component without a status gets `default` (from the impact).
async fn resolve_components(
    db: &impl ConnectionTrait,
    organization_id: i64,
    choices: &[ComponentChoice],
    default: Option<ComponentStatus>,
) -> Result<Vec<(i64, ComponentStatus)>, AppError> {
    let mut resolved = Vec::with_capacity(choices.len());
    for choice in choices {
        let component = components::Entity::find()
            .filter(components::Column::OrganizationId.eq(organization_id))
            .filter(components::Column::Key.eq(choice.key.as_str()))
            .one(db)
            .await
            .map_err(internal("looking up a component"))?
            .ok_or_else(|| {
                AppError::invalid(
                    "component",
                    format!("This organization has no component with the key \"{}\".", choice.key),
                )
            })?;
        let status = choice.status.or(default).ok_or_else(|| {
            AppError::invalid(
                "component",
                format!("Say which status \"{}\" is in, such as {}=degraded_performance.", choice.key, choice.key),
            )
        })?;
        resolved.push((component.id, status));
    }
    Ok(resolved)
}

pub async fn open_incident(
    db: &DatabaseConnection,
    slug: &str,
    request: OpenRequest,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let organization_id = organization_id(db, slug).await?;
    let components =
        resolve_components(db, organization_id, &request.components, request.impact.suggested_component_status())
            .await?;
    let incident = incidents::open(
        db,
        None,
        organization_id,
        OpenIncident {
            name: request.name,
            impact: request.impact,
            status: request.status,
            message: request.message,
            components,
            notify_subscribers: request.notify_subscribers,
            started_at: None,
            source: IncidentSource::Manual,
            external_key: None,
            author: command_line(),
        },
        now,
    )
    .await?;
    Ok(incident.id)
}

pub async fn update_incident(
    db: &DatabaseConnection,
    slug: &str,
    request: UpdateRequest,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let organization_id = organization_id(db, slug).await?;
    let components = resolve_components(db, organization_id, &request.components, None).await?;
    incidents::post_update(
        db,
        None,
        organization_id,
        request.incident_id,
        UpdateIncident {
            status: request.status,
            message: request.message,
            components,
            notify_subscribers: request.notify_subscribers,
            at: None,
            author: command_line(),
        },
        now,
    )
    .await?;
    Ok(())
}

/// Sets a component's status by hand. Returns whether it changed.
pub async fn set_component_status(
    db: &DatabaseConnection,
    slug: &str,
    choice: &ComponentChoice,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let organization_id = organization_id(db, slug).await?;
    let txn = repo::begin_write(db).await.map_err(internal("starting a transaction"))?;
    let wanted = resolve_components(&txn, organization_id, std::slice::from_ref(choice), None).await?;
    let changes = component_status::set(&txn, organization_id, &wanted, StatusSource::Manual, now)
        .await
        .map_err(internal("setting a component's status"))?;
    txn.commit().await.map_err(internal("committing a status change"))?;
    Ok(!changes.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_choices_parse_with_clear_errors() {
        assert_eq!("api".parse(), Ok(ComponentChoice { key: "api".into(), status: None }));
        assert_eq!(
            "api=partial_outage".parse(),
            Ok(ComponentChoice { key: "api".into(), status: Some(ComponentStatus::PartialOutage) })
        );
        assert!("=operational".parse::<ComponentChoice>().is_err());
        assert!("api=on_fire".parse::<ComponentChoice>().unwrap_err().contains("on_fire"));
    }
}
