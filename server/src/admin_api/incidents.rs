//! `/api/v1/incidents` and `/api/v1/maintenance`.

use super::error::{CommonErrors, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Id};
use super::{Answer, Created, auth::ApiCaller};
use crate::startup::ServerState;
use app::ssr::admin::Paged;
use app::ssr::admin::incidents::{
    self, IncidentChanges, IncidentDetails, IncidentFilter, IncidentView, NewIncident, NewIncidentUpdate,
};
use app::ssr::admin::maintenance::{
    self, MaintenanceChanges, MaintenanceFilter, MaintenanceTransition, MaintenanceView, NewMaintenance,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use herald::MaintenanceStatus;

/// List incidents
///
/// Newest first; filter by state, impact, source and start time.
#[utoipa::path(get, path = "/incidents", tag = "incidents", params(IncidentFilter),
    responses((status = 200, body = Paged<IncidentView>), CommonErrors), security(("token" = [])))]
pub async fn list_incidents(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<IncidentFilter>,
) -> Answer<Paged<IncidentView>> {
    Ok(Json(incidents::list(&state.db, &caller, filter).await?))
}

/// Open an incident
///
/// From scratch or from a template. Each affected component is held at the status you give,
/// or the one the impact suggests. `started_at` in the past backfills an incident.
#[utoipa::path(post, path = "/incidents", tag = "incidents", request_body = NewIncident,
    responses((status = 201, body = IncidentDetails), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn open_incident(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(new): ApiJson<NewIncident>,
) -> Created<IncidentDetails> {
    let details = incidents::open(&state.db, Some(&state.app.hub), &caller, new, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(details)))
}

/// Read an incident
///
/// With the components it holds and its whole timeline.
#[utoipa::path(get, path = "/incidents/{id}", tag = "incidents", params(("id" = i64, Path)),
    responses((status = 200, body = IncidentDetails), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn get_incident(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<IncidentDetails> {
    Ok(Json(incidents::get(&state.db, &caller, id).await?))
}

/// Edit an incident's name, impact or postmortem
#[utoipa::path(patch, path = "/incidents/{id}", tag = "incidents", params(("id" = i64, Path)),
    request_body = IncidentChanges,
    responses((status = 200, body = IncidentDetails), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn edit_incident(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(changes): ApiJson<IncidentChanges>,
) -> Answer<IncidentDetails> {
    Ok(Json(incidents::edit(&state.db, Some(&state.app.hub), &caller, id, changes, Utc::now()).await?))
}

/// Post an incident update
///
/// A new status and message, and any component status changes. Resolving gives each
/// component back the status whatever else still holds it at.
#[utoipa::path(post, path = "/incidents/{id}/updates", tag = "incidents", params(("id" = i64, Path)),
    request_body = NewIncidentUpdate,
    responses((status = 201, body = IncidentDetails), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn post_incident_update(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(update): ApiJson<NewIncidentUpdate>,
) -> Created<IncidentDetails> {
    let details = incidents::post_update(&state.db, Some(&state.app.hub), &caller, id, update, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(details)))
}

/// List maintenance
///
/// Latest window first; filter upcoming, active or finished.
#[utoipa::path(get, path = "/maintenance", tag = "maintenance", params(MaintenanceFilter),
    responses((status = 200, body = Paged<MaintenanceView>), CommonErrors), security(("token" = [])))]
pub async fn list_maintenance(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<MaintenanceFilter>,
) -> Answer<Paged<MaintenanceView>> {
    Ok(Json(maintenance::list(&state.db, &caller, filter).await?))
}

/// Schedule maintenance
///
/// It starts and completes on time by itself unless `auto_start` / `auto_complete` are false.
#[utoipa::path(post, path = "/maintenance", tag = "maintenance", request_body = NewMaintenance,
    responses((status = 201, body = MaintenanceView), CommonErrors), security(("token" = [])))]
pub async fn schedule_maintenance(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(new): ApiJson<NewMaintenance>,
) -> Created<MaintenanceView> {
    let view = maintenance::schedule(&state.db, Some(&state.app.hub), &caller, new, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Read a maintenance
#[utoipa::path(get, path = "/maintenance/{id}", tag = "maintenance", params(("id" = i64, Path)),
    responses((status = 200, body = MaintenanceView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn get_maintenance(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<MaintenanceView> {
    Ok(Json(maintenance::get(&state.db, &caller, id).await?))
}

/// Reschedule or edit a maintenance that has not started
#[utoipa::path(patch, path = "/maintenance/{id}", tag = "maintenance", params(("id" = i64, Path)),
    request_body = MaintenanceChanges,
    responses((status = 200, body = MaintenanceView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn reschedule_maintenance(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(changes): ApiJson<MaintenanceChanges>,
) -> Answer<MaintenanceView> {
    Ok(Json(maintenance::reschedule(&state.db, Some(&state.app.hub), &caller, id, changes, Utc::now()).await?))
}

async fn move_maintenance(
    state: ServerState,
    caller: app::ssr::caller::Caller,
    id: i64,
    next: MaintenanceStatus,
    request: MaintenanceTransition,
) -> Answer<MaintenanceView> {
    Ok(Json(maintenance::move_to(&state.db, Some(&state.app.hub), &caller, id, next, request, Utc::now()).await?))
}

/// Start a maintenance now
#[utoipa::path(post, path = "/maintenance/{id}/start", tag = "maintenance", params(("id" = i64, Path)),
    request_body = MaintenanceTransition,
    responses((status = 200, body = MaintenanceView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn start_maintenance(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(request): ApiJson<MaintenanceTransition>,
) -> Answer<MaintenanceView> {
    move_maintenance(state, caller, id, MaintenanceStatus::InProgress, request).await
}

/// Complete a maintenance now
#[utoipa::path(post, path = "/maintenance/{id}/complete", tag = "maintenance", params(("id" = i64, Path)),
    request_body = MaintenanceTransition,
    responses((status = 200, body = MaintenanceView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn complete_maintenance(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(request): ApiJson<MaintenanceTransition>,
) -> Answer<MaintenanceView> {
    move_maintenance(state, caller, id, MaintenanceStatus::Completed, request).await
}

/// Cancel a maintenance that has not started
#[utoipa::path(post, path = "/maintenance/{id}/cancel", tag = "maintenance", params(("id" = i64, Path)),
    request_body = MaintenanceTransition,
    responses((status = 200, body = MaintenanceView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn cancel_maintenance(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(request): ApiJson<MaintenanceTransition>,
) -> Answer<MaintenanceView> {
    move_maintenance(state, caller, id, MaintenanceStatus::Cancelled, request).await
}
