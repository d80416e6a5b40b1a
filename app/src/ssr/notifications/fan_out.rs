//! Turning recorded events into deliveries. The event is written in the same transaction as
//! the change (see `events::record`); here each event not yet fanned out becomes one outbox row
//! per interested subscriber. Rows are keyed by (event, subscriber), so a fan-out interrupted
//! by a crash, or run by two replicas at once, queues every delivery exactly once.

use super::super::entities::{events, notification_outbox, subscriber_components, subscribers};
use super::super::errors::internal;
use super::super::repositories::begin_write;
use super::notice::EventFacts;
use super::purpose;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{EventKind, Interest, SubscriberChannel, Topic};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Events taken per run.
const EVENTS_PER_RUN: u64 = 50;
/// Outbox rows per INSERT statement (well under SQLite's bound-parameter limit).
const ROWS_PER_INSERT: usize = 500;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FanOut {
    pub events: usize,
    pub deliveries: usize,
}

/// The idempotency key of an event delivery; receivers see it as `webhook-id` / `Message-ID`.
pub fn event_delivery_key(event_id: i64, subscriber_id: i64) -> String {
    format!("evt_{event_id}_{subscriber_id}")
}

pub async fn fan_out_once(db: &DatabaseConnection, public_url: &str, now: DateTime<Utc>) -> Result<FanOut, AppError> {
    let pending = events::Entity::find()
        .filter(events::Column::FannedOutAt.is_null())
        .order_by_asc(events::Column::Id)
        .limit(EVENTS_PER_RUN)
        .all(db)
        .await
        .map_err(internal("finding events to fan out"))?;
    let mut done = FanOut::default();
    for event in pending {
        done.deliveries += fan_out_event(db, &event, public_url, now).await?;
        done.events += 1;
    }
    Ok(done)
}

async fn fan_out_event(
    db: &DatabaseConnection,
    event: &events::Model,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let facts = EventFacts::load(db, event, public_url).await?;
    let txn = begin_write(db).await.map_err(internal("starting a fan-out"))?;
    let mut queued = 0;
    if let Some(facts) = facts.filter(|facts| facts.notify && facts.kind.is_notifiable()) {
        let audience = audience(&txn, event.organization_id, facts.kind, &facts.component_ids()).await?;
        for chunk in audience.chunks(ROWS_PER_INSERT) {
            let rows = chunk.iter().map(|(subscriber_id, channel)| {
                super::outbox::queued(
                    (event.organization_id, *subscriber_id, channel.as_str()),
                    Some(event.id),
                    purpose::EVENT,
                    event_delivery_key(event.id, *subscriber_id),
                    None,
                    now,
                )
            });
            notification_outbox::Entity::insert_many(rows)
                .on_conflict(OnConflict::column(notification_outbox::Column::IdempotencyKey).do_nothing().to_owned())
                .exec_without_returning(&txn)
                .await
                .map_err(internal("queueing deliveries"))?;
        }
        queued = audience.len();
    }
    events::Entity::update_many()
        .col_expr(events::Column::FannedOutAt, sea_orm::sea_query::Expr::value(now))
        .filter(events::Column::Id.eq(event.id))
        .exec(&txn)
        .await
        .map_err(internal("marking an event fanned out"))?;
    txn.commit().await.map_err(internal("committing a fan-out"))?;
    Ok(queued)
}

/// The confirmed, enabled subscribers of the organization who want this event.
async fn audience(
    db: &impl sea_orm::ConnectionTrait,
    organization_id: i64,
    kind: EventKind,
    event_components: &[i64],
) -> Result<Vec<(i64, SubscriberChannel)>, AppError> {
    let candidates: Vec<(i64, String, String)> = subscribers::Entity::find()
        .select_only()
        .column(subscribers::Column::Id)
        .column(subscribers::Column::Channel)
        .column(subscribers::Column::Topic)
        .filter(subscribers::Column::OrganizationId.eq(organization_id))
        .filter(subscribers::Column::ConfirmedAt.is_not_null())
        .filter(subscribers::Column::DisabledAt.is_null())
        .order_by_asc(subscribers::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("finding subscribers"))?;
    let filters: Vec<(i64, i64)> = subscriber_components::Entity::find()
        .select_only()
        .column(subscriber_components::Column::SubscriberId)
        .column(subscriber_components::Column::ComponentId)
        .inner_join(subscribers::Entity)
        .filter(subscribers::Column::OrganizationId.eq(organization_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("reading subscribers' component filters"))?;
    let mut followed: HashMap<i64, Vec<i64>> = HashMap::new();
    for (subscriber, component) in filters {
        followed.entry(subscriber).or_default().push(component);
    }
    Ok(candidates
        .into_iter()
        .filter_map(|(id, channel, topic)| {
            // A value this version does not know is skipped, not fatal to everyone else's delivery.
            let channel: SubscriberChannel = channel.parse().ok()?;
            let topic: Topic = topic.parse().ok()?;
            let components = followed.get(&id).map(Vec::as_slice).unwrap_or_default();
            Interest { channel, topic, components }.wants(kind, event_components).then_some((id, channel))
        })
        .collect())
}
