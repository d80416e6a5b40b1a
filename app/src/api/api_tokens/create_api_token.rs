use super::NewTokenSecret;
use crate::error::AppError;
use leptos::prelude::*;

/// Makes a token with a name, a scope (read or write), a role no higher than the Admin's own
/// and, optionally, a lifetime in days; its secret is in the answer, once.
#[server]
pub async fn create_api_token(
    slug: String,
    name: String,
    scope: String,
    role: String,
    expires_in_days: Option<String>,
) -> Result<NewTokenSecret, AppError> {
    use crate::ssr::api_tokens::{self, NewApiToken, TokenCreator};
    use crate::ssr::dashboard::{chosen, filled};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, _) = dashboard::signed_in(db, &slug, now).await?;
            caller.may_change(herald::Permission::Administer)?;
            let expires_at = match expires_in_days.and_then(filled) {
                None => None,
                Some(days) => match days.trim().parse::<i64>() {
                    Ok(days @ 1..=3650) => Some(now + chrono::TimeDelta::days(days)),
                    _ => {
                        return Err(AppError::invalid(
                            "expires_in_days",
                            "Enter a number of days from 1 to 3650, or leave it empty for a token that does not expire.",
                        ));
                    }
                },
            };
            let new = NewApiToken { name, scope: chosen("scope", &scope)?, role: Some(chosen("role", &role)?), expires_at };
            let created =
                api_tokens::create(db, caller.organization_id, TokenCreator::Member(&caller), new, now).await?;
            Ok(NewTokenSecret { name: created.details.name, token: created.token })
        }
        .await,
    )
}
