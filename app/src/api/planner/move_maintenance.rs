use crate::error::AppError;
use leptos::prelude::*;

/// Starts (`in_progress`), completes (`completed`) or cancels (`cancelled`) a maintenance by
/// hand, with an optional message for its timeline.
#[server]
pub async fn move_maintenance(
    slug: String,
    maintenance_id: i64,
    to: String,
    message: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::maintenance::{self, MaintenanceTransition};
    use crate::ssr::dashboard::{self, chosen};
    use crate::ssr::{AppState, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let request = MaintenanceTransition { message };
            maintenance::move_to(
                &state.db,
                Some(&state.hub),
                &caller,
                maintenance_id,
                chosen("to", &to)?,
                request,
                now,
            )
            .await?;
            leptos_axum::redirect(&format!("/dashboard/{}/maintenance", organization.slug));
            Ok(())
        }
        .await,
    )
}
