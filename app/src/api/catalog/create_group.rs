use crate::error::AppError;
use leptos::prelude::*;

/// Adds a group at the end of the page; components join it from their edit form.
#[server]
pub async fn create_group(
    slug: String,
    name: String,
    description: String,
    collapsed: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::groups::{self, NewGroup};
    use crate::ssr::catalog::key_for;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            // The role decides before the form is read, so a Viewer is told they may not.
            caller.may_change(herald::Permission::Edit)?;
            let new = NewGroup {
                key: key_for("", &name, "group", now)?,
                name,
                description: Some(description),
                collapsed: collapsed.is_some(),
                position: None,
            };
            groups::create(&state.db, Some(&state.hub), &caller, new, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/components", organization.slug));
            Ok(())
        }
        .await,
    )
}
