//! Subscribing, confirming, changing preferences and leaving. An email address proves it is
//! its owner's (double opt-in) before it hears anything; a webhook gets a signing secret shown
//! once; chat channels deliver at once. The same target subscribes once per organization.

use super::super::entities::{components, notification_outbox, subscriber_components, subscribers};
use super::super::errors::internal;
use super::super::keyring::Keyring;
use super::super::repositories::{begin_write, stored};
use super::super::secrets::{hash_token, new_token};
use super::purpose;
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::{Email, HttpUrl, Locale, SubscriberChannel, Topic};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};

/// How long a confirmation link works; unconfirmed subscriptions are deleted after it.
pub const CONFIRMATION_VALID_FOR: TimeDelta = TimeDelta::days(7);
/// Subscribing the same address again within this time sends no second email.
pub const RESEND_CONFIRMATION_AFTER: TimeDelta = TimeDelta::minutes(2);
const CONFIRMATION_TOKEN_PREFIX: &str = "hrlc_";

#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub channel: SubscriberChannel,
    /// The email address, the webhook or chat URL, or the Telegram chat id.
    pub address: String,
    /// Telegram only: the bot that posts to the chat.
    pub bot_token: Option<String>,
    pub topic: Topic,
    /// Components to hear about; empty means all.
    pub component_ids: Vec<i64>,
    pub locale: Locale,
    /// public, dashboard, import, api
    pub source: &'static str,
    /// Added by an editor who vouches for the address: no confirmation round trip.
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscribed {
    /// An email: the confirmation (or, for an address already confirmed, its manage link) is
    /// on its way. The answer is the same either way, so nobody learns who is subscribed.
    CheckInbox,
    /// An email an editor added, confirmed at once.
    Confirmed {
        id: i64,
    },
    /// A webhook and the secret its deliveries are signed with, shown this once.
    Webhook {
        id: i64,
        secret: String,
    },
    Chat {
        id: i64,
    },
}

/// What subscribing checks beyond the shape of the input.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubscriptionRules {
    /// `HERALD_BLOCK_PRIVATE_TARGETS`: refuse webhook URLs on private addresses.
    pub block_private_targets: bool,
}

