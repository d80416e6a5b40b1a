use crate::error::AppError;
use crate::model::HistoryPage;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// A page of `slug`'s incident and maintenance history. A page number that is missing,
/// malformed or out of range shows the nearest real page.
#[server(input = GetUrl)]
pub async fn get_history_page(slug: String, page: Option<String>) -> Result<HistoryPage, AppError> {
    use crate::ssr::{AppState, public_pages, respond};
    respond(
        async {
            let page = page.as_deref().and_then(|page| page.trim().parse::<u32>().ok()).unwrap_or(1);
            public_pages::history_page(&AppState::current()?.db, &slug, page, chrono::Utc::now()).await
        }
        .await,
    )
}
