use crate::error::AppError;
use leptos::prelude::*;

/// Removes a subscriber and its pending deliveries; `confirm` must be ticked.
#[server]
pub async fn remove_subscriber(slug: String, subscriber_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::ssr::admin::subscribers;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            caller.may_change(herald::Permission::Edit)?;
            if confirm.is_none() {
                return Err(AppError::invalid("confirm", "Tick the box to confirm the removal."));
            }
            subscribers::delete(db, &caller, subscriber_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/subscribers", organization.slug));
            Ok(())
        }
        .await,
    )
}
