use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

/// Posts the next update of an incident: its status, the message, and `components[<id>]`
/// for each component whose status changes (a component not yet in the incident joins it).
/// Resolving gives every held component back whatever else still holds it, or operational.
/// `at` (UTC, `YYYY-MM-DDTHH:MM`) records an update of a backfilled incident; empty means now.
#[server]
pub async fn post_incident_update(
    slug: String,
    incident_id: i64,
    status: String,
    message: String,
    components: Option<HashMap<String, String>>,
    notify: Option<String>,
    at: Option<String>,
) -> Result<(), AppError> {
    use crate::api::dashboard::StatusChoice;
    use crate::ssr::admin::incidents::{self, ChangedComponent, NewIncidentUpdate};
    use crate::ssr::dashboard::{self, backdated, chosen, component_choices};
    use crate::ssr::{AppState, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let mut changes = Vec::new();
            for (component_id, choice) in component_choices(components)? {
                match choice {
                    StatusChoice::Status(status) => changes.push(ChangedComponent { component_id, status }),
                    StatusChoice::Suggested => {
                        return Err(AppError::invalid("components", "Choose the status each component changes to."));
                    }
                    StatusChoice::Unchanged => {}
                }
            }
            let update = NewIncidentUpdate {
                status: chosen("status", &status)?,
                message,
                components: changes,
                notify_subscribers: Some(notify.is_some()),
                at: backdated("at", at.as_deref())?,
            };
            incidents::post_update(&state.db, Some(&state.hub), &caller, incident_id, update, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/incidents/{incident_id}", organization.slug));
            Ok(())
        }
        .await,
    )
}
