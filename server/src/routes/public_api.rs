//! `GET /s/:slug/api/v2/*` (Statuspage's public API, also at `/api/v2/*` on a custom domain)
//! and `GET /api/:slug/status|snapshot` (Herald's own). Cached documents are answered by the
//! front door before routing; these handlers build them on a miss.

use crate::api_cache::{self, ApiCache};
use app::error::AppError;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use std::sync::Arc;

pub async fn document(State(cache): State<Arc<ApiCache>>, request: Request) -> Response {
    if request.method() == Method::OPTIONS {
        return api_cache::preflight();
    }
    let path = request.uri().path();
    let (slug, document) = match api_cache::requested(path) {
        Some(Ok(found)) => found,
        Some(Err(slug)) => {
            let message = if path.starts_with("/s/") {
                format!("There is no such document; try /s/{slug}/api/v2/summary.json.")
            } else {
                format!("There is no such document; try /api/{slug}/status or /api/{slug}/snapshot.")
            };
            return api_cache::error(StatusCode::NOT_FOUND, "not_found", &message);
        }
        None => return api_cache::error(StatusCode::NOT_FOUND, "not_found", "There is no such document."),
    };
    match cache.get(slug).await {
        Ok(documents) => api_cache::respond(&documents, document, request.headers(), request.method() == Method::HEAD),
        Err(AppError::NotFound(message)) => api_cache::error(StatusCode::NOT_FOUND, "not_found", &message),
        Err(error) => {
            tracing::error!(%error, slug, "building API documents failed");
            api_cache::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side and it has been logged. Please try again in a moment.",
            )
        }
    }
}
