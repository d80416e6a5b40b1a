use crate::error::AppError;
use leptos::prelude::*;

/// Deletes a check once confirmed; its results go with it, its component's history stays.
#[server]
pub async fn delete_check(slug: String, check_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::ssr::admin::checks;
    use crate::ssr::catalog::confirmed;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            caller.may_change(herald::Permission::Edit)?;
            confirmed(confirm, "Tick the box to confirm: the check and its results are deleted.")?;
            checks::delete(&state.db, Some(&state.hub), &caller, check_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/checks", organization.slug));
            Ok(())
        }
        .await,
    )
}
