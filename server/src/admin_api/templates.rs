//! `/api/v1/templates`.

use super::error::{ApiError, CommonErrors, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Id};
use super::{Answer, Created, auth::ApiCaller};
use crate::startup::ServerState;
use app::ssr::admin::Paged;
use app::ssr::admin::templates::{self, NewTemplate, TemplateChanges, TemplateFilter, TemplateView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;

/// List templates
#[utoipa::path(get, path = "/templates", tag = "templates", params(TemplateFilter),
    responses((status = 200, body = Paged<TemplateView>), CommonErrors), security(("token" = [])))]
pub async fn list_templates(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<TemplateFilter>,
) -> Answer<Paged<TemplateView>> {
    Ok(Json(templates::list(&state.db, &caller, filter).await?))
}

/// Create a template
#[utoipa::path(post, path = "/templates", tag = "templates", request_body = NewTemplate,
    responses((status = 201, body = TemplateView), CommonErrors), security(("token" = [])))]
pub async fn create_template(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(new): ApiJson<NewTemplate>,
) -> Created<TemplateView> {
    Ok((StatusCode::CREATED, Json(templates::create(&state.db, &caller, new, Utc::now()).await?)))
}

/// Read a template
#[utoipa::path(get, path = "/templates/{id}", tag = "templates", params(("id" = i64, Path)),
    responses((status = 200, body = TemplateView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn get_template(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<TemplateView> {
    Ok(Json(templates::get(&state.db, &caller, id).await?))
}

/// Edit a template
#[utoipa::path(patch, path = "/templates/{id}", tag = "templates", params(("id" = i64, Path)),
    request_body = TemplateChanges,
    responses((status = 200, body = TemplateView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn update_template(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiJson(changes): ApiJson<TemplateChanges>,
) -> Answer<TemplateView> {
    Ok(Json(templates::update(&state.db, &caller, id, changes, Utc::now()).await?))
}

/// Delete a template
#[utoipa::path(delete, path = "/templates/{id}", tag = "templates", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors), security(("token" = [])))]
pub async fn delete_template(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    templates::delete(&state.db, &caller, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
