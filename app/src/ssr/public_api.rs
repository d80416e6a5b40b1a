//! Status for machines: Atlassian Statuspage's public v2 documents, so that aggregators, chat
//! bots and scripts written for Statuspage read Herald unchanged, and Herald's own two
//! summaries. All of them are built once per change (beside the page snapshot) and served
//! from memory, so polling them costs no database query.

use super::entities::{
    component_groups, components, incident_components, incident_update_components, incident_updates, incidents,
    maintenance_components, maintenance_updates, maintenances, organizations,
};
use super::internal;
use super::moments::zone;
use super::repositories::components::{PageEntry, page_order};
use super::repositories::{self as repo, stored};
use crate::error::AppError;
use crate::model::{ComponentRow, HeatmapFrame, Section, StatusPage, day_status};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use herald::{ComponentStatus, Impact, IncidentStatus, Indicator, MaintenanceStatus};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;

/// How many incidents and maintenances the list documents carry (Statuspage's own limit).
pub const LIST_LIMIT: u64 = 50;

/// One document of the public API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiDocument {
    Summary,
    Status,
    Components,
    Incidents,
    UnresolvedIncidents,
    ScheduledMaintenances,
    UpcomingMaintenances,
    ActiveMaintenances,
    /// `/api/:slug/status`: the organization, its overall status, services, active incidents
    /// and maintenance, in Herald's own words.
    HeraldStatus,
    /// `/api/:slug/snapshot`: what the page shows, with uptime and 90 daily statuses per
    /// component.
    HeraldSnapshot,
}

impl ApiDocument {
    pub const ALL: [ApiDocument; 10] = [
        ApiDocument::Summary,
        ApiDocument::Status,
        ApiDocument::Components,
        ApiDocument::Incidents,
        ApiDocument::UnresolvedIncidents,
        ApiDocument::ScheduledMaintenances,
        ApiDocument::UpcomingMaintenances,
        ApiDocument::ActiveMaintenances,
        ApiDocument::HeraldStatus,
        ApiDocument::HeraldSnapshot,
    ];

    /// The Statuspage documents by their path under `/api/v2/`.
    pub fn statuspage(path: &str) -> Option<ApiDocument> {
        Some(match path {
            "summary.json" => ApiDocument::Summary,
            "status.json" => ApiDocument::Status,
            "components.json" => ApiDocument::Components,
            "incidents.json" => ApiDocument::Incidents,
            "incidents/unresolved.json" => ApiDocument::UnresolvedIncidents,
            "scheduled-maintenances.json" => ApiDocument::ScheduledMaintenances,
            "scheduled-maintenances/upcoming.json" => ApiDocument::UpcomingMaintenances,
            "scheduled-maintenances/active.json" => ApiDocument::ActiveMaintenances,
            _ => return None,
        })
    }

    /// Herald's own documents by their last path segment under `/api/:slug/`.
    pub fn herald(name: &str) -> Option<ApiDocument> {
        match name {
            "status" => Some(ApiDocument::HeraldStatus),
            "snapshot" => Some(ApiDocument::HeraldSnapshot),
            _ => None,
        }
    }

    /// Where the document lives for the organization `slug`.
    pub fn path(self, slug: &str) -> String {
        let statuspage = |name: &str| format!("/s/{slug}/api/v2/{name}");
        match self {
            ApiDocument::Summary => statuspage("summary.json"),
            ApiDocument::Status => statuspage("status.json"),
            ApiDocument::Components => statuspage("components.json"),
            ApiDocument::Incidents => statuspage("incidents.json"),
            ApiDocument::UnresolvedIncidents => statuspage("incidents/unresolved.json"),
            ApiDocument::ScheduledMaintenances => statuspage("scheduled-maintenances.json"),
            ApiDocument::UpcomingMaintenances => statuspage("scheduled-maintenances/upcoming.json"),
            ApiDocument::ActiveMaintenances => statuspage("scheduled-maintenances/active.json"),
            ApiDocument::HeraldStatus => format!("/api/{slug}/status"),
            ApiDocument::HeraldSnapshot => format!("/api/{slug}/snapshot"),
        }
    }
}

/// Every document of one organization, serialised.
pub struct ApiDocuments {
    pub organization_id: i64,
    pub slug: String,
    /// When anything the documents show last changed (for `Last-Modified`).
    pub updated_at: DateTime<Utc>,
    pub documents: Vec<(ApiDocument, String)>,
}

/// The address of an organization's public page: its custom domain when it has one, else
/// under the instance's public address.
pub fn page_url(organization: &organizations::Model, public_url: &str) -> String {
    match &organization.custom_domain {
        Some(domain) => format!("https://{domain}"),
        None => format!("{}/s/{}", public_url.trim_end_matches('/'), organization.slug),
    }
}