/// The normalised target and, for channels with one, the secret to seal.
fn target_of(request: &NewSubscription, rules: SubscriptionRules) -> Result<(String, Option<String>), AppError> {
    match request.channel {
        SubscriberChannel::Email => {
            let email =
                Email::parse(&request.address).map_err(|error| AppError::invalid("email", error.to_string()))?;
            if email.is_disposable() {
                return Err(AppError::invalid(
                    "email",
                    "Addresses at throwaway-mail services cannot subscribe; use an address you read.",
                ));
            }
            Ok((email.as_str().to_owned(), None))
        }
        SubscriberChannel::Telegram => {
            let chat = request.address.trim();
            let numeric = chat.strip_prefix('-').unwrap_or(chat);
            let is_id = !numeric.is_empty() && numeric.len() <= 20 && numeric.chars().all(|c| c.is_ascii_digit());
            let is_name = chat.len() > 5
                && chat.len() <= 33
                && chat.starts_with('@')
                && chat[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !is_id && !is_name {
                return Err(AppError::invalid(
                    "chat_id",
                    "Enter the chat's numeric id (such as -1001234567890) or a public channel's @name.",
                ));
            }
            let token = request.bot_token.as_deref().map(str::trim).unwrap_or_default();
            let valid_token = token.split_once(':').is_some_and(|(bot, secret)| {
                !bot.is_empty()
                    && bot.chars().all(|c| c.is_ascii_digit())
                    && secret.len() >= 30
                    && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
            if !valid_token {
                return Err(AppError::invalid(
                    "bot_token",
                    "Enter the bot token BotFather gave you, such as 123456789:AAE…",
                ));
            }
            Ok((chat.to_owned(), Some(token.to_owned())))
        }
        SubscriberChannel::Webhook
        | SubscriberChannel::Slack
        | SubscriberChannel::Discord
        | SubscriberChannel::Teams => {
            let url = HttpUrl::parse(&request.address).map_err(|error| AppError::invalid("url", error.to_string()))?;
            if rules.block_private_targets && url_names_private_address(&url) {
                return Err(AppError::invalid(
                    "url",
                    "This instance does not deliver to private or loopback addresses; use a public URL.",
                ));
            }
            Ok((url.as_str().to_owned(), None))
        }
    }
}

/// Literal addresses and `localhost`; names that resolve to private addresses are refused when
/// delivering, after the lookup.
fn url_names_private_address(url: &HttpUrl) -> bool {
    let host = url.host().trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>().is_ok_and(herald::is_private_address)
}

async fn check_components(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_ids: &[i64],
) -> Result<Vec<i64>, AppError> {
    let mut wanted = component_ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let found: Vec<i64> = components::Entity::find()
        .select_only()
        .column(components::Column::Id)
        .filter(components::Column::OrganizationId.eq(organization_id))
        .filter(components::Column::Id.is_in(wanted.clone()))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("checking a subscription's components"))?;
    if found.len() != wanted.len() {
        return Err(AppError::invalid("components", "One of the chosen components does not exist (any more)."));
    }
    Ok(wanted)
}

async fn set_components(db: &impl ConnectionTrait, subscriber_id: i64, component_ids: &[i64]) -> Result<(), AppError> {
    subscriber_components::Entity::delete_many()
        .filter(subscriber_components::Column::SubscriberId.eq(subscriber_id))
        .exec(db)
        .await
        .map_err(internal("clearing a subscription's components"))?;
    if component_ids.is_empty() {
        return Ok(());
    }
    subscriber_components::Entity::insert_many(component_ids.iter().map(|&component_id| {
        subscriber_components::ActiveModel { subscriber_id: Set(subscriber_id), component_id: Set(component_id) }
    }))
    .exec_without_returning(db)
    .await
    .map_err(internal("saving a subscription's components"))?;
    Ok(())
}

/// Queues a confirmation-purpose email: `kind` is `confirm` (with the token) or `manage` (a
/// confirmed address subscribing again gets its manage link instead).
async fn queue_confirmation(
    db: &impl ConnectionTrait,
    subscriber: &subscribers::Model,
    kind: &str,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    notification_outbox::Entity::insert(super::outbox::queued(
        (subscriber.organization_id, subscriber.id, &subscriber.channel),
        None,
        purpose::CONFIRMATION,
        format!("{}:{}:{}", purpose::CONFIRMATION, subscriber.id, now.timestamp_micros()),
        Some(serde_json::json!({ "kind": kind, "token": token })),
        now,
    ))
    .on_conflict(OnConflict::column(notification_outbox::Column::IdempotencyKey).do_nothing().to_owned())
    .exec_without_returning(db)
    .await
    .map_err(internal("queueing a confirmation email"))?;
    Ok(())
}

pub async fn subscribe(
    db: &DatabaseConnection,
    keyring: &Keyring,
    organization_id: i64,
    request: NewSubscription,
    rules: SubscriptionRules,
    now: DateTime<Utc>,
) -> Result<Subscribed, AppError> {
    let txn = begin_write(db).await.map_err(internal("starting a subscription"))?;
    let outcome = subscribe_within(&txn, keyring, organization_id, request, rules, now).await?;
    txn.commit().await.map_err(internal("committing a subscription"))?;
    Ok(outcome)
}

/// The normalised address a subscription is kept under (lower-case email, parsed URL), so the
/// same target is recognised however it was typed.
pub fn normalized_target(request: &NewSubscription, rules: SubscriptionRules) -> Result<String, AppError> {
    target_of(request, rules).map(|(target, _)| target)
}

/// Subscribes inside the caller's transaction (an import adds many in one).
pub async fn subscribe_within(
    txn: &impl ConnectionTrait,
    keyring: &Keyring,
    organization_id: i64,
    request: NewSubscription,
    rules: SubscriptionRules,
    now: DateTime<Utc>,
) -> Result<Subscribed, AppError> {
    let (target, secret) = target_of(&request, rules)?;
    let component_ids = check_components(txn, organization_id, &request.component_ids).await?;
    let existing = subscribers::Entity::find()
        .filter(subscribers::Column::OrganizationId.eq(organization_id))
        .filter(subscribers::Column::Channel.eq(request.channel.as_str()))
        .filter(subscribers::Column::Target.eq(&target))
        .one(txn)
        .await
        .map_err(internal("looking for an existing subscription"))?;
    let needs_confirmation = request.channel.needs_confirmation() && !request.confirmed;

    let outcome = match existing {
        Some(subscriber) => {
            match request.channel {
                SubscriberChannel::Webhook => {
                    return Err(AppError::Conflict(
                        "This URL is already subscribed. Remove the subscription first to get a new secret.".into(),
                    ));
                }
                SubscriberChannel::Email if subscriber.confirmed_at.is_some() => {
                    // Only the address's owner changes a confirmed subscription: they get the
                    // link to do so, not a change made on their behalf by whoever typed it.
                    if request.confirmed {
                        return Err(AppError::Conflict("This address is already subscribed.".into()));
                    }
                    if recently_sent(&subscriber, now) {
                        return Ok(Subscribed::CheckInbox);
                    }
                    subscribers::ActiveModel {
                        id: Set(subscriber.id),
                        confirmation_sent_at: Set(Some(now)),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .update(txn)
                    .await
                    .map_err(internal("noting a manage-link email"))?;
                    queue_confirmation(txn, &subscriber, "manage", None, now).await?;
                    Subscribed::CheckInbox
                }
                SubscriberChannel::Email => {
                    let resend = !recently_sent(&subscriber, now) || request.confirmed;
                    let token = new_token(CONFIRMATION_TOKEN_PREFIX);
                    let mut row = subscribers::ActiveModel {
                        id: Set(subscriber.id),
                        topic: Set(request.topic.as_str().to_owned()),
                        locale: Set(request.locale.as_str().to_owned()),
                        updated_at: Set(now),
                        ..Default::default()
                    };
                    if request.confirmed {
                        row.confirmed_at = Set(Some(now));
                        row.confirmation_token_hash = Set(None);
                    } else if resend {
                        row.confirmation_token_hash = Set(Some(hash_token(&token)));
                        row.confirmation_sent_at = Set(Some(now));
                    }
                    let subscriber = row.update(txn).await.map_err(internal("updating a subscription"))?;
                    set_components(txn, subscriber.id, &component_ids).await?;
                    if request.confirmed {
                        Subscribed::Confirmed { id: subscriber.id }
                    } else {
                        if resend {
                            queue_confirmation(txn, &subscriber, "confirm", Some(&token), now).await?;
                        }
                        Subscribed::CheckInbox
                    }
                }
                _ => {
                    // A chat URL is its own credential: whoever has it may change what it hears.
                    let mut row = subscribers::ActiveModel {
                        id: Set(subscriber.id),
                        topic: Set(request.topic.as_str().to_owned()),
                        locale: Set(request.locale.as_str().to_owned()),
                        disabled_at: Set(None),
                        disabled_reason: Set(None),
                        failing_since: Set(None),
                        updated_at: Set(now),
                        ..Default::default()
                    };
                    if let Some(secret) = &secret {
                        row.secret_ciphertext = Set(Some(keyring.seal(secret)));
                    }
                    row.update(txn).await.map_err(internal("updating a subscription"))?;
                    set_components(txn, subscriber.id, &component_ids).await?;
                    Subscribed::Chat { id: subscriber.id }
                }
            }
        }
        None => {
            let webhook_secret = (request.channel == SubscriberChannel::Webhook).then(|| {
                let mut bytes = [0u8; 24];
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
                herald::encode_secret(&bytes)
            });
            let sealed = webhook_secret.as_deref().or(secret.as_deref()).map(|secret| keyring.seal(secret));
            let token = needs_confirmation.then(|| new_token(CONFIRMATION_TOKEN_PREFIX));
            let subscriber = subscribers::ActiveModel {
                organization_id: Set(organization_id),
                channel: Set(request.channel.as_str().to_owned()),
                target: Set(target),
                secret_ciphertext: Set(sealed),
                topic: Set(request.topic.as_str().to_owned()),
                locale: Set(request.locale.as_str().to_owned()),
                confirmed_at: Set((!needs_confirmation).then_some(now)),
                confirmation_token_hash: Set(token.as_deref().map(hash_token)),
                confirmation_sent_at: Set(token.as_ref().map(|_| now)),
                // Replaced below, once the id the real token derives from is known.
                manage_token_hash: Set(hash_token(&new_token("pending_"))),
                source: Set(request.source.to_owned()),
                failing_since: Set(None),
                disabled_at: Set(None),
                disabled_reason: Set(None),
                last_delivery_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(internal("saving a subscription"))?;
            let subscriber = subscribers::ActiveModel {
                id: Set(subscriber.id),
                manage_token_hash: Set(hash_token(&keyring.manage_token(subscriber.id, now))),
                ..Default::default()
            }
            .update(txn)
            .await
            .map_err(internal("saving a subscription's manage token"))?;
            set_components(txn, subscriber.id, &component_ids).await?;
            if let Some(token) = &token {
                queue_confirmation(txn, &subscriber, "confirm", Some(token), now).await?;
            }
            match (request.channel, webhook_secret) {
                (SubscriberChannel::Webhook, Some(secret)) => Subscribed::Webhook { id: subscriber.id, secret },
                (SubscriberChannel::Email, _) if request.confirmed => Subscribed::Confirmed { id: subscriber.id },
                (SubscriberChannel::Email, _) => Subscribed::CheckInbox,
                _ => Subscribed::Chat { id: subscriber.id },
            }
        }
    };
    Ok(outcome)
}

fn recently_sent(subscriber: &subscribers::Model, now: DateTime<Utc>) -> bool {
    subscriber.confirmation_sent_at.is_some_and(|sent| now - sent < RESEND_CONFIRMATION_AFTER)
}

/// Follows a confirmation link. The link is spent once used: a second click finds nothing and
/// says so, pointing to the page's subscribe form.
pub async fn confirm(db: &DatabaseConnection, token: &str, now: DateTime<Utc>) -> Result<subscribers::Model, AppError> {
    let not_valid = || {
        AppError::NotFound(
            "This confirmation link is not valid (any more). If you subscribed more than 7 days ago, subscribe again."
                .into(),
        )
    };
    if !token.starts_with(CONFIRMATION_TOKEN_PREFIX) {
        return Err(not_valid());
    }
    let txn = begin_write(db).await.map_err(internal("starting a confirmation"))?;
    let subscriber = subscribers::Entity::find()
        .filter(subscribers::Column::ConfirmationTokenHash.eq(hash_token(token)))
        .one(&txn)
        .await
        .map_err(internal("finding a subscription to confirm"))?
        .ok_or_else(not_valid)?;
    if subscriber.confirmation_sent_at.is_none_or(|sent| now - sent > CONFIRMATION_VALID_FOR) {
        return Err(not_valid());
    }
    let confirmed = subscribers::ActiveModel {
        id: Set(subscriber.id),
        confirmed_at: Set(Some(subscriber.confirmed_at.unwrap_or(now))),
        confirmation_token_hash: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("confirming a subscription"))?;
    txn.commit().await.map_err(internal("committing a confirmation"))?;
    Ok(confirmed)
}

/// A subscription as its preferences page shows it.
#[derive(Debug, Clone)]
pub struct Managed {
    pub subscriber: subscribers::Model,
    pub channel: SubscriberChannel,
    pub topic: Topic,
    pub component_ids: Vec<i64>,
}

/// The subscription a manage token opens.
pub async fn find_managed(db: &impl ConnectionTrait, token: &str) -> Result<Managed, AppError> {
    let subscriber = subscribers::Entity::find()
        .filter(subscribers::Column::ManageTokenHash.eq(hash_token(token)))
        .one(db)
        .await
        .map_err(internal("finding a subscription"))?
        .ok_or_else(|| {
            AppError::NotFound(
                "This link does not belong to a subscription (any more): you may have unsubscribed already.".into(),
            )
        })?;
    let component_ids = subscriber_components::Entity::find()
        .select_only()
        .column(subscriber_components::Column::ComponentId)
        .filter(subscriber_components::Column::SubscriberId.eq(subscriber.id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading a subscription's components"))?;
    Ok(Managed { channel: stored(&subscriber.channel)?, topic: stored(&subscriber.topic)?, subscriber, component_ids })
}

/// Changes what a subscription hears about, from its preferences page.
pub async fn update_preferences(
    db: &DatabaseConnection,
    token: &str,
    topic: Topic,
    component_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Managed, AppError> {
    let txn = begin_write(db).await.map_err(internal("starting to save preferences"))?;
    let managed = find_managed(&txn, token).await?;
    let component_ids = check_components(&txn, managed.subscriber.organization_id, component_ids).await?;
    subscribers::ActiveModel {
        id: Set(managed.subscriber.id),
        topic: Set(topic.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("saving preferences"))?;
    set_components(&txn, managed.subscriber.id, &component_ids).await?;
    let managed = find_managed(&txn, token).await?;
    txn.commit().await.map_err(internal("committing preferences"))?;
    Ok(managed)
}

/// Ends a subscription (one click from any message, or the preferences page). Its pending
/// deliveries go with it. Returns the organization it belonged to.
pub async fn unsubscribe(db: &DatabaseConnection, token: &str) -> Result<i64, AppError> {
    let managed = find_managed(db, token).await?;
    subscribers::Entity::delete_by_id(managed.subscriber.id)
        .exec(db)
        .await
        .map_err(internal("removing a subscription"))?;
    Ok(managed.subscriber.organization_id)
}

/// Deletes subscriptions never confirmed within the link's lifetime.
pub async fn purge_unconfirmed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, AppError> {
    let removed = subscribers::Entity::delete_many()
        .filter(subscribers::Column::ConfirmedAt.is_null())
        .filter(subscribers::Column::ConfirmationSentAt.lt(now - CONFIRMATION_VALID_FOR))
        .exec(db)
        .await
        .map_err(internal("removing unconfirmed subscriptions"))?;
    Ok(removed.rows_affected)
}
