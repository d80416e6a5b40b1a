use crate::error::AppError;
use leptos::prelude::*;

/// Accepts an invitation as the person signed in, or (with a password) as a new account for
/// the invited address, which is then signed in; either way, on to the organization.
#[server]
pub async fn accept_invitation(
    token: String,
    password: Option<String>,
    password_confirmation: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::members::{self, Acceptor};
    use crate::ssr::{AppState, accounts, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let acceptor = match accounts::current_user(db, now).await? {
                Some((_, user)) => Acceptor::SignedIn(user),
                None => Acceptor::NewAccount {
                    password: password.unwrap_or_default(),
                    confirmation: password_confirmation.unwrap_or_default(),
                    ip: session_cookie::client_address(),
                    user_agent: session_cookie::user_agent(),
                },
            };
            let (organization, session) = members::accept(db, &token, acceptor, now).await?;
            if let Some(session) = session {
                session_cookie::start(&session.token);
            }
            leptos_axum::redirect(&format!("/dashboard/{}", organization.slug));
            Ok(())
        }
        .await,
    )
}
