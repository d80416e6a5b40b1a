use crate::error::AppError;
use leptos::prelude::*;

/// Signs in with email and password, sets the session cookie and goes on to `next` (a path
/// on this site) or the dashboard.
#[server]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::ssr::accounts::{self, SignIn};
    use crate::ssr::{AppState, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let request = SignIn {
                email,
                password,
                ip: session_cookie::client_address(),
                user_agent: session_cookie::user_agent(),
            };
            let session = accounts::sign_in(&AppState::current()?.db, request, chrono::Utc::now()).await?;
            session_cookie::start(&session.token);
            leptos_axum::redirect(&session_cookie::local_path(next.as_deref()));
            Ok(())
        }
        .await,
    )
}
