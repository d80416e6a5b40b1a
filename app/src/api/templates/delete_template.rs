use crate::error::AppError;
use leptos::prelude::*;

/// Deletes a template once confirmed; what was made from it stays.
#[server]
pub async fn delete_template(slug: String, template_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::ssr::admin::templates;
    use crate::ssr::catalog::confirmed;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            confirmed(confirm, "Tick the box to confirm: incidents and maintenance made from it stay as they are.")?;
            templates::delete(&state.db, &caller, template_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/templates", organization.slug));
            Ok(())
        }
        .await,
    )
}