/// Builds every document of `organization`. `page` is its current page snapshot: the overall
/// status and the heatmaps come from it, so the API and the page never disagree.
pub async fn build(
    db: &impl ConnectionTrait,
    organization: &organizations::Model,
    page: &StatusPage,
    public_url: &str,
) -> Result<ApiDocuments, AppError> {
    let rows = Rows::load(db, organization).await?;
    let catalog = Catalog::new(organization, &rows, page, public_url)?;
    let incidents = incidents(&catalog, &rows)?;
    let maintenances = maintenances(&catalog, &rows)?;
    let unresolved = || incidents.iter().filter(|(open, _)| *open).map(|(_, incident)| incident).collect::<Vec<_>>();
    let maintenances_where = |wanted: fn(MaintenanceStatus) -> bool| {
        maintenances.iter().filter(|(status, ..)| wanted(*status)).map(|(.., maintenance)| maintenance).collect()
    };
    let page_ref = &catalog.page;
    let mut documents = Vec::with_capacity(ApiDocument::ALL.len());
    for document in ApiDocument::ALL {
        let json = match document {
            ApiDocument::Summary => serde_json::to_string(&Summary {
                page: page_ref,
                components: &catalog.components,
                incidents: unresolved(),
                // Upcoming and in progress, soonest first, as Statuspage lists them.
                scheduled_maintenances: {
                    let mut current: Vec<&Incident> = maintenances_where(|status| !status.is_finished());
                    current.reverse();
                    current
                },
                status: &catalog.status,
            }),
            ApiDocument::Status => serde_json::to_string(&PageStatus { page: page_ref, status: &catalog.status }),
            ApiDocument::Components => {
                serde_json::to_string(&PageComponents { page: page_ref, components: &catalog.components })
            }
            ApiDocument::Incidents => serde_json::to_string(&PageIncidents {
                page: page_ref,
                incidents: incidents.iter().map(|(_, incident)| incident).take(LIST_LIMIT as usize).collect(),
            }),
            ApiDocument::UnresolvedIncidents => {
                serde_json::to_string(&PageIncidents { page: page_ref, incidents: unresolved() })
            }
            ApiDocument::ScheduledMaintenances => serde_json::to_string(&PageMaintenances {
                page: page_ref,
                scheduled_maintenances: maintenances
                    .iter()
                    .map(|(.., maintenance)| maintenance)
                    .take(LIST_LIMIT as usize)
                    .collect(),
            }),
            ApiDocument::UpcomingMaintenances => serde_json::to_string(&PageMaintenances {
                page: page_ref,
                scheduled_maintenances: maintenances_where(|status| status == MaintenanceStatus::Scheduled),
            }),
            ApiDocument::ActiveMaintenances => serde_json::to_string(&PageMaintenances {
                page: page_ref,
                scheduled_maintenances: maintenances_where(MaintenanceStatus::is_active),
            }),
            ApiDocument::HeraldStatus => serde_json::to_string(&herald_status(&catalog, &rows)?),
            ApiDocument::HeraldSnapshot => serde_json::to_string(&herald_snapshot(&catalog, page)),
        };
        documents.push((document, json.map_err(internal("serialising an API document"))?));
    }
    Ok(ApiDocuments {
        organization_id: organization.id,
        slug: organization.slug.clone(),
        updated_at: catalog.updated_at,
        documents,
    })
}

/// The rows the documents are made of.
struct Rows {
    groups: Vec<component_groups::Model>,
    components: Vec<components::Model>,
    incidents: Vec<incidents::Model>,
    incident_updates: Vec<incident_updates::Model>,
    update_components: Vec<incident_update_components::Model>,
    incident_components: Vec<incident_components::Model>,
    maintenances: Vec<maintenances::Model>,
    maintenance_updates: Vec<maintenance_updates::Model>,
    maintenance_components: Vec<maintenance_components::Model>,
}

