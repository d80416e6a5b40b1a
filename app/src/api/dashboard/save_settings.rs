use crate::error::AppError;
use leptos::prelude::*;

/// Saves the organization's settings; the public page follows at once.
#[server]
pub async fn save_settings(
    slug: String,
    name: String,
    tagline: String,
    logo_url: String,
    website_url: String,
    brand_colour: String,
    custom_domain: String,
    default_locale: String,
    time_zone: String,
    listed: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::organization::{self, SettingsForm};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, workspace) = dashboard::signed_in(&state.db, &slug, now).await?;
            let form = SettingsForm {
                name,
                tagline,
                logo_url,
                website_url,
                brand_colour,
                custom_domain,
                default_locale,
                time_zone,
                listed: listed.is_some(),
            };
            organization::update_settings(&state.db, Some(&state.hub), &caller, form, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/settings?saved=1", workspace.slug));
            Ok(())
        }
        .await,
    )
}
