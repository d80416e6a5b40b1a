//! `/dashboard/:slug/subscribers.csv`: the organization's subscribers as a CSV download, for the
//! signed-in members of the organization (Viewers too: they may read the list).

use crate::startup::ServerState;
use app::error::AppError;
use app::ssr::admin::subscriber_lists;
use app::ssr::{accounts, session_cookie};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

async fn csv(state: &ServerState, headers: &HeaderMap, slug: &str) -> Result<String, AppError> {
    let now = Utc::now();
    let signed_out = || AppError::Unauthorized("Your session has ended; sign in again.".into());
    let token = session_cookie::token_in(headers).ok_or_else(signed_out)?;
    let (_, user) = accounts::session_user(&state.db, &token, now).await?.ok_or_else(signed_out)?;
    let (caller, _) = accounts::caller_in(&state.db, &user, slug).await?;
    subscriber_lists::export(&state.db, &caller).await
}

pub async fn export(State(state): State<ServerState>, Path(slug): Path<String>, headers: HeaderMap) -> Response {
    match csv(&state, &headers, &slug).await {
        Ok(text) => {
            let file = format!("attachment; filename=\"{slug}-subscribers-{}.csv\"", Utc::now().format("%Y-%m-%d"));
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, file),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                text,
            )
                .into_response()
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{error}\n")).into_response()
        }
    }
}
