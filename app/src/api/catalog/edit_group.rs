use crate::error::AppError;
use leptos::prelude::*;

/// Saves a group's edit form, refusing it if someone else saved the group meanwhile.
#[server]
pub async fn edit_group(
    slug: String,
    group_id: i64,
    version: i32,
    name: String,
    description: String,
    collapsed: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::groups::{self, GroupChanges};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let changes = GroupChanges {
                name: Some(name),
                description: Some(Some(description)),
                collapsed: Some(collapsed.is_some()),
                position: None,
                version: Some(version),
            };
            groups::update(&state.db, Some(&state.hub), &caller, group_id, changes, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/components", organization.slug));
            Ok(())
        }
        .await,
    )
}
