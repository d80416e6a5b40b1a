use crate::error::AppError;
use leptos::prelude::*;

/// Sends a reset link to the address if it has an account, and answers the same either way.
/// Until email delivery is configured, the link is written to the server log.
#[server]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::ssr::password_reset::{self, reset_path};
    use crate::ssr::{AppState, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            if let Some((user, token)) = password_reset::request(db, &email, chrono::Utc::now()).await? {
                let link = format!("{}{}", session_cookie::origin().unwrap_or_default(), reset_path(&token));
                tracing::info!(to = %user.email, %link, "password reset link; send it to the account's owner");
            }
            leptos_axum::redirect("/forgot-password?sent=1");
            Ok(())
        }
        .await,
    )
}
