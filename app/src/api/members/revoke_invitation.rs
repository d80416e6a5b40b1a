use crate::error::AppError;
use leptos::prelude::*;

/// Withdraws a pending invitation: its link stops working at once.
#[server]
pub async fn revoke_invitation(slug: String, invitation_id: i64) -> Result<(), AppError> {
    use crate::ssr::admin::members;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            members::revoke(db, &caller, invitation_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/members", organization.slug));
            Ok(())
        }
        .await,
    )
}
