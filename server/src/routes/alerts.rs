//! `POST /api/v1/alerts/:kind` (token in `Authorization: Bearer`) and
//! `POST /api/v1/alerts/:kind/:token` (for senders that cannot set headers): alerts from
//! Alertmanager, Grafana or a generic sender open, update and resolve incidents.

use crate::admin_api::error::ErrorBody;
use crate::api_cache::error;
use crate::startup::ServerState;
use app::error::AppError;
use app::ssr::alerts::{self, IngestReport};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use herald::AlertSourceKind;

/// Alertmanager batches at most a few hundred alerts; a megabyte is far beyond any real one.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Receive alerts
///
/// `kind` is alertmanager, grafana or generic; the body is what that sender posts. Firing
/// alerts open or update one incident per component (named by the source's label, such as
/// `component=api`); when the last one resolves, so does the incident. Authenticate with the
/// alert source's token (`hrla_…`, from `herald alert-source create`), not an API token.
#[utoipa::path(post, path = "/alerts/{kind}", tag = "alerts",
    params(("kind" = String, Path, description = "alertmanager, grafana or generic")),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, body = IngestReport), (status = 400, body = ErrorBody, description = "Malformed payload: nothing was done"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("token" = [])))]
pub async fn with_header(
    State(state): State<ServerState>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
        .map(|token| token.trim().to_owned());
    receive(state, &kind, token, &body).await
}

/// Receive alerts (token in the path)
///
/// For senders that cannot set headers; otherwise the same as `POST /alerts/{kind}`.
#[utoipa::path(post, path = "/alerts/{kind}/{token}", tag = "alerts",
    params(("kind" = String, Path, description = "alertmanager, grafana or generic"),
        ("token" = String, Path, description = "The alert source's token")),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, body = IngestReport), (status = 400, body = ErrorBody, description = "Malformed payload: nothing was done"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn with_path(
    State(state): State<ServerState>,
    Path((kind, token)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    receive(state, &kind, Some(token), &body).await
}

async fn receive(state: ServerState, kind: &str, token: Option<String>, body: &[u8]) -> Response {
    let Ok(kind) = kind.parse::<AlertSourceKind>() else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Alerts are received at /api/v1/alerts/alertmanager, /api/v1/alerts/grafana or /api/v1/alerts/generic.",
        );
    };
    let Some(token) = token.filter(|token| !token.is_empty()) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send the alert source's token as Authorization: Bearer <token>, or post to /api/v1/alerts/<kind>/<token>.",
        );
    };
    let db = &state.app.db;
    let source = match alerts::authenticate(db, &token).await {
        Ok(source) => source,
        Err(failure) => return app_error(failure),
    };
    if source.kind != kind.as_str() {
        return error(
            StatusCode::BAD_REQUEST,
            "wrong_kind",
            &format!("This token belongs to a {} source; post to /api/v1/alerts/{}.", source.kind, source.kind),
        );
    }
    let received = match alerts::parse(kind, &source.component_label, body) {
        Ok(received) => received,
        Err(failure) => return error(StatusCode::BAD_REQUEST, "malformed_payload", &failure.to_string()),
    };
    match alerts::ingest(db, Some(&state.app.hub), &source, received, Utc::now()).await {
        Ok(report) => (StatusCode::OK, Json(report)).into_response(),
        Err(failure) => app_error(failure),
    }
}

fn app_error(failure: AppError) -> Response {
    let status = StatusCode::from_u16(failure.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match &failure {
        AppError::NotFound(_) => "not_found",
        AppError::Invalid { .. } => "invalid",
        AppError::Conflict(_) => "conflict",
        AppError::Unauthorized(_) => "unauthorized",
        AppError::Forbidden(_) => "forbidden",
        AppError::RateLimited(_) => "rate_limited",
        AppError::Internal | AppError::Transport(_) => "internal",
    };
    error(status, code, &failure.to_string())
}
