//! `/api/v1/checks`: monitoring checks, their results, pause/resume and "check now".

use super::error::{ApiError, CommonErrors, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Id};
use super::{Answer, Created, auth::ApiCaller};
use crate::startup::ServerState;
use app::ssr::admin::Paged;
use app::ssr::admin::checks::{
    self, CheckChanges, CheckFilter, CheckResultView, CheckView, CreatedCheck, NewCheck, ResultFilter,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;

/// List checks
#[utoipa::path(get, path = "/checks", tag = "checks", params(CheckFilter),
    responses((status = 200, body = Paged<CheckView>), CommonErrors), security(("token" = [])))]
pub async fn list_checks(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<CheckFilter>,
) -> Answer<Paged<CheckView>> {
    Ok(Json(checks::list(&state.db, &caller, filter).await?))
}

/// Create a check
///
/// A heartbeat check answers with `heartbeat_path`, the secret address to ping, this once.
#[utoipa::path(post, path = "/checks", tag = "checks", request_body = NewCheck,
    responses((status = 201, body = CreatedCheck), CommonErrors), security(("token" = [])))]
pub async fn create_check(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(new): ApiJson<NewCheck>,
) -> Created<CreatedCheck> {
    let bounds = state.app.check_intervals;
    let created = checks::create(&state.db, Some(&state.app.hub), &caller, bounds, new, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Read a check
#[utoipa::path(get, path = "/checks/{id}", tag = "checks", params(("id" = i64, Path)),
    responses((status = 200, body = CheckView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn get_check(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<CheckView> {
    Ok(Json(checks::get(&state.db, &caller, id).await?))
}

/// Edit a check
///
/// The kind cannot change. Changing the target or interval runs the check soon.
#[utoipa::path(patch, path = "/checks/{id}", tag = "checks", params(("id" = i64, Path)), request_body = CheckChanges,
    responses((status = 200, body = CheckView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn update_check(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(changes): ApiJson<CheckChanges>,
) -> Answer<CheckView> {
    let bounds = state.app.check_intervals;
    Ok(Json(checks::update(&state.db, Some(&state.app.hub), &caller, bounds, id, changes, Utc::now()).await?))
}

/// Delete a check
#[utoipa::path(delete, path = "/checks/{id}", tag = "checks", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors), security(("token" = [])))]
pub async fn delete_check(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    checks::delete(&state.db, Some(&state.app.hub), &caller, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pause a check
///
/// It stops running and no longer counts towards its component's status.
#[utoipa::path(post, path = "/checks/{id}/pause", tag = "checks", params(("id" = i64, Path)),
    responses((status = 200, body = CheckView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn pause_check(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<CheckView> {
    Ok(Json(checks::set_paused(&state.db, Some(&state.app.hub), &caller, id, true, Utc::now()).await?))
}

/// Resume a check
///
/// It starts afresh: status `no_data` until its first result, which comes at once.
#[utoipa::path(post, path = "/checks/{id}/resume", tag = "checks", params(("id" = i64, Path)),
    responses((status = 200, body = CheckView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn resume_check(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<CheckView> {
    Ok(Json(checks::set_paused(&state.db, Some(&state.app.hub), &caller, id, false, Utc::now()).await?))
}

/// Run a check now
///
/// The scheduler takes it within a second; read the check or its results for the outcome.
#[utoipa::path(post, path = "/checks/{id}/run", tag = "checks", params(("id" = i64, Path)),
    responses((status = 202, body = CheckView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn run_check(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Created<CheckView> {
    Ok((StatusCode::ACCEPTED, Json(checks::run_now(&state.db, &caller, id, Utc::now()).await?)))
}

/// A check's results
///
/// Newest first, kept for the retention period (`HERALD_CHECK_RETENTION_DAYS`).
#[utoipa::path(get, path = "/checks/{id}/results", tag = "checks", params(("id" = i64, Path), ResultFilter),
    responses((status = 200, body = Paged<CheckResultView>), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn list_check_results(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiQuery(filter): ApiQuery<ResultFilter>,
) -> Answer<Paged<CheckResultView>> {
    Ok(Json(checks::results(&state.db, &caller, id, filter).await?))
}
