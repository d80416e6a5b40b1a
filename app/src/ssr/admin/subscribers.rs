//! Subscribers, for editors: list (with filters), add (confirmed on the editor's word, or with
//! the usual double opt-in), remove, read one subscriber's delivery log, send a test message.

use super::{Paged, record_audit};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::{events, notification_outbox, subscriber_components, subscribers};
use crate::ssr::internal;
use crate::ssr::keyring::Keyring;
use crate::ssr::notifications::purpose;
use crate::ssr::notifications::subscriptions::{self, NewSubscription, Subscribed, SubscriptionRules};
use crate::ssr::repositories::{begin_write, stored};
use chrono::{DateTime, Utc};
use herald::{Locale, PageRequest, Permission, SubscriberChannel, Topic};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};

/// A subscriber as editors see it; its secret (webhook signing secret, bot token) never leaves.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubscriberView {
    pub id: i64,
    pub channel: SubscriberChannel,
    /// The email address, webhook or chat URL, or Telegram chat.
    pub target: String,
    pub topic: Topic,
    pub locale: Locale,
    /// Components followed; empty means all.
    pub component_ids: Vec<i64>,
    /// `None` until an email address is confirmed.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// public, dashboard, import, api
    pub source: String,
    /// Since when deliveries fail (cleared by the next success).
    pub failing_since: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub last_delivery_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedSubscriber {
    pub subscriber: SubscriberView,
    /// A webhook's signing secret, shown this once.
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriberState {
    Confirmed,
    Unconfirmed,
    Disabled,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SubscriberFilter {
    #[param(inline)]
    pub channel: Option<SubscriberChannel>,
    #[param(inline)]
    pub state: Option<SubscriberState>,
    /// Part of the address (email, URL or chat id).
    pub q: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriber {
    pub channel: SubscriberChannel,
    /// The email address, webhook or chat URL, or Telegram chat id.
    pub address: String,
    /// Telegram only.
    #[serde(default)]
    pub bot_token: Option<String>,
    #[serde(default)]
    pub topic: Option<Topic>,
    #[serde(default)]
    pub component_ids: Vec<i64>,
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Email only: `true` when you have the person's consent already (no confirmation email);
    /// otherwise they get the confirmation link like anyone subscribing on the page.
    #[serde(default)]
    pub confirmed: bool,
}

/// One delivery to a subscriber, for its log.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub event_id: Option<i64>,
    /// The event's kind (`incident.updated`, …), for event deliveries.
    pub event_kind: Option<String>,
    /// event, confirmation, test
    pub purpose: String,
    /// pending, sending, sent, failed (will retry), dead (gave up)
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

async fn view(db: &impl sea_orm::ConnectionTrait, row: subscribers::Model) -> Result<SubscriberView, AppError> {
    let component_ids = subscriber_components::Entity::find()
        .select_only()
        .column(subscriber_components::Column::ComponentId)
        .filter(subscriber_components::Column::SubscriberId.eq(row.id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading a subscriber's components"))?;
    Ok(SubscriberView {
        id: row.id,
        channel: stored(&row.channel)?,
        topic: stored(&row.topic)?,
        locale: row.locale.parse().unwrap_or(Locale::DEFAULT),
        component_ids,
        target: row.target,
        confirmed_at: row.confirmed_at,
        source: row.source,
        failing_since: row.failing_since,
        disabled_at: row.disabled_at,
        disabled_reason: row.disabled_reason,
        last_delivery_at: row.last_delivery_at,
        created_at: row.created_at,
    })
}

async fn find(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<subscribers::Model, AppError> {
    subscribers::Entity::find_by_id(id)
        .filter(subscribers::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("loading a subscriber"))?
        .ok_or_else(|| AppError::NotFound("There is no such subscriber.".into()))
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: SubscriberFilter,
) -> Result<Paged<SubscriberView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let mut query = subscribers::Entity::find().filter(subscribers::Column::OrganizationId.eq(caller.organization_id));
    if let Some(channel) = filter.channel {
        query = query.filter(subscribers::Column::Channel.eq(channel.as_str()));
    }
    query = match filter.state {
        Some(SubscriberState::Confirmed) => query
            .filter(subscribers::Column::ConfirmedAt.is_not_null())
            .filter(subscribers::Column::DisabledAt.is_null()),
        Some(SubscriberState::Unconfirmed) => query.filter(subscribers::Column::ConfirmedAt.is_null()),
        Some(SubscriberState::Disabled) => query.filter(subscribers::Column::DisabledAt.is_not_null()),
        None => query,
    };
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
        // Email addresses are kept in lower case; URLs keep theirs.
        query = query.filter(
            Condition::any()
                .add(subscribers::Column::Target.contains(text))
                .add(subscribers::Column::Target.contains(text.to_lowercase())),
        );
    }
    let total = query.clone().count(db).await.map_err(internal("counting subscribers"))?;
    let rows = query
        .order_by_asc(subscribers::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing subscribers"))?;
    let mut data = Vec::with_capacity(rows.len());
    for row in rows {
        data.push(view(db, row).await?);
    }
    Ok(Paged::new(data, page, total))
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<SubscriberView, AppError> {
    caller.may_read(Permission::Read)?;
    view(db, find(db, caller, id).await?).await
}

pub async fn create(
    db: &DatabaseConnection,
    keyring: &Keyring,
    rules: SubscriptionRules,
    caller: &Caller,
    new: NewSubscriber,
    now: DateTime<Utc>,
) -> Result<CreatedSubscriber, AppError> {
    caller.may_change(Permission::Edit)?;
    let request = NewSubscription {
        channel: new.channel,
        address: new.address,
        bot_token: new.bot_token,
        topic: new.topic.unwrap_or(Topic::All),
        component_ids: new.component_ids,
        locale: new.locale.unwrap_or(Locale::DEFAULT),
        source: "api",
        confirmed: new.confirmed,
    };
    let target = subscriptions::normalized_target(&request, rules)?;
    let channel = request.channel;
    let txn = begin_write(db).await.map_err(internal("starting to add a subscriber"))?;
    let outcome = subscriptions::subscribe_within(&txn, keyring, caller.organization_id, request, rules, now).await?;
    let (id, secret) = match outcome {
        Subscribed::Confirmed { id } | Subscribed::Chat { id } => (id, None),
        Subscribed::Webhook { id, secret } => (id, Some(secret)),
        Subscribed::CheckInbox => {
            // The address's row exists now; find it to answer with it.
            let row = subscribers::Entity::find()
                .filter(subscribers::Column::OrganizationId.eq(caller.organization_id))
                .filter(subscribers::Column::Channel.eq(channel.as_str()))
                .filter(subscribers::Column::Target.eq(target))
                .one(&txn)
                .await
                .map_err(internal("loading a new subscriber"))?
                .ok_or(AppError::Internal)?;
            (row.id, None)
        }
    };
    let subscriber = view(&txn, find(&txn, caller, id).await?).await?;
    record_audit(&txn, caller, "subscriber.added", ("subscriber", id), None, super::to_json(&subscriber), now).await?;
    txn.commit().await.map_err(internal("committing a new subscriber"))?;
    Ok(CreatedSubscriber { subscriber, secret })
}

pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    caller.may_change(Permission::Edit)?;
    let before = view(db, find(db, caller, id).await?).await?;
    subscribers::Entity::delete_by_id(id).exec(db).await.map_err(internal("removing a subscriber"))?;
    record_audit(db, caller, "subscriber.removed", ("subscriber", id), super::to_json(&before), None, now).await
}

/// The latest deliveries to one subscriber, newest first (the log keeps 30 days).
pub async fn deliveries(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    limit: Option<u64>,
    offset: Option<u64>,
) -> Result<Paged<DeliveryView>, AppError> {
    caller.may_read(Permission::Read)?;
    let subscriber = find(db, caller, id).await?;
    let page = PageRequest::new(limit, offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let query = notification_outbox::Entity::find().filter(notification_outbox::Column::SubscriberId.eq(subscriber.id));
    let total = query.clone().count(db).await.map_err(internal("counting deliveries"))?;
    let rows = query
        .order_by_desc(notification_outbox::Column::CreatedAt)
        .order_by_desc(notification_outbox::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing deliveries"))?;
    let event_ids: Vec<i64> = rows.iter().filter_map(|row| row.event_id).collect();
    let kinds: std::collections::HashMap<i64, String> = events::Entity::find()
        .select_only()
        .column(events::Column::Id)
        .column(events::Column::Kind)
        .filter(events::Column::Id.is_in(event_ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
        .map_err(internal("loading the deliveries' events"))?
        .into_iter()
        .collect();
    let data = rows
        .into_iter()
        .map(|row| DeliveryView {
            id: row.id,
            event_kind: row.event_id.and_then(|id| kinds.get(&id).cloned()),
            event_id: row.event_id,
            purpose: row.purpose,
            state: row.state,
            attempts: row.attempts,
            last_error: row.last_error,
            next_attempt_at: row.next_attempt_at,
            created_at: row.created_at,
            sent_at: row.sent_at,
        })
        .collect();
    Ok(Paged::new(data, page, total))
}

/// Queues a test message to one subscriber (confirmed or not: an editor checking the channel).
pub async fn send_test(db: &DatabaseConnection, caller: &Caller, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    caller.may_change(Permission::Edit)?;
    let subscriber = find(db, caller, id).await?;
    if subscriber.disabled_at.is_some() {
        return Err(AppError::Conflict("This subscriber is disabled; add it again to resume deliveries.".into()));
    }
    notification_outbox::Entity::insert(crate::ssr::notifications::outbox::queued(
        (subscriber.organization_id, subscriber.id, &subscriber.channel),
        None,
        purpose::TEST,
        format!("test_{}_{}", subscriber.id, now.timestamp_micros()),
        None,
        now,
    ))
    .on_conflict(OnConflict::column(notification_outbox::Column::IdempotencyKey).do_nothing().to_owned())
    .exec_without_returning(db)
    .await
    .map_err(internal("queueing a test message"))?;
    Ok(())
}
