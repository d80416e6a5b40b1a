use crate::error::AppError;
use leptos::prelude::*;

/// Deletes a group once confirmed; its components stay, ungrouped.
#[server]
pub async fn delete_group(slug: String, group_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::ssr::admin::groups;
    use crate::ssr::catalog::confirmed;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            confirmed(confirm, "Tick the box to confirm: the group goes, its components stay ungrouped.")?;
            groups::delete(&state.db, Some(&state.hub), &caller, group_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/components", organization.slug));
            Ok(())
        }
        .await,
    )
}
