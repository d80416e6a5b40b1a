use crate::error::AppError;
use leptos::prelude::*;

/// Ends this session (or, with `everywhere`, every session of the account) and clears the cookie.
#[server]
pub async fn sign_out(everywhere: Option<String>) -> Result<(), AppError> {
    use crate::ssr::{AppState, accounts, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            if let Some(token) = session_cookie::token() {
                match accounts::session_user(db, &token, chrono::Utc::now()).await? {
                    Some((_, user)) if everywhere.is_some() => {
                        accounts::sign_out_everywhere(db, user.id, None).await?;
                    }
                    _ => accounts::sign_out(db, &token).await?,
                }
            }
            session_cookie::clear();
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}
