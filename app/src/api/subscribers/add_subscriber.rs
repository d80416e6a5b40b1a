use super::AddedSubscriber;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

/// Adds one subscriber. An email address the editor vouches for (`confirmed`) is confirmed at
/// once; otherwise it gets the confirmation link. `components[<id>]` for each component
/// followed; none means all.
#[server]
pub async fn add_subscriber(
    slug: String,
    channel: String,
    address: String,
    bot_token: Option<String>,
    topic: String,
    locale: String,
    confirmed: Option<String>,
    components: Option<HashMap<String, String>>,
) -> Result<AddedSubscriber, AppError> {
    use crate::ssr::admin::subscribers::{self, NewSubscriber};
    use crate::ssr::dashboard::{chosen, filled};
    use crate::ssr::template_library::checked_ids;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let app = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, _) = dashboard::signed_in(&app.db, &slug, now).await?;
            caller.may_change(herald::Permission::Edit)?;
            let channel: herald::SubscriberChannel = chosen("channel", &channel)?;
            let new = NewSubscriber {
                channel,
                address,
                bot_token: bot_token.and_then(filled),
                topic: Some(chosen("topic", &topic)?),
                component_ids: checked_ids(components)?,
                locale: Some(chosen("locale", &locale)?),
                confirmed: confirmed.is_some(),
            };
            let created = subscribers::create(&app.db, &app.keyring, app.subscription_rules, &caller, new, now)
                .await
                .map_err(|error| match error {
                // The form has one address field whatever the channel.
                AppError::Invalid { field: Some(field), message }
                    if matches!(field.as_str(), "email" | "url" | "chat_id") =>
                {
                    AppError::invalid("address", message)
                }
                other => other,
            })?;
            Ok(AddedSubscriber {
                awaiting_confirmation: created.subscriber.confirmed_at.is_none(),
                target: created.subscriber.target,
                secret: created.secret,
            })
        }
        .await,
    )
}
