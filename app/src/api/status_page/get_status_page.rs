use crate::error::AppError;
use crate::model::StatusPage;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Everything the public status page of `slug` shows, from the in-memory snapshot.
#[server(input = GetUrl)]
pub async fn get_status_page(slug: String) -> Result<StatusPage, AppError> {
    use crate::ssr::{AppState, respond};
    respond(
        async {
            let state = AppState::current()?;
            Ok(state.snapshots.get(&state.db, &slug).await?.page.as_ref().clone())
        }
        .await,
    )
}
