use crate::error::AppError;
use leptos::prelude::*;

/// First-run setup: creates the first administrator and organization, then opens the new
/// organization's status page.
#[server]
pub async fn complete_setup(
    organization_name: String,
    slug: String,
    email: String,
    password: String,
    password_confirmation: String,
) -> Result<(), AppError> {
    use crate::ssr::setup::{self, AdminRequest, OrganizationRequest};
    use crate::ssr::{AppState, respond_to_form};
    respond_to_form(
        async {
            let request = AdminRequest {
                email,
                password,
                password_confirmation: Some(password_confirmation),
                organization: Some(OrganizationRequest { name: organization_name, slug }),
            };
            let created = setup::complete_first_run(&AppState::current()?.db, request).await?;
            if let Some(organization) = created.organization {
                leptos_axum::redirect(&format!("/s/{}", organization.slug));
            }
            Ok(())
        }
        .await,
    )
}
