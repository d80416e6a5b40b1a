use super::TemplateLibrary;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Every template of the organization, with the components they may pre-select.
#[server(input = GetUrl)]
pub async fn get_templates(slug: String) -> Result<TemplateLibrary, AppError> {
    use crate::ssr::{AppState, respond, template_library};
    respond(template_library::library(&AppState::current()?.db, &slug, chrono::Utc::now()).await)
}
