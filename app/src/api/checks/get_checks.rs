use super::CheckBoard;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Every check of the organization with its figures.
#[server(input = GetUrl)]
pub async fn get_checks(slug: String) -> Result<CheckBoard, AppError> {
    use crate::ssr::{AppState, check_board, respond};
    let state = AppState::current()?;
    respond(check_board::board(&state.db, &slug, state.check_intervals, chrono::Utc::now()).await)
}
