use super::Planner;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The organization's maintenance: what is on, what is next, what is done.
#[server(input = GetUrl)]
pub async fn get_planner(slug: String) -> Result<Planner, AppError> {
    use crate::ssr::{AppState, planner, respond};
    respond(planner::planner(&AppState::current()?.db, &slug, chrono::Utc::now()).await)
}