impl Rows {
    async fn load(db: &impl ConnectionTrait, organization: &organizations::Model) -> Result<Rows, AppError> {
        let (groups, components) =
            repo::components::for_organization(db, organization.id).await.map_err(internal("loading components"))?;
        // The latest incidents, and every unresolved one however old.
        let mut incidents = incidents::Entity::find()
            .filter(incidents::Column::OrganizationId.eq(organization.id))
            .order_by_desc(incidents::Column::StartedAt)
            .order_by_desc(incidents::Column::Id)
            .limit(LIST_LIMIT)
            .all(db)
            .await
            .map_err(internal("loading recent incidents"))?;
        let listed = incidents.iter().map(|incident| incident.id).collect::<Vec<_>>();
        incidents.extend(
            incidents::Entity::find()
                .filter(incidents::Column::OrganizationId.eq(organization.id))
                .filter(incidents::Column::ResolvedAt.is_null())
                .filter(incidents::Column::Id.is_not_in(listed))
                .all(db)
                .await
                .map_err(internal("loading unresolved incidents"))?,
        );
        let incident_ids: Vec<i64> = incidents.iter().map(|incident| incident.id).collect();
        let incident_updates = incident_updates::Entity::find()
            .filter(incident_updates::Column::IncidentId.is_in(incident_ids.clone()))
            .order_by_desc(incident_updates::Column::DisplayAt)
            .order_by_desc(incident_updates::Column::Id)
            .all(db)
            .await
            .map_err(internal("loading incident updates"))?;
        let update_components = incident_update_components::Entity::find()
            .filter(
                incident_update_components::Column::IncidentUpdateId
                    .is_in(incident_updates.iter().map(|update| update.id)),
            )
            .order_by_asc(incident_update_components::Column::Id)
            .all(db)
            .await
            .map_err(internal("loading the components incident updates changed"))?;
        let incident_components = incident_components::Entity::find()
            .filter(incident_components::Column::IncidentId.is_in(incident_ids))
            .all(db)
            .await
            .map_err(internal("loading incidents' components"))?;

        // Cancelled maintenance never happened: Statuspage has no such state, and listing it
        // as completed would be untrue.
        let not_cancelled = maintenances::Column::Status.ne(MaintenanceStatus::Cancelled.as_str());
        let mut maintenances = maintenances::Entity::find()
            .filter(maintenances::Column::OrganizationId.eq(organization.id))
            .filter(not_cancelled.clone())
            .order_by_desc(maintenances::Column::ScheduledStart)
            .order_by_desc(maintenances::Column::Id)
            .limit(LIST_LIMIT)
            .all(db)
            .await
            .map_err(internal("loading recent maintenance"))?;
        let listed: Vec<i64> = maintenances.iter().map(|maintenance| maintenance.id).collect();
        maintenances.extend(
            maintenances::Entity::find()
                .filter(maintenances::Column::OrganizationId.eq(organization.id))
                .filter(Condition::all().add(maintenances::Column::Id.is_not_in(listed)).add(
                    maintenances::Column::Status.is_in([
                        MaintenanceStatus::Scheduled.as_str(),
                        MaintenanceStatus::InProgress.as_str(),
                        MaintenanceStatus::Verifying.as_str(),
                    ]),
                ))
                .all(db)
                .await
                .map_err(internal("loading upcoming and active maintenance"))?,
        );
        let maintenance_ids: Vec<i64> = maintenances.iter().map(|maintenance| maintenance.id).collect();
        let maintenance_updates = maintenance_updates::Entity::find()
            .filter(maintenance_updates::Column::MaintenanceId.is_in(maintenance_ids.clone()))
            .order_by_desc(maintenance_updates::Column::DisplayAt)
            .order_by_desc(maintenance_updates::Column::Id)
            .all(db)
            .await
            .map_err(internal("loading maintenance updates"))?;
        let maintenance_components = maintenance_components::Entity::find()
            .filter(maintenance_components::Column::MaintenanceId.is_in(maintenance_ids))
            .all(db)
            .await
            .map_err(internal("loading maintenance components"))?;
        Ok(Rows {
            groups,
            components,
            incidents,
            incident_updates,
            update_components,
            incident_components,
            maintenances,
            maintenance_updates,
            maintenance_components,
        })
    }
}

/// A timestamp as Statuspage writes it: the page's local time with its offset, to the
/// millisecond.
fn stamp(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
}

/// Statuspage has no "no data": a component nobody has observed yet is reported as Statuspage
/// would show a component nobody has marked, operational. Herald's own documents say `no_data`.
fn statuspage_status(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::NoData => ComponentStatus::Operational.as_str(),
        other => other.as_str(),
    }
}

// Identifiers are opaque strings in Statuspage. Groups are components there, so the two
// kinds (and incidents and maintenance, which share one list in Statuspage clients) get
// prefixes that keep them apart.
fn component_id(id: i64) -> String {
    format!("c{id}")
}
fn group_id(id: i64) -> String {
    format!("g{id}")
}
fn incident_id(id: i64) -> String {
    format!("i{id}")
}
fn maintenance_id(id: i64) -> String {
    format!("m{id}")
}

#[derive(Serialize)]
struct Page {
    id: String,
    name: String,
    url: String,
    time_zone: String,
    updated_at: String,
}

