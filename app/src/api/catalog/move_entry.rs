use crate::error::AppError;
use leptos::prelude::*;

/// Moves a component or a group (`entry` is `component` or `group`) one step `up` or `down`
/// among its siblings on the page.
#[server]
pub async fn move_entry(slug: String, entry: String, id: i64, direction: String) -> Result<(), AppError> {
    use crate::ssr::admin::ordering::{self, Entry};
    use crate::ssr::dashboard::chosen;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let entry = match entry.as_str() {
                "component" => Entry::Component(id),
                "group" => Entry::Group(id),
                _ => return Err(AppError::invalid("entry", "Only a component or a group can be moved.")),
            };
            ordering::move_entry(&state.db, Some(&state.hub), &caller, entry, chosen("direction", &direction)?, now)
                .await?;
            leptos_axum::redirect(&format!("/dashboard/{}/components", organization.slug));
            Ok(())
        }
        .await,
    )
}
