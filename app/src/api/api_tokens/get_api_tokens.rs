use super::ApiTokensPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The organization's API tokens, newest first; for Admins.
#[server(input = GetUrl)]
pub async fn get_api_tokens(slug: String) -> Result<ApiTokensPage, AppError> {
    use super::ApiTokenLine;
    use crate::ssr::{AppState, api_tokens, dashboard, respond, session_cookie};
    respond(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            caller.may_change(herald::Permission::Administer)?;
            let mut tokens: Vec<ApiTokenLine> = api_tokens::list(db, caller.organization_id)
                .await?
                .into_iter()
                .map(|token| ApiTokenLine {
                    works: token.revoked_at.is_none() && token.expires_at.is_none_or(|expires| expires > now),
                    id: token.id,
                    name: token.name,
                    prefix: token.prefix,
                    scope: token.scope,
                    role: token.role,
                    created_at: token.created_at,
                    last_used_at: token.last_used_at,
                    expires_at: token.expires_at,
                    revoked_at: token.revoked_at,
                })
                .collect();
            tokens.reverse();
            Ok(ApiTokensPage {
                organization,
                tokens,
                api_base: format!("{}/api/v1", session_cookie::origin().unwrap_or_default()),
            })
        }
        .await,
    )
}
