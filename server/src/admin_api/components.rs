//! `/api/v1/components` and `/api/v1/groups`.

use super::error::{ApiError, CommonErrors, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Id};
use super::{Answer, Created, auth::ApiCaller};
use crate::startup::ServerState;
use app::ssr::admin::Paged;
use app::ssr::admin::components::{
    self, ComponentChanges, ComponentFilter, ComponentView, NewComponent, StatusChangeRequest,
};
use app::ssr::admin::groups::{self, GroupChanges, GroupFilter, GroupView, NewGroup};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;

/// List components
///
/// In page order; filter by group, status or key.
#[utoipa::path(get, path = "/components", tag = "components", params(ComponentFilter),
    responses((status = 200, body = Paged<ComponentView>), CommonErrors), security(("token" = [])))]
pub async fn list_components(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<ComponentFilter>,
) -> Answer<Paged<ComponentView>> {
    Ok(Json(components::list(&state.db, &caller, filter).await?))
}

/// Create a component
///
/// It starts operational, after the others in its group unless `position` says otherwise.
#[utoipa::path(post, path = "/components", tag = "components", request_body = NewComponent,
    responses((status = 201, body = ComponentView), CommonErrors), security(("token" = [])))]
pub async fn create_component(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(new): ApiJson<NewComponent>,
) -> Created<ComponentView> {
    let view = components::create(&state.db, Some(&state.app.hub), &caller, new, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Read a component
#[utoipa::path(get, path = "/components/{id}", tag = "components", params(("id" = i64, Path)),
    responses((status = 200, body = ComponentView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn get_component(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<ComponentView> {
    Ok(Json(components::get(&state.db, &caller, id).await?))
}

/// Edit a component
///
/// Absent fields stay as they are. Send the `version` you edited to be told (409) if someone
/// else changed it meanwhile.
#[utoipa::path(patch, path = "/components/{id}", tag = "components", params(("id" = i64, Path)),
    request_body = ComponentChanges,
    responses((status = 200, body = ComponentView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn update_component(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(changes): ApiJson<ComponentChanges>,
) -> Answer<ComponentView> {
    Ok(Json(components::update(&state.db, Some(&state.app.hub), &caller, id, changes, Utc::now()).await?))
}

/// Delete a component
///
/// With its status history and its links to incidents and maintenance.
#[utoipa::path(delete, path = "/components/{id}", tag = "components", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors), security(("token" = [])))]
pub async fn delete_component(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    components::delete(&state.db, Some(&state.app.hub), &caller, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set a component's status by hand
#[utoipa::path(put, path = "/components/{id}/status", tag = "components", params(("id" = i64, Path)),
    request_body = StatusChangeRequest,
    responses((status = 200, body = ComponentView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn set_component_status(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(request): ApiJson<StatusChangeRequest>,
) -> Answer<ComponentView> {
    Ok(Json(components::set_status(&state.db, Some(&state.app.hub), &caller, id, request, Utc::now()).await?))
}

/// List groups
#[utoipa::path(get, path = "/groups", tag = "groups", params(GroupFilter),
    responses((status = 200, body = Paged<GroupView>), CommonErrors), security(("token" = [])))]
pub async fn list_groups(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<GroupFilter>,
) -> Answer<Paged<GroupView>> {
    Ok(Json(groups::list(&state.db, &caller, filter).await?))
}

/// Create a group
#[utoipa::path(post, path = "/groups", tag = "groups", request_body = NewGroup,
    responses((status = 201, body = GroupView), CommonErrors), security(("token" = [])))]
pub async fn create_group(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(new): ApiJson<NewGroup>,
) -> Created<GroupView> {
    let view = groups::create(&state.db, Some(&state.app.hub), &caller, new, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Read a group
#[utoipa::path(get, path = "/groups/{id}", tag = "groups", params(("id" = i64, Path)),
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn get_group(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<GroupView> {
    Ok(Json(groups::get(&state.db, &caller, id).await?))
}

/// Edit a group
#[utoipa::path(patch, path = "/groups/{id}", tag = "groups", params(("id" = i64, Path)), request_body = GroupChanges,
    responses((status = 200, body = GroupView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn update_group(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(changes): ApiJson<GroupChanges>,
) -> Answer<GroupView> {
    Ok(Json(groups::update(&state.db, Some(&state.app.hub), &caller, id, changes, Utc::now()).await?))
}

/// Delete a group
///
/// Its components stay, ungrouped.
#[utoipa::path(delete, path = "/groups/{id}", tag = "groups", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors), security(("token" = [])))]
pub async fn delete_group(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    groups::delete(&state.db, Some(&state.app.hub), &caller, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
