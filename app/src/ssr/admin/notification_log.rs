//! The delivery log per event: for each recent notification, how many deliveries went out,
//! are still on their way or failed, and which ones failed with what error.

use crate::api::subscribers::{EventDeliveries, FailedDelivery};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::{events, notification_outbox, subscribers};
use crate::ssr::internal;
use crate::ssr::notifications::notice::{EventFacts, Subject};
use crate::ssr::notifications::state;
use herald::{EventKind, Permission};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Failed deliveries listed per event; the counts cover all of them.
const FAILURES_LISTED: u64 = 20;

fn subject(facts: Option<EventFacts>) -> String {
    match facts.map(|facts| (facts.subject, facts.components)) {
        Some((Subject::Incident { name, .. } | Subject::Maintenance { name, .. }, _)) => name,
        Some((Subject::Component { old, new }, components)) => {
            let names: Vec<_> = components.into_iter().map(|component| component.name).collect();
            format!("{}: {} → {}", names.join(", "), old.label(), new.label())
        }
        None => "(deleted since)".into(),
    }
}

/// The latest events that caused deliveries, newest first.
pub async fn recent(
    db: &DatabaseConnection,
    caller: &Caller,
    public_url: &str,
    limit: u64,
) -> Result<Vec<EventDeliveries>, AppError> {
    caller.may_read(Permission::Read)?;
    let notifiable: Vec<&str> =
        EventKind::ALL.iter().filter(|kind| kind.is_notifiable()).map(|kind| kind.as_str()).collect();
    let recent = events::Entity::find()
        .filter(events::Column::OrganizationId.eq(caller.organization_id))
        .filter(events::Column::Kind.is_in(notifiable))
        .filter(events::Column::FannedOutAt.is_not_null())
        .order_by_desc(events::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(internal("loading recent notifications"))?;
    let ids: Vec<i64> = recent.iter().map(|event| event.id).collect();
    let counts: Vec<(Option<i64>, String, i64)> = notification_outbox::Entity::find()
        .select_only()
        .column(notification_outbox::Column::EventId)
        .column(notification_outbox::Column::State)
        .column_as(notification_outbox::Column::Id.count(), "deliveries")
        .filter(notification_outbox::Column::EventId.is_in(ids))
        .group_by(notification_outbox::Column::EventId)
        .group_by(notification_outbox::Column::State)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("counting deliveries"))?;
    let mut listed = Vec::with_capacity(recent.len());
    for event in recent {
        let count = |states: &[&str]| -> u64 {
            counts
                .iter()
                .filter(|(id, state, _)| *id == Some(event.id) && states.contains(&state.as_str()))
                .map(|(_, _, deliveries)| u64::try_from(*deliveries).unwrap_or(0))
                .sum()
        };
        let (sent, on_the_way, dead) =
            (count(&[state::SENT]), count(&[state::PENDING, state::SENDING, state::FAILED]), count(&[state::DEAD]));
        let failures = if count(&[state::FAILED, state::DEAD]) == 0 {
            Vec::new()
        } else {
            notification_outbox::Entity::find()
                .find_also_related(subscribers::Entity)
                .filter(notification_outbox::Column::EventId.eq(event.id))
                .filter(notification_outbox::Column::State.is_in([state::FAILED, state::DEAD]))
                .order_by_asc(notification_outbox::Column::Id)
                .limit(FAILURES_LISTED)
                .all(db)
                .await
                .map_err(internal("loading failed deliveries"))?
                .into_iter()
                .filter_map(|(delivery, subscriber)| {
                    let subscriber = subscriber?;
                    Some(FailedDelivery {
                        subscriber_id: subscriber.id,
                        channel: subscriber.channel,
                        target: subscriber.target,
                        state: delivery.state,
                        attempts: delivery.attempts,
                        last_error: delivery.last_error,
                    })
                })
                .collect()
        };
        let facts = EventFacts::load(db, &event, public_url).await?;
        listed.push(EventDeliveries {
            event_id: event.id,
            kind: event.kind,
            subject: subject(facts),
            occurred_at: event.occurred_at,
            sent,
            on_the_way,
            dead,
            failures,
        });
    }
    Ok(listed)
}
