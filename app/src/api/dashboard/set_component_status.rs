use crate::error::AppError;
use leptos::prelude::*;

/// Sets a component's status by hand, from the workspace's component list.
#[server]
pub async fn set_component_status(slug: String, component_id: i64, status: String) -> Result<(), AppError> {
    use crate::ssr::admin::components::{self, StatusChangeRequest};
    use crate::ssr::dashboard::{self, chosen};
    use crate::ssr::{AppState, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let request = StatusChangeRequest { status: chosen("status", &status)? };
            components::set_status(&state.db, Some(&state.hub), &caller, component_id, request, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}", organization.slug));
            Ok(())
        }
        .await,
    )
}
