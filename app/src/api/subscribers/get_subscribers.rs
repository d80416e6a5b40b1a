use super::SubscribersPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// One page of the organization's subscribers (narrowed by part of the address, channel and
/// state), their counts, the latest notifications' deliveries and, with `subscriber`, that
/// subscriber's delivery log.
#[server(input = GetUrl)]
pub async fn get_subscribers(
    slug: String,
    q: Option<String>,
    channel: Option<String>,
    state: Option<String>,
    offset: Option<u64>,
    subscriber: Option<i64>,
) -> Result<SubscribersPage, AppError> {
    use super::{DeliveryLine, SUBSCRIBERS_PER_PAGE, SelectedSubscriber, SubscriberCounts, SubscriberLine};
    use crate::ssr::admin::notification_log;
    use crate::ssr::admin::subscribers::{self, SubscriberFilter, SubscriberState, SubscriberView};
    use crate::ssr::dashboard::{all_components, chosen, filled};
    use crate::ssr::{AppState, dashboard, respond};
    respond(
        async {
            let app = AppState::current()?;
            let db = &app.db;
            let (caller, organization) = dashboard::signed_in(db, &slug, chrono::Utc::now()).await?;
            let components = all_components(db, &caller).await?;
            let line = |view: SubscriberView| SubscriberLine {
                components: components
                    .iter()
                    .filter(|component| view.component_ids.contains(&component.id))
                    .map(|component| component.name.clone())
                    .collect(),
                id: view.id,
                channel: view.channel,
                target: view.target,
                topic: view.topic,
                locale: view.locale,
                confirmed_at: view.confirmed_at,
                disabled_at: view.disabled_at,
                disabled_reason: view.disabled_reason,
                failing_since: view.failing_since,
                last_delivery_at: view.last_delivery_at,
                source: view.source,
                created_at: view.created_at,
            };
            let count = |state| {
                let filter = SubscriberFilter { state: Some(state), limit: Some(1), ..SubscriberFilter::default() };
                subscribers::list(db, &caller, filter)
            };
            let counts = SubscriberCounts {
                confirmed: count(SubscriberState::Confirmed).await?.pagination.total,
                unconfirmed: count(SubscriberState::Unconfirmed).await?.pagination.total,
                disabled: count(SubscriberState::Disabled).await?.pagination.total,
            };
            let state = match state.and_then(filled).as_deref() {
                None => None,
                Some("confirmed") => Some(SubscriberState::Confirmed),
                Some("unconfirmed") => Some(SubscriberState::Unconfirmed),
                Some("disabled") => Some(SubscriberState::Disabled),
                Some(other) => {
                    return Err(AppError::invalid("state", format!("\"{other}\" is not a subscriber state.")));
                }
            };
            let filter = SubscriberFilter {
                channel: channel.and_then(filled).map(|channel| chosen("channel", &channel)).transpose()?,
                state,
                q: q.and_then(filled),
                limit: Some(SUBSCRIBERS_PER_PAGE),
                offset,
            };
            let page = subscribers::list(db, &caller, filter).await?;
            let selected = match subscriber {
                Some(id) => {
                    let subscriber = line(subscribers::get(db, &caller, id).await?);
                    let log = subscribers::deliveries(db, &caller, id, Some(50), None).await?;
                    Some(SelectedSubscriber {
                        subscriber,
                        total_deliveries: log.pagination.total,
                        deliveries: log
                            .data
                            .into_iter()
                            .map(|delivery| DeliveryLine {
                                id: delivery.id,
                                what: match delivery.purpose.as_str() {
                                    "test" => "Test message".to_owned(),
                                    "confirmation" => "Confirmation link".to_owned(),
                                    _ => delivery.event_kind.unwrap_or_else(|| "Notification".to_owned()),
                                },
                                state: delivery.state,
                                attempts: delivery.attempts,
                                last_error: delivery.last_error,
                                created_at: delivery.created_at,
                                sent_at: delivery.sent_at,
                                next_attempt_at: delivery.next_attempt_at,
                            })
                            .collect(),
                    })
                }
                None => None,
            };
            let notifications = notification_log::recent(db, &caller, &app.public_url, 10).await?;
            Ok(SubscribersPage {
                organization,
                counts,
                found: page.pagination.total,
                offset: page.pagination.offset,
                next_offset: page.pagination.next_offset,
                subscribers: page.data.into_iter().map(line).collect(),
                components,
                notifications,
                selected,
            })
        }
        .await,
    )
}