#[derive(Serialize)]
struct Status {
    indicator: Indicator,
    description: &'static str,
}

#[derive(Clone, Serialize)]
struct Component {
    id: String,
    name: String,
    status: &'static str,
    created_at: String,
    updated_at: String,
    position: usize,
    description: Option<String>,
    showcase: bool,
    start_date: Option<NaiveDate>,
    group_id: Option<String>,
    page_id: String,
    group: bool,
    only_show_if_degraded: bool,
    /// Groups only: the ids of their components.
    #[serde(skip_serializing_if = "Option::is_none")]
    components: Option<Vec<String>>,
}

#[derive(Serialize)]
struct Incident<'a> {
    id: String,
    name: &'a str,
    status: &'static str,
    created_at: String,
    updated_at: String,
    monitoring_at: Option<String>,
    resolved_at: Option<String>,
    impact: &'static str,
    shortlink: String,
    started_at: String,
    page_id: &'a str,
    incident_updates: Vec<IncidentUpdate<'a>>,
    components: Vec<&'a Component>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_for: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheduled_until: Option<String>,
}

#[derive(Serialize)]
struct IncidentUpdate<'a> {
    id: String,
    status: &'static str,
    body: &'a str,
    incident_id: String,
    created_at: String,
    updated_at: String,
    display_at: String,
    affected_components: Option<Vec<AffectedComponent<'a>>>,
    deliver_notifications: bool,
    custom_tweet: Option<String>,
    tweet_id: Option<String>,
}

#[derive(Serialize)]
struct AffectedComponent<'a> {
    code: String,
    name: &'a str,
    old_status: &'static str,
    new_status: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    page: &'a Page,
    components: &'a [Component],
    incidents: Vec<&'a Incident<'a>>,
    scheduled_maintenances: Vec<&'a Incident<'a>>,
    status: &'a Status,
}

#[derive(Serialize)]
struct PageStatus<'a> {
    page: &'a Page,
    status: &'a Status,
}

#[derive(Serialize)]
struct PageComponents<'a> {
    page: &'a Page,
    components: &'a [Component],
}

#[derive(Serialize)]
struct PageIncidents<'a> {
    page: &'a Page,
    incidents: Vec<&'a Incident<'a>>,
}

#[derive(Serialize)]
struct PageMaintenances<'a> {
    page: &'a Page,
    scheduled_maintenances: Vec<&'a Incident<'a>>,
}

/// The page, its status and its components: what every other object refers to.
struct Catalog<'a> {
    organization: &'a organizations::Model,
    page: Page,
    status: Status,
    headline: Indicator,
    tz: Tz,
    url: String,
    updated_at: DateTime<Utc>,
    /// Display order: each group followed by its components, ungrouped ones in between.
    components: Vec<Component>,
    /// Herald's own statuses (with no data) and group names, by component id.
    statuses: HashMap<i64, ComponentStatus>,
    group_names: HashMap<i64, &'a str>,
}

impl<'a> Catalog<'a> {
    fn new(
        organization: &'a organizations::Model,
        rows: &'a Rows,
        page: &StatusPage,
        public_url: &str,
    ) -> Result<Catalog<'a>, AppError> {
        let tz = zone(&organization.time_zone);
        let updated_at = std::iter::once(organization.updated_at)
            .chain(rows.groups.iter().map(|group| group.updated_at))
            .chain(rows.components.iter().flat_map(|component| [component.updated_at, component.status_changed_at]))
            .chain(rows.incidents.iter().flat_map(|incident| [incident.updated_at, incident.last_update_at]))
            .chain(rows.maintenances.iter().map(|maintenance| maintenance.updated_at))
            .max()
            .unwrap_or(organization.updated_at);
        let mut statuses = HashMap::new();
        for component in &rows.components {
            statuses.insert(component.id, stored::<ComponentStatus>(&component.status)?);
        }
        let url = page_url(organization, public_url);
        Ok(Catalog {
            organization,
            page: Page {
                id: organization.slug.clone(),
                name: organization.name.clone(),
                url: url.clone(),
                time_zone: organization.time_zone.clone(),
                updated_at: stamp(updated_at, tz),
            },
            status: Status { indicator: page.indicator, description: page.indicator.statuspage_description() },
            headline: page.indicator,
            tz,
            url,
            updated_at,
            components: arrange(rows, &statuses, &organization.slug, tz),
            statuses,
            group_names: rows.groups.iter().map(|group| (group.id, group.name.as_str())).collect(),
        })
    }

    fn component(&self, id: i64) -> Option<&Component> {
        let id = component_id(id);
        self.components.iter().find(|component| component.id == id)
    }

    fn stamp(&self, at: DateTime<Utc>) -> String {
        stamp(at, self.tz)
    }
}

