use super::Workspace;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The organization `slug` as the signed-in person works on it.
#[server(input = GetUrl)]
pub async fn get_workspace(slug: String) -> Result<Workspace, AppError> {
    use crate::ssr::{AppState, dashboard, respond};
    respond(dashboard::workspace(&AppState::current()?.db, &slug, chrono::Utc::now()).await)
}
