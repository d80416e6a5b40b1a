use crate::error::AppError;
use leptos::prelude::*;

/// Creates an organization with the signed-in instance administrator as its Admin, and opens it.
#[server]
pub async fn create_organization(name: String, slug: String) -> Result<(), AppError> {
    use crate::ssr::admin::organization;
    use crate::ssr::{AppState, accounts, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let Some((_, user)) = accounts::current_user(db, now).await? else {
                return Err(AppError::Unauthorized("Your session has ended; sign in again.".into()));
            };
            let created = organization::create(db, &user, &name, &slug, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}", created.slug));
            Ok(())
        }
        .await,
    )
}
