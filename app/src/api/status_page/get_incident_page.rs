use crate::error::AppError;
use crate::model::IncidentPage;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// One incident of `slug` with its whole timeline; 404 for an unknown id or another
/// organization's incident.
#[server(input = GetUrl)]
pub async fn get_incident_page(slug: String, id: String) -> Result<IncidentPage, AppError> {
    use crate::ssr::{AppState, public_pages, respond};
    respond(
        async {
            let id = id
                .parse::<i64>()
                .map_err(|_| AppError::NotFound("There is no such incident on this status page.".into()))?;
            public_pages::incident_page(&AppState::current()?.db, &slug, id).await
        }
        .await,
    )
}
