use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Whether the instance still waits for its first administrator.
#[server(input = GetUrl)]
pub async fn get_setup_needed() -> Result<bool, AppError> {
    use crate::ssr::{AppState, respond, setup};
    respond(async { setup::is_needed(&AppState::current()?.db).await }.await)
}
