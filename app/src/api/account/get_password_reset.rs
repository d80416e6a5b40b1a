use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The address a reset link is for, while the link still works.
#[server(input = GetUrl)]
pub async fn get_password_reset(token: String) -> Result<String, AppError> {
    use crate::ssr::{AppState, password_reset, respond};
    respond(password_reset::check(&AppState::current()?.db, &token, chrono::Utc::now()).await)
}
