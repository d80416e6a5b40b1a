use super::OrganizationSettings;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The organization's settings as the form shows them; for Admins.
#[server(input = GetUrl)]
pub async fn get_settings(slug: String) -> Result<OrganizationSettings, AppError> {
    use crate::ssr::admin::organization;
    use crate::ssr::{AppState, dashboard, respond};
    respond(
        async {
            let db = &AppState::current()?.db;
            let (caller, workspace) = dashboard::signed_in(db, &slug, chrono::Utc::now()).await?;
            let settings = organization::settings(db, &caller).await?;
            let former_slugs = organization::former_slugs(db, &caller).await?;
            Ok(OrganizationSettings {
                organization: workspace,
                name: settings.name,
                tagline: settings.tagline.unwrap_or_default(),
                logo_url: settings.logo_url.unwrap_or_default(),
                website_url: settings.website_url.unwrap_or_default(),
                brand_colour: settings.brand_colour.unwrap_or_default(),
                custom_domain: settings.custom_domain.unwrap_or_default(),
                default_locale: settings.default_locale,
                time_zone: settings.time_zone,
                listed: settings.listed,
                former_slugs,
            })
        }
        .await,
    )
}
