use crate::error::AppError;
use leptos::prelude::*;

/// Takes a member out of the organization (their account stays); the last Admin stays.
#[server]
pub async fn remove_member(slug: String, user_id: i64) -> Result<(), AppError> {
    use crate::ssr::admin::members;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            members::remove(db, &caller, user_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/members", organization.slug));
            Ok(())
        }
        .await,
    )
}