/// Statuspage lists groups as components: each group, then its members, in the page's order,
/// numbered from 1.
fn arrange(rows: &Rows, statuses: &HashMap<i64, ComponentStatus>, page_id: &str, tz: Tz) -> Vec<Component> {
    let status_of =
        |component: &components::Model| statuses.get(&component.id).copied().unwrap_or(ComponentStatus::NoData);
    let component = |component: &components::Model, group_id: Option<String>| Component {
        id: self::component_id(component.id),
        name: component.name.clone(),
        status: statuspage_status(status_of(component)),
        created_at: stamp(component.created_at, tz),
        updated_at: stamp(component.updated_at.max(component.status_changed_at), tz),
        position: 0,
        description: component.description.clone(),
        showcase: component.showcase,
        start_date: component.start_date,
        group_id,
        page_id: page_id.to_owned(),
        group: false,
        only_show_if_degraded: component.only_show_if_degraded,
        components: None,
    };
    let mut listed = Vec::with_capacity(rows.components.len() + rows.groups.len());
    for entry in page_order(&rows.groups, &rows.components) {
        match entry {
            PageEntry::Component(row) => listed.push(component(row, None)),
            PageEntry::Group(group, members) => {
                let worst = ComponentStatus::worst(members.iter().map(|member| status_of(member)))
                    .unwrap_or(ComponentStatus::Operational);
                listed.push(Component {
                    id: group_id(group.id),
                    name: group.name.clone(),
                    status: statuspage_status(worst),
                    created_at: stamp(group.created_at, tz),
                    updated_at: stamp(group.updated_at, tz),
                    position: 0,
                    description: group.description.clone(),
                    showcase: false,
                    start_date: None,
                    group_id: None,
                    page_id: page_id.to_owned(),
                    group: true,
                    only_show_if_degraded: false,
                    components: Some(members.iter().map(|member| self::component_id(member.id)).collect()),
                });
                listed.extend(members.into_iter().map(|member| component(member, Some(group_id(group.id)))));
            }
        }
    }
    for (index, component) in listed.iter_mut().enumerate() {
        component.position = index + 1;
    }
    listed
}

/// Newest first; `(unresolved, incident)`.
fn incidents<'a>(catalog: &'a Catalog<'a>, rows: &'a Rows) -> Result<Vec<(bool, Incident<'a>)>, AppError> {
    let names: HashMap<i64, &str> =
        rows.components.iter().map(|component| (component.id, component.name.as_str())).collect();
    let mut ordered: Vec<&incidents::Model> = rows.incidents.iter().collect();
    ordered.sort_by_key(|incident| std::cmp::Reverse((incident.started_at, incident.id)));
    let mut incidents = Vec::with_capacity(ordered.len());
    for incident in ordered {
        let mut updates = Vec::new();
        for update in rows.incident_updates.iter().filter(|update| update.incident_id == incident.id) {
            let mut affected = Vec::new();
            for change in rows.update_components.iter().filter(|change| change.incident_update_id == update.id) {
                affected.push(AffectedComponent {
                    code: component_id(change.component_id),
                    name: names.get(&change.component_id).copied().unwrap_or("Removed component"),
                    old_status: statuspage_status(stored(&change.old_status)?),
                    new_status: statuspage_status(stored(&change.new_status)?),
                });
            }
            updates.push(IncidentUpdate {
                id: format!("u{}", update.id),
                status: stored::<IncidentStatus>(&update.status)?.as_str(),
                body: &update.body,
                incident_id: incident_id(incident.id),
                created_at: catalog.stamp(update.created_at),
                updated_at: catalog.stamp(update.updated_at),
                display_at: catalog.stamp(update.display_at),
                affected_components: (!affected.is_empty()).then_some(affected),
                deliver_notifications: update.notify_subscribers,
                custom_tweet: None,
                tweet_id: None,
            });
        }
        let held = rows.incident_components.iter().filter(|held| held.incident_id == incident.id);
        incidents.push((
            incident.resolved_at.is_none(),
            Incident {
                id: incident_id(incident.id),
                name: &incident.name,
                status: stored::<IncidentStatus>(&incident.status)?.as_str(),
                created_at: catalog.stamp(incident.created_at),
                updated_at: catalog.stamp(incident.updated_at.max(incident.last_update_at)),
                monitoring_at: incident.monitoring_at.map(|at| catalog.stamp(at)),
                resolved_at: incident.resolved_at.map(|at| catalog.stamp(at)),
                impact: stored::<Impact>(&incident.impact)?.as_str(),
                shortlink: format!("{}/incidents/{}", catalog.url, incident.id),
                started_at: catalog.stamp(incident.started_at),
                page_id: &catalog.page.id,
                incident_updates: updates,
                components: in_page_order(held.filter_map(|held| catalog.component(held.component_id))),
                scheduled_for: None,
                scheduled_until: None,
            },
        ));
    }
    Ok(incidents)
}

