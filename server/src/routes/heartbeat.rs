//! `GET|POST /api/v1/heartbeat/:token`: a scheduled job says it ran. The secret in the path
//! is the only credential, so cron one-liners (`curl -fsS …`) can call it.

use crate::admin_api::error::{ApiError, ErrorBody};
use crate::startup::ServerState;
use app::ssr::monitoring;
use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PingReceived {
    pub status: &'static str,
}

/// Ping a heartbeat check
///
/// The job being watched calls this after each run. A check that hears nothing for its
/// interval plus grace goes down. `POST` works the same; the body is ignored.
#[utoipa::path(get, path = "/heartbeat/{token}", tag = "checks",
    params(("token" = String, Path, description = "The secret from the check's heartbeat_path")),
    responses((status = 200, body = PingReceived), (status = 404, body = ErrorBody, description = "No heartbeat check has this address")))]
pub async fn ping(State(state): State<ServerState>, Path(token): Path<String>) -> Result<Json<PingReceived>, ApiError> {
    monitoring::ping(&state.app.db, Some(&state.app.hub), &token, Utc::now()).await?;
    Ok(Json(PingReceived { status: "ok" }))
}

/// Ping a heartbeat check (POST)
///
/// The same as `GET /heartbeat/{token}`, for senders that only post.
#[utoipa::path(post, path = "/heartbeat/{token}", tag = "checks",
    params(("token" = String, Path, description = "The secret from the check's heartbeat_path")),
    responses((status = 200, body = PingReceived), (status = 404, body = ErrorBody, description = "No heartbeat check has this address")))]
pub async fn ping_post(state: State<ServerState>, token: Path<String>) -> Result<Json<PingReceived>, ApiError> {
    ping(state, token).await
}
