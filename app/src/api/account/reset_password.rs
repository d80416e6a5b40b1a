use crate::error::AppError;
use leptos::prelude::*;

/// Sets a new password from a reset link; every other session ends and this browser is signed in.
#[server]
pub async fn reset_password(
    token: String,
    new_password: String,
    new_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::ssr::password_reset::{self, NewPassword};
    use crate::ssr::{AppState, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let new = NewPassword {
                password: new_password,
                confirmation: new_password_confirmation,
                ip: session_cookie::client_address(),
                user_agent: session_cookie::user_agent(),
            };
            let session = password_reset::reset(&AppState::current()?.db, &token, new, chrono::Utc::now()).await?;
            session_cookie::start(&session.token);
            leptos_axum::redirect("/dashboard");
            Ok(())
        }
        .await,
    )
}