fn in_page_order<'c>(components: impl Iterator<Item = &'c Component>) -> Vec<&'c Component> {
    let mut components: Vec<&Component> = components.collect();
    components.sort_by_key(|component| component.position);
    components
}

/// Newest first, in Statuspage's incident shape with `scheduled_for`/`scheduled_until`.
fn maintenances<'a>(
    catalog: &'a Catalog<'a>,
    rows: &'a Rows,
) -> Result<Vec<(MaintenanceStatus, &'a maintenances::Model, Incident<'a>)>, AppError> {
    let mut ordered: Vec<&maintenances::Model> = rows.maintenances.iter().collect();
    ordered.sort_by_key(|maintenance| std::cmp::Reverse((maintenance.scheduled_start, maintenance.id)));
    let mut listed = Vec::with_capacity(ordered.len());
    for maintenance in ordered {
        let status = stored::<MaintenanceStatus>(&maintenance.status)?;
        let mut updates = Vec::new();
        for update in rows.maintenance_updates.iter().filter(|update| update.maintenance_id == maintenance.id) {
            updates.push(IncidentUpdate {
                id: format!("mu{}", update.id),
                status: stored::<MaintenanceStatus>(&update.status)?.as_str(),
                body: &update.body,
                incident_id: maintenance_id(maintenance.id),
                created_at: catalog.stamp(update.created_at),
                updated_at: catalog.stamp(update.updated_at),
                display_at: catalog.stamp(update.display_at),
                affected_components: None,
                deliver_notifications: update.notify_subscribers,
                custom_tweet: None,
                tweet_id: None,
            });
        }
        // Statuspage's "monitoring" of a maintenance is its verification.
        let verifying_since = rows
            .maintenance_updates
            .iter()
            .filter(|update| {
                update.maintenance_id == maintenance.id && update.status == MaintenanceStatus::Verifying.as_str()
            })
            .map(|update| update.display_at)
            .min();
        let components = rows
            .maintenance_components
            .iter()
            .filter(|held| held.maintenance_id == maintenance.id)
            .filter_map(|held| catalog.component(held.component_id));
        listed.push((
            status,
            maintenance,
            Incident {
                id: maintenance_id(maintenance.id),
                name: &maintenance.name,
                status: status.as_str(),
                created_at: catalog.stamp(maintenance.created_at),
                updated_at: catalog.stamp(maintenance.updated_at),
                monitoring_at: verifying_since.map(|at| catalog.stamp(at)),
                resolved_at: maintenance.completed_at.map(|at| catalog.stamp(at)),
                impact: "maintenance",
                shortlink: format!("{}/maintenance/{}", catalog.url, maintenance.id),
                started_at: catalog.stamp(maintenance.started_at.unwrap_or(maintenance.scheduled_start)),
                page_id: &catalog.page.id,
                incident_updates: updates,
                components: in_page_order(components),
                scheduled_for: Some(catalog.stamp(maintenance.scheduled_start)),
                scheduled_until: Some(catalog.stamp(maintenance.scheduled_end)),
            },
        ));
    }
    Ok(listed)
}

#[derive(Serialize)]
struct HeraldOrganization<'a> {
    slug: &'a str,
    name: &'a str,
    url: &'a str,
    time_zone: &'a str,
}

#[derive(Serialize)]
struct HeraldOverall {
    indicator: Indicator,
    description: &'static str,
}

#[derive(Serialize)]
struct HeraldStatus<'a> {
    organization: HeraldOrganization<'a>,
    status: HeraldOverall,
    services: Vec<Service<'a>>,
    active_incidents: Vec<HeraldIncident<'a>>,
    active_maintenance: Vec<HeraldMaintenance<'a>>,
    upcoming_maintenance: Vec<HeraldMaintenance<'a>>,
}

#[derive(Serialize)]
struct Service<'a> {
    key: &'a str,
    name: &'a str,
    group: Option<&'a str>,
    status: ComponentStatus,
    description: Option<&'a str>,
    only_show_if_degraded: bool,
}

#[derive(Serialize)]
struct HeraldIncident<'a> {
    id: i64,
    name: &'a str,
    impact: Impact,
    status: IncidentStatus,
    started_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    url: String,
    latest_update: Option<LatestUpdate<'a>>,
    components: Vec<HeldComponent<'a>>,
}

