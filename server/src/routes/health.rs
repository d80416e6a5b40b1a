use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use sea_orm::DatabaseConnection;
use serde_json::json;

/// `GET /healthz`: 200 when the server can reach its database, 503 otherwise — what a load
/// balancer or orchestrator needs to route traffic and restart a stuck replica.
#[tracing::instrument(skip_all)]
pub async fn healthz(State(db): State<DatabaseConnection>) -> impl IntoResponse {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok", "database": "ok" }))),
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "database": "unreachable" })))
        }
    }
}
