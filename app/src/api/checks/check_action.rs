use crate::error::AppError;
use leptos::prelude::*;

/// Runs a check now, pauses or resumes it: `action` is `run`, `pause` or `resume`.
#[server]
pub async fn check_action(slug: String, check_id: i64, action: String) -> Result<(), AppError> {
    use crate::ssr::admin::checks;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            caller.may_change(herald::Permission::Edit)?;
            match action.as_str() {
                "run" => checks::run_now(&state.db, &caller, check_id, now).await.map(|_| ())?,
                "pause" => {
                    checks::set_paused(&state.db, Some(&state.hub), &caller, check_id, true, now).await.map(|_| ())?
                }
                "resume" => {
                    checks::set_paused(&state.db, Some(&state.hub), &caller, check_id, false, now).await.map(|_| ())?
                }
                _ => return Err(AppError::invalid("action", "Choose run, pause or resume.")),
            }
            leptos_axum::redirect(&format!("/dashboard/{}/checks", organization.slug));
            Ok(())
        }
        .await,
    )
}
