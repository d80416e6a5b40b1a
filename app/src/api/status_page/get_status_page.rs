use crate::error::AppError;
use crate::model::StatusPage;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Everything the public status page of `slug` shows.
#[server(input = GetUrl)]
pub async fn get_status_page(slug: String) -> Result<StatusPage, AppError> {
    use crate::ssr::{AppState, respond, status_page};
    respond(async { status_page::load(&AppState::current()?.db, &slug).await }.await)
}
