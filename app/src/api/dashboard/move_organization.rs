use crate::error::AppError;
use leptos::prelude::*;

/// Moves the organization to the address `new_slug` once confirmed (Admins). The old address
/// keeps redirecting to the new one.
#[server]
pub async fn move_organization(slug: String, new_slug: String, confirm: Option<String>) -> Result<(), AppError> {
    use crate::ssr::admin::organization;
    use crate::ssr::catalog::confirmed;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, _) = dashboard::signed_in(&state.db, &slug, now).await?;
            caller.may_change(herald::Permission::Administer)?;
            confirmed(confirm, "Tick the box to confirm: the page moves to the new address.")?;
            let moved = organization::change_slug(&state.db, Some(&state.hub), &caller, &new_slug, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/settings?moved=1", moved.slug));
            Ok(())
        }
        .await,
    )
}
