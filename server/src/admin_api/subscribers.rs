//! `/api/v1/subscribers`.

use super::error::{ApiError, CommonErrors, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Id};
use super::{Answer, Created, auth::ApiCaller};
use crate::startup::ServerState;
use app::ssr::admin::Paged;
use app::ssr::admin::subscribers::{
    self, CreatedSubscriber, DeliveryView, NewSubscriber, SubscriberFilter, SubscriberView,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;

/// List subscribers
#[utoipa::path(get, path = "/subscribers", tag = "subscribers", params(SubscriberFilter),
    responses((status = 200, body = Paged<SubscriberView>), CommonErrors), security(("token" = [])))]
pub async fn list_subscribers(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(filter): ApiQuery<SubscriberFilter>,
) -> Answer<Paged<SubscriberView>> {
    Ok(Json(subscribers::list(&state.db, &caller, filter).await?))
}

/// Add a subscriber
///
/// Email addresses get the confirmation link unless `confirmed` is true; a webhook's signing
/// secret is in the answer, once.
#[utoipa::path(post, path = "/subscribers", tag = "subscribers", request_body = NewSubscriber,
    responses((status = 201, body = CreatedSubscriber), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn add_subscriber(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(new): ApiJson<NewSubscriber>,
) -> Created<CreatedSubscriber> {
    let app = &state.app;
    let created = subscribers::create(&app.db, &app.keyring, app.subscription_rules, &caller, new, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Read a subscriber
#[utoipa::path(get, path = "/subscribers/{id}", tag = "subscribers", params(("id" = i64, Path)),
    responses((status = 200, body = SubscriberView), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn get_subscriber(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Answer<SubscriberView> {
    Ok(Json(subscribers::get(&state.db, &caller, id).await?))
}

/// Remove a subscriber
#[utoipa::path(delete, path = "/subscribers/{id}", tag = "subscribers", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), CommonErrors), security(("token" = [])))]
pub async fn remove_subscriber(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    subscribers::delete(&state.db, &caller, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryPage {
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A subscriber's delivery log
#[utoipa::path(get, path = "/subscribers/{id}/deliveries", tag = "subscribers", params(("id" = i64, Path), DeliveryPage),
    responses((status = 200, body = Paged<DeliveryView>), (status = 404, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn list_deliveries(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    ApiQuery(page): ApiQuery<DeliveryPage>,
) -> Answer<Paged<DeliveryView>> {
    Ok(Json(subscribers::deliveries(&state.db, &caller, id, page.limit, page.offset).await?))
}

/// Send a test message
#[utoipa::path(post, path = "/subscribers/{id}/test", tag = "subscribers", params(("id" = i64, Path)),
    responses((status = 202), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), CommonErrors),
    security(("token" = [])))]
pub async fn send_test(
    State(state): State<ServerState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    subscribers::send_test(&state.db, &caller, id, Utc::now()).await?;
    Ok(StatusCode::ACCEPTED)
}
