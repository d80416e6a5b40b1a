use crate::error::AppError;
use leptos::prelude::*;

/// Saves a resolved incident's postmortem (Markdown) and publishes it on the public page
/// when `publish` is ticked, or withdraws it when not. `version` is the incident's version
/// the form was filled from.
#[server]
pub async fn save_postmortem(
    slug: String,
    incident_id: i64,
    version: i32,
    postmortem: String,
    publish: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::incidents::{self, IncidentChanges};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let text = postmortem.trim().to_owned();
            let changes = IncidentChanges {
                postmortem: Some((!text.is_empty()).then_some(text)),
                postmortem_published: Some(publish.is_some()),
                version: Some(version),
                ..IncidentChanges::default()
            };
            incidents::edit(&state.db, Some(&state.hub), &caller, incident_id, changes, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/incidents/{incident_id}", organization.slug));
            Ok(())
        }
        .await,
    )
}
