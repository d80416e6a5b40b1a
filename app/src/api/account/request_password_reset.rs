use crate::error::AppError;
use leptos::prelude::*;

/// Sends a reset link to the address if it has an account, and answers the same either way.
/// Without a mail transport, the link is written to the server log.
#[server]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::ssr::account_mail::{self, send_in_background};
    use crate::ssr::password_reset::{self, reset_path};
    use crate::ssr::{AppState, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let app = AppState::current()?;
            if let Some((user, token)) = password_reset::request(&app.db, &email, chrono::Utc::now()).await? {
                let link = format!("{}{}", session_cookie::origin().unwrap_or_default(), reset_path(&token));
                send_in_background(app.account_mail.clone(), account_mail::password_reset(&user.email, &link));
            }
            leptos_axum::redirect("/forgot-password?sent=1");
            Ok(())
        }
        .await,
    )
}