#[derive(Serialize)]
struct LatestUpdate<'a> {
    status: &'a str,
    body: &'a str,
    at: DateTime<Utc>,
}

#[derive(Serialize)]
struct HeldComponent<'a> {
    key: &'a str,
    name: &'a str,
    status: ComponentStatus,
}

#[derive(Serialize)]
struct HeraldMaintenance<'a> {
    id: i64,
    name: &'a str,
    status: MaintenanceStatus,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    url: String,
    components: Vec<HeldComponent<'a>>,
}

fn herald_organization<'a>(catalog: &'a Catalog<'a>) -> HeraldOrganization<'a> {
    HeraldOrganization {
        slug: &catalog.organization.slug,
        name: &catalog.organization.name,
        url: &catalog.url,
        time_zone: &catalog.organization.time_zone,
    }
}

fn herald_status<'a>(catalog: &'a Catalog<'a>, rows: &'a Rows) -> Result<HeraldStatus<'a>, AppError> {
    let component_rows: HashMap<i64, &components::Model> =
        rows.components.iter().map(|component| (component.id, component)).collect();
    let status_of = |id: i64| catalog.statuses.get(&id).copied().unwrap_or(ComponentStatus::NoData);
    let services = rows
        .components
        .iter()
        .map(|component| Service {
            key: &component.key,
            name: &component.name,
            group: component.group_id.and_then(|id| catalog.group_names.get(&id).copied()),
            status: status_of(component.id),
            description: component.description.as_deref(),
            only_show_if_degraded: component.only_show_if_degraded,
        })
        .collect();

    let mut active_incidents = Vec::new();
    let mut open: Vec<&incidents::Model> =
        rows.incidents.iter().filter(|incident| incident.resolved_at.is_none()).collect();
    open.sort_by_key(|incident| std::cmp::Reverse((incident.started_at, incident.id)));
    for incident in open {
        let latest = rows.incident_updates.iter().find(|update| update.incident_id == incident.id);
        let mut components = Vec::new();
        for held in rows.incident_components.iter().filter(|held| held.incident_id == incident.id) {
            if let Some(component) = component_rows.get(&held.component_id) {
                components.push(HeldComponent {
                    key: &component.key,
                    name: &component.name,
                    status: stored(&held.component_status)?,
                });
            }
        }
        active_incidents.push(HeraldIncident {
            id: incident.id,
            name: &incident.name,
            impact: stored(&incident.impact)?,
            status: stored(&incident.status)?,
            started_at: incident.started_at,
            updated_at: incident.updated_at.max(incident.last_update_at),
            url: format!("{}/incidents/{}", catalog.url, incident.id),
            latest_update: latest.map(|update| LatestUpdate {
                status: &update.status,
                body: &update.body,
                at: update.display_at,
            }),
            components,
        });
    }

    let (mut active_maintenance, mut upcoming_maintenance) = (Vec::new(), Vec::new());
    let mut current: Vec<&maintenances::Model> = rows.maintenances.iter().collect();
    current.sort_by_key(|maintenance| (maintenance.scheduled_start, maintenance.id));
    for maintenance in current {
        let status = stored::<MaintenanceStatus>(&maintenance.status)?;
        let list = match status {
            MaintenanceStatus::Scheduled => &mut upcoming_maintenance,
            status if status.is_active() => &mut active_maintenance,
            _ => continue,
        };
        let components = rows
            .maintenance_components
            .iter()
            .filter(|held| held.maintenance_id == maintenance.id)
            .filter_map(|held| component_rows.get(&held.component_id))
            .map(|component| HeldComponent {
                key: &component.key,
                name: &component.name,
                status: status_of(component.id),
            })
            .collect();
        list.push(HeraldMaintenance {
            id: maintenance.id,
            name: &maintenance.name,
            status,
            starts_at: maintenance.scheduled_start,
            ends_at: maintenance.scheduled_end,
            url: format!("{}/maintenance/{}", catalog.url, maintenance.id),
            components,
        });
    }
    Ok(HeraldStatus {
        organization: herald_organization(catalog),
        status: HeraldOverall { indicator: catalog.headline, description: catalog.headline.headline() },
        services,
        active_incidents,
        active_maintenance,
        upcoming_maintenance,
    })
}

#[derive(Serialize)]
struct HeraldSnapshot<'a> {
    organization: HeraldOrganization<'a>,
    status: HeraldOverall,
    /// The days every component's `days` cover, oldest first, in the organization's zone.
    first_day: NaiveDate,
    day_count: u16,
    components: Vec<SnapshotComponent<'a>>,
}

