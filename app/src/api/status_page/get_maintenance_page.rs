use crate::error::AppError;
use crate::model::MaintenancePage;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// One maintenance of `slug` with its timeline; 404 for an unknown id.
#[server(input = GetUrl)]
pub async fn get_maintenance_page(slug: String, id: String) -> Result<MaintenancePage, AppError> {
    use crate::ssr::{AppState, public_pages, respond};
    respond(
        async {
            let id = id
                .parse::<i64>()
                .map_err(|_| AppError::NotFound("There is no such maintenance on this status page.".into()))?;
            public_pages::maintenance_page(&AppState::current()?.db, &slug, id).await
        }
        .await,
    )
}
