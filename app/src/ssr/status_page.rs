//! Assembles an organization's public status page from the database: banner, incidents,
//! maintenance, components in their groups, and the 90-day heatmaps.

use super::entities::{
    component_groups, components, incident_components, incidents, maintenance_components, maintenances, organizations,
};
use super::internal;
use super::moments::{moment, zone};
use super::repositories::components::{PageEntry, page_order};
use super::repositories::{self as repo, stored};
use super::rollups::daily_durations;
use super::views::{branding, incident_views, maintenance_views};
use crate::error::AppError;
use crate::model::{
    ComponentRow, DayNote, GroupSection, HeatmapFrame, HeatmapRow, NoteKind, Section, StatusPage, day_letter,
    uptime_hundredths,
};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use herald::{
    ComponentGroupId, ComponentId, ComponentStatus, MaintenanceStatus, Slug, StatusDurations, overall_indicator,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeSet, HashMap};

/// How many days the heatmaps show.
pub const HEATMAP_DAYS: u32 = 90;

pub fn unknown_organization() -> AppError {
    AppError::NotFound("There is no status page at this address.".into())
}

/// The organization a (possibly malformed) slug names, or 404.
pub async fn organization(db: &impl ConnectionTrait, slug: &str) -> Result<organizations::Model, AppError> {
    let slug = Slug::parse(slug).map_err(|_| unknown_organization())?;
    repo::organizations::find_by_slug(db, &slug)
        .await
        .map_err(internal("looking up an organization by slug"))?
        .ok_or_else(unknown_organization)
}

pub async fn load(db: &impl ConnectionTrait, slug: &str, now: DateTime<Utc>) -> Result<StatusPage, AppError> {
    let organization = organization(db, slug).await?;
    build(db, &organization, now).await
}

pub async fn build(
    db: &impl ConnectionTrait,
    organization: &organizations::Model,
    now: DateTime<Utc>,
) -> Result<StatusPage, AppError> {
    let tz = zone(&organization.time_zone);
    let (groups, components) =
        repo::components::for_organization(db, organization.id).await.map_err(internal("loading components"))?;

    let open_incidents = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization.id))
        .filter(incidents::Column::ResolvedAt.is_null())
        .order_by_desc(incidents::Column::StartedAt)
        .all(db)
        .await
        .map_err(internal("loading open incidents"))?;
    let active_incidents = incident_views(db, tz, open_incidents).await?;

    let current_maintenance = maintenances::Entity::find()
        .filter(maintenances::Column::OrganizationId.eq(organization.id))
        .filter(
            Condition::any()
                .add(
                    maintenances::Column::Status
                        .is_in([MaintenanceStatus::InProgress.as_str(), MaintenanceStatus::Verifying.as_str()]),
                )
                .add(
                    Condition::all()
                        .add(maintenances::Column::Status.eq(MaintenanceStatus::Scheduled.as_str()))
                        .add(maintenances::Column::ScheduledEnd.gt(now)),
                ),
        )
        .order_by_asc(maintenances::Column::ScheduledStart)
        .all(db)
        .await
        .map_err(internal("loading maintenance"))?;
    let mut maintenances = maintenance_views(db, tz, current_maintenance).await?;
    // In progress first, then upcoming by start.
    maintenances.sort_by_key(|maintenance| (!maintenance.status.is_active(), maintenance.starts.utc));
    let in_maintenance = maintenances.iter().any(|maintenance| maintenance.status.is_active());

    let component_statuses = components
        .iter()
        .map(|component| stored::<ComponentStatus>(&component.status))
        .collect::<Result<Vec<_>, _>>()?;
    let indicator = overall_indicator(
        component_statuses.iter().copied(),
        active_incidents.iter().map(|incident| incident.impact),
        in_maintenance,
    );

    let ids: Vec<i64> = components.iter().map(|component| component.id).collect();
    let (first_day, durations) =
        daily_durations(db, tz, &ids, HEATMAP_DAYS, now).await.map_err(internal("loading uptime"))?;
    let (notes, notes_by_component) = day_notes(db, organization.id, tz, first_day, now).await?;
    let heatmaps = Heatmaps { durations, notes: notes_by_component };

    Ok(StatusPage {
        organization: branding(organization),
        indicator,
        active_incidents,
        maintenances,
        sections: arrange_sections(&groups, &components, &heatmaps)?,
        heatmap: HeatmapFrame { first_day, days: HEATMAP_DAYS as u16, notes },
        generated_at: moment(now, tz),
    })
}

/// Per-component day durations and note references, ready to become heatmap rows.
#[derive(Default)]
pub struct Heatmaps {
    pub durations: HashMap<i64, Vec<StatusDurations>>,
    pub notes: HashMap<i64, BTreeSet<(u16, u16)>>,
}

impl Heatmaps {
    fn row<'a>(&self, component_ids: impl IntoIterator<Item = &'a i64>) -> Option<HeatmapRow> {
        let mut days: Option<Vec<StatusDurations>> = None;
        let mut notes = BTreeSet::new();
        for id in component_ids {
            let component_days = self.durations.get(id)?;
            match &mut days {
                None => days = Some(component_days.clone()),
                Some(total) => total.iter_mut().zip(component_days).for_each(|(sum, day)| sum.merge(day)),
            }
            notes.extend(self.notes.get(id).into_iter().flatten().copied());
        }
        let days = days?;
        let mut window = StatusDurations::default();
        days.iter().for_each(|day| window.merge(day));
        Some(HeatmapRow {
            days: days.iter().map(|day| day_letter(day.worst_status())).collect(),
            uptime: days.iter().map(|day| uptime_hundredths(day.uptime_ratio())).collect(),
            window_uptime: uptime_hundredths(window.uptime_ratio()),
            notes: notes.into_iter().collect(),
        })
    }
}

