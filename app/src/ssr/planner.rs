//! The dashboard's maintenance planner: windows listed in the organization's time zone, and
//! the form's wall-clock times read in it.

use super::accounts;
use super::admin::maintenance::{self, MaintenanceFilter, MaintenanceState, MaintenanceView};
use super::admin::templates::{self, TemplateFilter};
use super::caller::Caller;
use super::dashboard::{all_components, describe};
use crate::api::dashboard::{WorkspaceComponent, WorkspaceOrganization};
use crate::api::planner::{LOCAL_INPUT_FORMAT, MaintenanceTemplate, PlannedMaintenance, Planner};
use crate::error::AppError;
use chrono::{DateTime, DurationRound, NaiveDateTime, TimeDelta, Utc};
use herald::{TemplateKind, TimeZoneName};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;

/// How many finished windows the planner lists; the public history has the rest.
const FINISHED_SHOWN: u64 = 20;
/// The most upcoming or active windows one list holds.
const PAGE: u64 = 200;

/// The signed-in person in the organization `slug`, and the organization's time zone.
pub async fn signed_in_with_zone(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<(Caller, WorkspaceOrganization, TimeZoneName), AppError> {
    let (caller, organization) = accounts::current_caller(db, slug, now).await?;
    // A zone stored before validation existed reads as UTC rather than failing the page.
    let zone = TimeZoneName::parse(&organization.time_zone).unwrap_or_else(|_| TimeZoneName::utc());
    let organization = describe(&caller, organization);
    Ok((caller, organization, zone))
}

/// A datetime-local field's value as an instant, read in `zone`.
pub fn local_instant(zone: &TimeZoneName, field: &str, text: &str) -> Result<DateTime<Utc>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "Choose a date and time."));
    }
    let local = NaiveDateTime::parse_from_str(text, LOCAL_INPUT_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            AppError::invalid(field, format!("\"{text}\" is not a date and time; write it as 2026-12-01T22:00."))
        })?;
    zone.instant(local).map_err(|error| AppError::invalid(field, error.to_string()))
}

fn local_window(zone: &TimeZoneName, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (start, end) = (zone.local(start), zone.local(end));
    let end_format = if start.date() == end.date() { "%H:%M" } else { "%Y-%m-%d %H:%M" };
    format!("{} – {} ({})", start.format("%Y-%m-%d %H:%M"), end.format(end_format), zone.as_str())
}

async fn windows(
    db: &DatabaseConnection,
    caller: &Caller,
    state: MaintenanceState,
    limit: u64,
) -> Result<Vec<MaintenanceView>, AppError> {
    let filter = MaintenanceFilter { state: Some(state), limit: Some(limit), offset: None };
    Ok(maintenance::list(db, caller, filter).await?.data)
}

pub async fn planner(db: &DatabaseConnection, slug: &str, now: DateTime<Utc>) -> Result<Planner, AppError> {
    let (caller, organization, zone) = signed_in_with_zone(db, slug, now).await?;
    let components = all_components(db, &caller).await?;
    let names: HashMap<i64, String> =
        components.iter().map(|component: &WorkspaceComponent| (component.id, component.name.clone())).collect();
    let planned = |view: MaintenanceView| PlannedMaintenance {
        local_window: local_window(&zone, view.scheduled_start, view.scheduled_end),
        components: view.component_ids.iter().filter_map(|id| names.get(id).cloned()).collect(),
        id: view.id,
        name: view.name,
        status: view.status,
        scheduled_start: view.scheduled_start,
        scheduled_end: view.scheduled_end,
        auto_start: view.auto_start,
        auto_complete: view.auto_complete,
    };
    let active = windows(db, &caller, MaintenanceState::Active, PAGE).await?.into_iter().map(planned).collect();
    let mut upcoming: Vec<PlannedMaintenance> =
        windows(db, &caller, MaintenanceState::Upcoming, PAGE).await?.into_iter().map(planned).collect();
    upcoming.reverse();
    let finished =
        windows(db, &caller, MaintenanceState::Finished, FINISHED_SHOWN).await?.into_iter().map(planned).collect();
    let filter = TemplateFilter { kind: Some(TemplateKind::Maintenance), limit: Some(PAGE), offset: None };
    let templates = templates::list(db, &caller, filter)
        .await?
        .data
        .into_iter()
        .map(|template| MaintenanceTemplate {
            id: template.id,
            name: template.name,
            title: template.title,
            body: template.body,
            component_ids: template.component_ids,
        })
        .collect();
    let next_hour = now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now) + TimeDelta::hours(1);
    let suggested = |at: DateTime<Utc>| zone.local(at).format(LOCAL_INPUT_FORMAT).to_string();
    Ok(Planner {
        organization,
        time_zone: zone.as_str().to_owned(),
        components,
        templates,
        active,
        upcoming,
        finished,
        suggested_start: suggested(next_hour),
        suggested_end: suggested(next_hour + TimeDelta::hours(1)),
    })
}
