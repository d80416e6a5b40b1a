use crate::error::AppError;
use leptos::prelude::*;

/// Gives a member another role; the last Admin stays an Admin.
#[server]
pub async fn change_member_role(slug: String, user_id: i64, role: String) -> Result<(), AppError> {
    use crate::ssr::admin::members;
    use crate::ssr::dashboard::{self, chosen};
    use crate::ssr::{AppState, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            members::change_role(db, &caller, user_id, chosen("role", &role)?, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/members", organization.slug));
            Ok(())
        }
        .await,
    )
}
