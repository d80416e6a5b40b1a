use super::IncidentEditor;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// One incident of the organization `slug`, with its timeline, for posting the next update.
#[server(input = GetUrl)]
pub async fn get_incident_editor(slug: String, id: i64) -> Result<IncidentEditor, AppError> {
    use crate::ssr::{AppState, dashboard, respond};
    respond(dashboard::incident_editor(&AppState::current()?.db, &slug, id, chrono::Utc::now()).await)
}
