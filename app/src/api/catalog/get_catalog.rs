use super::Catalog;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The organization's components and groups in page order.
#[server(input = GetUrl)]
pub async fn get_catalog(slug: String) -> Result<Catalog, AppError> {
    use crate::ssr::{AppState, catalog, respond};
    respond(catalog::catalog(&AppState::current()?.db, &slug, chrono::Utc::now()).await)
}
