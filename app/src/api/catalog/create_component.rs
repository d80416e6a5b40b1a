use crate::error::AppError;
use leptos::prelude::*;

/// Adds a component at the end of its group (or of the page). An empty key is made from the
/// name; checkboxes arrive only when ticked.
#[server]
pub async fn create_component(
    slug: String,
    name: String,
    key: String,
    description: String,
    group_id: String,
    only_show_if_degraded: Option<String>,
    hide_uptime: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::components::{self, NewComponent};
    use crate::ssr::catalog::{key_for, optional_id};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            // The role decides before the form is read, so a Viewer is told they may not.
            caller.may_change(herald::Permission::Edit)?;
            let new = NewComponent {
                key: key_for(&key, &name, "component", now)?,
                name,
                description: Some(description),
                group_id: optional_id("group_id", &group_id)?,
                showcase: Some(true),
                only_show_if_degraded: only_show_if_degraded.is_some(),
                show_uptime: Some(hide_uptime.is_none()),
                start_date: None,
                position: None,
            };
            components::create(&state.db, Some(&state.hub), &caller, new, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/components", organization.slug));
            Ok(())
        }
        .await,
    )
}
