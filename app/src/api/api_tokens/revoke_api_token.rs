use crate::error::AppError;
use leptos::prelude::*;

/// Stops a token from working at once; for Admins.
#[server]
pub async fn revoke_api_token(slug: String, token_id: i64) -> Result<(), AppError> {
    use crate::ssr::{AppState, api_tokens, dashboard, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            caller.may_change(herald::Permission::Administer)?;
            api_tokens::revoke(db, caller.organization_id, caller.actor(), token_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/api-tokens", organization.slug));
            Ok(())
        }
        .await,
    )
}
