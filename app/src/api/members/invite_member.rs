use crate::error::AppError;
use leptos::prelude::*;

/// Invites an address with a role: the link is emailed to it (or, without a mail transport,
/// written to the log) and shown to the Admin, who may send it another way. It works once, for
/// 7 days.
#[server]
pub async fn invite_member(slug: String, email: String, role: String) -> Result<(), AppError> {
    use super::invitation_path;
    use crate::ssr::account_mail::{self, send_in_background};
    use crate::ssr::admin::members;
    use crate::ssr::caller::Via;
    use crate::ssr::dashboard::{self, chosen};
    use crate::ssr::{AppState, respond_to_form, session_cookie};
    respond_to_form(
        async {
            let app = AppState::current()?;
            let db = &app.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            let role = chosen("role", &role)?;
            let created = members::invite(db, &caller, &email, role, now).await?;
            let link = format!("{}{}", session_cookie::origin().unwrap_or_default(), invitation_path(&created.token));
            let inviter = match &caller.via {
                Via::Person { email, .. } => Some(email.as_str()),
                Via::Token { .. } => None,
            };
            send_in_background(
                app.account_mail.clone(),
                account_mail::invitation(&created.invitation.email, &organization.name, role.label(), inviter, &link),
            );
            leptos_axum::redirect(&format!("/dashboard/{}/members?invited={}", organization.slug, created.token));
            Ok(())
        }
        .await,
    )
}