#[derive(Serialize)]
struct SnapshotComponent<'a> {
    key: &'a str,
    name: &'a str,
    group: Option<&'a str>,
    status: ComponentStatus,
    /// Over the whole window; `null` when uptime is not shown or nothing was observed.
    uptime_percent: Option<f64>,
    /// Empty when the organization chose not to show this component's uptime.
    days: Vec<SnapshotDay>,
}

#[derive(Serialize)]
struct SnapshotDay {
    date: NaiveDate,
    /// The worst status of the day, or `no_data`.
    status: ComponentStatus,
    uptime_percent: Option<f64>,
}

fn percent(hundredths: Option<u16>) -> Option<f64> {
    hundredths.map(|hundredths| f64::from(hundredths) / 100.0)
}

/// The page's own view: only the components it shows, with their heatmaps.
fn herald_snapshot<'a>(catalog: &'a Catalog<'a>, page: &'a StatusPage) -> HeraldSnapshot<'a> {
    let frame: &HeatmapFrame = &page.heatmap;
    let row = |row: &'a ComponentRow, group: Option<&'a str>| SnapshotComponent {
        key: &row.key,
        name: &row.name,
        group,
        status: row.status,
        uptime_percent: row.heatmap.as_ref().and_then(|heatmap| percent(heatmap.window_uptime)),
        days: row
            .heatmap
            .iter()
            .flat_map(|heatmap| {
                heatmap.days.chars().zip(&heatmap.uptime).enumerate().filter_map(|(index, (letter, uptime))| {
                    Some(SnapshotDay {
                        date: frame.day(index)?,
                        status: day_status(letter).unwrap_or(ComponentStatus::NoData),
                        uptime_percent: percent(*uptime),
                    })
                })
            })
            .collect(),
    };
    let mut components = Vec::new();
    for section in &page.sections {
        match section {
            Section::Component(component) => components.push(row(component, None)),
            Section::Group(group) => {
                components.extend(group.components.iter().map(|component| row(component, Some(&group.name))))
            }
        }
    }
    HeraldSnapshot {
        organization: herald_organization(catalog),
        status: HeraldOverall { indicator: page.indicator, description: page.indicator.headline() },
        first_day: frame.first_day,
        day_count: frame.days,
        components,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_document_has_one_address_that_leads_back_to_it() {
        for document in ApiDocument::ALL {
            let path = document.path("acme");
            let found = match path.strip_prefix("/s/acme/api/v2/") {
                Some(name) => ApiDocument::statuspage(name),
                None => path.strip_prefix("/api/acme/").and_then(ApiDocument::herald),
            };
            assert_eq!(found, Some(document), "{path}");
        }
        assert_eq!(ApiDocument::statuspage("summary"), None);
        assert_eq!(ApiDocument::statuspage("../summary.json"), None);
        assert_eq!(ApiDocument::statuspage("incidents/"), None);
        assert_eq!(ApiDocument::herald("Status"), None);
    }

    #[test]
    fn timestamps_are_local_with_offset_and_milliseconds_as_statuspage_writes_them() {
        let at = Utc.with_ymd_and_hms(2026, 1, 15, 21, 37, 37).single().unwrap_or_default()
            + chrono::Duration::milliseconds(407);
        assert_eq!(stamp(at, chrono_tz::America::Tijuana), "2026-01-15T13:37:37.407-08:00");
        assert_eq!(stamp(at, chrono_tz::UTC), "2026-01-15T21:37:37.407+00:00");
        assert_eq!(stamp(at, chrono_tz::Asia::Kolkata), "2026-01-16T03:07:37.407+05:30");
    }

    #[test]
    fn statuspage_statuses_stay_within_statuspage_values() {
        let allowed = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];
        for &status in ComponentStatus::ALL {
            assert!(allowed.contains(&statuspage_status(status)), "{status}");
        }
        assert_eq!(statuspage_status(ComponentStatus::NoData), "operational");
        assert_eq!(statuspage_status(ComponentStatus::PartialOutage), "partial_outage");
    }

    #[test]
    fn a_custom_domain_is_the_page_address() {
        let mut organization = organizations::Model {
            id: 1,
            slug: "acme".into(),
            name: "Acme".into(),
            tagline: None,
            logo_url: None,
            website_url: None,
            brand_colour: None,
            custom_domain: None,
            default_locale: "en".into(),
            time_zone: "UTC".into(),
            listed: true,
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        assert_eq!(page_url(&organization, "https://herald.example.com/"), "https://herald.example.com/s/acme");
        organization.custom_domain = Some("status.acme.com".into());
        assert_eq!(page_url(&organization, "https://herald.example.com"), "https://status.acme.com");
    }
}
