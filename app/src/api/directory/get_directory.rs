use crate::error::AppError;
use crate::model::Directory;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The organizations listed on the instance's front page.
#[server(input = GetUrl)]
pub async fn get_directory() -> Result<Directory, AppError> {
    use crate::ssr::{AppState, directory, respond};
    respond(async { directory::load(&AppState::current()?.db).await }.await)
}
