use crate::error::AppError;
use leptos::prelude::*;

/// Invites an address with a role, then shows the Admin the link to send (it is also written
/// to the server log until email delivery is configured). The link works once, for 7 days.
#[server]
pub async fn invite_member(slug: String, email: String, role: String) -> Result<(), AppError> {
    use super::invitation_path;
    use crate::ssr::admin::members;
    use crate::ssr::dashboard::{self, chosen};
    use crate::ssr::{AppState, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            let role = chosen("role", &role)?;
            let created = members::invite(db, &caller, &email, role, now).await?;
            let link = format!("{}{}", session_cookie::origin().unwrap_or_default(), invitation_path(&created.token));
            tracing::info!(
                organization = %organization.slug,
                to = %created.invitation.email,
                %link,
                "invitation created; send this link to the person invited"
            );
            leptos_axum::redirect(&format!("/dashboard/{}/members?invited={}", organization.slug, created.token));
            Ok(())
        }
        .await,
    )
}
