use crate::error::AppError;
use leptos::prelude::*;

/// Changes the signed-in person's password; their other sessions end.
#[server]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::ssr::accounts::{self, PasswordChange};
    use crate::ssr::{AppState, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let Some((session, user)) = accounts::current_user(db, now).await? else {
                return Err(AppError::Unauthorized("Your session has ended; sign in again.".into()));
            };
            let change = PasswordChange {
                current: current_password,
                new: new_password,
                confirmation: new_password_confirmation,
            };
            accounts::change_password(db, &user, session.id, change, now).await?;
            leptos_axum::redirect("/account?changed=1");
            Ok(())
        }
        .await,
    )
}
