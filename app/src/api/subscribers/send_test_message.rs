use crate::error::AppError;
use leptos::prelude::*;

/// Queues a test message to one subscriber, to check its channel works; it appears in the
/// subscriber's delivery log.
#[server]
pub async fn send_test_message(slug: String, subscriber_id: i64) -> Result<(), AppError> {
    use crate::ssr::admin::subscribers;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            subscribers::send_test(db, &caller, subscriber_id, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/subscribers?subscriber={subscriber_id}", organization.slug));
            Ok(())
        }
        .await,
    )
}
