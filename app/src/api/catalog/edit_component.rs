use crate::error::AppError;
use leptos::prelude::*;

/// Saves a component's edit form. `version` is the one the form was filled from: if someone
/// else saved the component meanwhile, nothing is written and the editor is told to reload.
#[server]
pub async fn edit_component(
    slug: String,
    component_id: i64,
    version: i32,
    name: String,
    description: String,
    group_id: String,
    only_show_if_degraded: Option<String>,
    show_uptime: Option<String>,
    showcase: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::components::{self, ComponentChanges};
    use crate::ssr::catalog::optional_id;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let changes = ComponentChanges {
                name: Some(name),
                description: Some(Some(description)),
                group_id: Some(optional_id("group_id", &group_id)?),
                showcase: Some(showcase.is_some()),
                only_show_if_degraded: Some(only_show_if_degraded.is_some()),
                show_uptime: Some(show_uptime.is_some()),
                start_date: None,
                position: None,
                version: Some(version),
            };
            components::update(&state.db, Some(&state.hub), &caller, component_id, changes, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/components", organization.slug));
            Ok(())
        }
        .await,
    )
}
