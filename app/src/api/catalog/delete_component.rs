use crate::error::AppError;
use leptos::prelude::*;

/// Deletes a component with its uptime history, once the editor has ticked the box that
/// says they mean it.
#[server]
pub async fn delete_component(slug: String, component_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::ssr::admin::components;
    use crate::ssr::catalog::confirmed;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            confirmed(confirm, "Tick the box to confirm: the component and its uptime history go for good.")?;
            components::delete(&state.db, Some(&state.hub), &caller, component_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/components", organization.slug));
            Ok(())
        }
        .await,
    )
}