/// Incidents and maintenance that touched the window, and for each component the
/// `(day, note)` pairs it was part of.
async fn day_notes(
    db: &impl ConnectionTrait,
    organization_id: i64,
    tz: Tz,
    first_day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(Vec<DayNote>, HashMap<i64, BTreeSet<(u16, u16)>>), AppError> {
    let day_index = |at: DateTime<Utc>| -> i64 { (at.with_timezone(&tz).date_naive() - first_day).num_days() };
    let last_index = i64::from(HEATMAP_DAYS) - 1;
    let window_start = super::rollups::today(tz, now);
    let window_start = window_start
        .checked_sub_days(chrono::Days::new(u64::from(HEATMAP_DAYS)))
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|naive| naive.and_utc())
        .unwrap_or(now);

    let incidents = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization_id))
        .filter(incidents::Column::StartedAt.lte(now))
        .filter(
            Condition::any()
                .add(incidents::Column::ResolvedAt.is_null())
                .add(incidents::Column::ResolvedAt.gte(window_start)),
        )
        .order_by_asc(incidents::Column::StartedAt)
        .all(db)
        .await
        .map_err(internal("loading the window's incidents"))?;
    let incident_links = incident_components::Entity::find()
        .filter(incident_components::Column::IncidentId.is_in(incidents.iter().map(|incident| incident.id)))
        .all(db)
        .await
        .map_err(internal("loading the window's incident components"))?;
    let maintenances = maintenances::Entity::find()
        .filter(maintenances::Column::OrganizationId.eq(organization_id))
        .filter(maintenances::Column::StartedAt.is_not_null())
        .filter(maintenances::Column::StartedAt.lte(now))
        .filter(
            Condition::any()
                .add(maintenances::Column::CompletedAt.is_null())
                .add(maintenances::Column::CompletedAt.gte(window_start)),
        )
        .order_by_asc(maintenances::Column::StartedAt)
        .all(db)
        .await
        .map_err(internal("loading the window's maintenance"))?;
    let maintenance_links = maintenance_components::Entity::find()
        .filter(
            maintenance_components::Column::MaintenanceId.is_in(maintenances.iter().map(|maintenance| maintenance.id)),
        )
        .all(db)
        .await
        .map_err(internal("loading the window's maintenance components"))?;

    let mut notes = Vec::new();
    let mut by_component: HashMap<i64, BTreeSet<(u16, u16)>> = HashMap::new();
    let mut add = |kind: NoteKind,
                   id: i64,
                   title: &str,
                   from: DateTime<Utc>,
                   until: Option<DateTime<Utc>>,
                   components: Vec<i64>| {
        let first = day_index(from).max(0);
        let last = until.map_or(last_index, day_index).min(last_index);
        if first > last || components.is_empty() {
            return;
        }
        let Ok(note) = u16::try_from(notes.len()) else { return };
        notes.push(DayNote { kind, id, title: title.to_owned() });
        for component in components {
            let days = by_component.entry(component).or_default();
            for day in first..=last {
                days.insert((day as u16, note));
            }
        }
    };
    for incident in &incidents {
        let components = incident_links
            .iter()
            .filter(|link| link.incident_id == incident.id)
            .map(|link| link.component_id)
            .collect();
        add(NoteKind::Incident, incident.id, &incident.name, incident.started_at, incident.resolved_at, components);
    }
    for maintenance in &maintenances {
        let Some(started) = maintenance.started_at else { continue };
        let components = maintenance_links
            .iter()
            .filter(|link| link.maintenance_id == maintenance.id)
            .map(|link| link.component_id)
            .collect();
        add(NoteKind::Maintenance, maintenance.id, &maintenance.name, started, maintenance.completed_at, components);
    }
    Ok((notes, by_component))
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
    heatmaps: &Heatmaps,
) -> Result<Vec<Section>, AppError> {
    // A displayed component's row and whether it shows uptime; `None` when it is hidden.
    let row = |component: &components::Model| -> Result<Option<(ComponentRow, bool)>, AppError> {
        let status = stored::<ComponentStatus>(&component.status)?;
        Ok(is_displayed(component, status).then(|| {
            let row = ComponentRow {
                id: ComponentId(component.id),
                key: component.key.clone(),
                name: component.name.clone(),
                description: component.description.clone(),
                status,
                heatmap: if component.show_uptime { heatmaps.row([&component.id]) } else { None },
            };
            (row, component.show_uptime)
        }))
    };
    let mut sections = Vec::new();
    for entry in page_order(groups, components) {
        match entry {
            PageEntry::Component(component) => {
                if let Some((row, _)) = row(component)? {
                    sections.push(Section::Component(row));
                }
            }
            PageEntry::Group(group, members) => {
                let mut shown_members = Vec::with_capacity(members.len());
                for member in members {
                    shown_members.extend(row(member)?);
                }
                if shown_members.is_empty() {
                    continue;
                }
                let status = ComponentStatus::worst(shown_members.iter().map(|(row, _)| row.status))
                    .unwrap_or(ComponentStatus::NoData);
                let with_uptime: Vec<i64> =
                    shown_members.iter().filter(|(_, show)| *show).map(|(row, _)| row.id.0).collect();
                sections.push(Section::Group(GroupSection {
                    id: ComponentGroupId(group.id),
                    name: group.name.clone(),
                    description: group.description.clone(),
                    status,
                    collapsed: group.collapsed,
                    heatmap: if with_uptime.is_empty() { None } else { heatmaps.row(&with_uptime) },
                    components: shown_members.into_iter().map(|(row, _)| row).collect(),
                }));
            }
        }
    }
    Ok(sections)
}
