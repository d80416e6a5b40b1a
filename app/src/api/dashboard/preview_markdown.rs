use crate::error::AppError;
use leptos::prelude::*;

/// The most text one preview renders: longer than any body the use cases accept.
pub const PREVIEW_LIMIT_CHARS: usize = 50_000;

/// Renders an editor's Markdown exactly as the public page will show it. Only for people
/// signed in, so it is no free rendering service.
#[server]
pub async fn preview_markdown(text: String) -> Result<String, AppError> {
    use crate::ssr::{AppState, accounts, markdown, respond};
    respond(
        async {
            let state = AppState::current()?;
            if accounts::current_user(&state.db, chrono::Utc::now()).await?.is_none() {
                return Err(AppError::Unauthorized("Sign in again to preview.".to_owned()));
            }
            if text.chars().count() > PREVIEW_LIMIT_CHARS {
                return Err(AppError::invalid(
                    "text",
                    format!("A preview takes at most {PREVIEW_LIMIT_CHARS} characters."),
                ));
            }
            Ok(markdown::to_safe_html(&text))
        }
        .await,
    )
}
