//! Subscriber lists in and out as CSV: an import adds a whole list in one transaction (all of
//! it, or nothing and every problem by line), an export lists everyone without their secrets.

use super::record_audit;
use crate::api::subscribers::{ImportReport, WebhookSecret};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::{components, organizations, subscriber_components, subscribers};
use crate::ssr::internal;
use crate::ssr::keyring::Keyring;
use crate::ssr::notifications::subscriptions::{self, NewSubscription, Subscribed, SubscriptionRules};
use crate::ssr::repositories::{begin_write, stored};
use chrono::{DateTime, Utc};
use herald::{ExportRow, ImportProblem, Locale, Permission, read_subscriber_list, write_subscriber_list};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};

/// The largest file an import reads.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

fn refused(problems: Vec<ImportProblem>) -> ImportReport {
    ImportReport { problems: problems.iter().map(ToString::to_string).collect(), ..ImportReport::default() }
}

/// Imports a CSV list. `confirmed_by_default`: the editor vouches that the people on the list
/// agreed to hear from the organization (no confirmation email), for rows that do not say.
pub async fn import(
    db: &DatabaseConnection,
    keyring: &Keyring,
    rules: SubscriptionRules,
    caller: &Caller,
    text: &str,
    confirmed_by_default: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    caller.may_change(Permission::Edit)?;
    if text.len() > MAX_IMPORT_BYTES {
        return Err(AppError::invalid(
            "csv",
            format!("The file is larger than {} MB; split it into several files.", MAX_IMPORT_BYTES / 1024 / 1024),
        ));
    }
    let rows = match read_subscriber_list(text) {
        Ok(rows) => rows,
        Err(problems) => return Ok(refused(problems)),
    };
    let organization = organizations::Entity::find_by_id(caller.organization_id)
        .one(db)
        .await
        .map_err(internal("loading the organization"))?
        .ok_or(AppError::Internal)?;
    let default_locale = organization.default_locale.parse().unwrap_or(Locale::DEFAULT);
    let component_ids: HashMap<String, i64> = components::Entity::find()
        .select_only()
        .column(components::Column::Key)
        .column(components::Column::Id)
        .filter(components::Column::OrganizationId.eq(caller.organization_id))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await
        .map_err(internal("loading component keys"))?
        .into_iter()
        .collect();

    let txn = begin_write(db).await.map_err(internal("starting an import"))?;
    let mut subscribed: HashSet<(String, String)> = subscribers::Entity::find()
        .select_only()
        .column(subscribers::Column::Channel)
        .column(subscribers::Column::Target)
        .filter(subscribers::Column::OrganizationId.eq(caller.organization_id))
        .into_tuple::<(String, String)>()
        .all(&txn)
        .await
        .map_err(internal("loading who is subscribed"))?
        .into_iter()
        .collect();
    let mut report = ImportReport::default();
    let mut problems = Vec::new();
    for row in rows {
        let mut ids = Vec::with_capacity(row.component_keys.len());
        let mut unknown = None;
        for key in &row.component_keys {
            match component_ids.get(key) {
                Some(id) => ids.push(*id),
                None => unknown = Some(key.clone()),
            }
        }
        if let Some(key) = unknown {
            problems.push(ImportProblem::new(row.line, format!("there is no component with the key \"{key}\".")));
            continue;
        }
        let request = NewSubscription {
            channel: row.channel,
            address: row.address,
            bot_token: row.bot_token,
            topic: row.topic.unwrap_or(herald::Topic::All),
            component_ids: ids,
            locale: row.locale.unwrap_or(default_locale),
            source: "import",
            confirmed: row.confirmed.unwrap_or(confirmed_by_default),
        };
        let target = match subscriptions::normalized_target(&request, rules) {
            Ok(target) => target,
            Err(error) => {
                problems.push(ImportProblem::new(row.line, sentence(&error)));
                continue;
            }
        };
        // Whoever is on the list already keeps their own choices (and gets no second email).
        if !subscribed.insert((row.channel.as_str().to_owned(), target.clone())) {
            report.already_subscribed += 1;
            continue;
        }
        if !problems.is_empty() {
            // Nothing will be written: only the rest of the file's problems matter now.
            continue;
        }
        let confirmed = request.confirmed;
        match subscriptions::subscribe_within(&txn, keyring, caller.organization_id, request, rules, now).await {
            Ok(Subscribed::Webhook { secret, .. }) => {
                report.webhook_secrets.push(WebhookSecret { url: target, secret });
            }
            Ok(Subscribed::CheckInbox) if !confirmed => report.awaiting_confirmation += 1,
            Ok(_) => {}
            Err(error @ (AppError::Invalid { .. } | AppError::Conflict(_))) => {
                problems.push(ImportProblem::new(row.line, sentence(&error)));
                continue;
            }
            Err(error) => return Err(error),
        }
        report.added += 1;
    }
    if !problems.is_empty() {
        // Dropping the transaction rolls it back: nothing of the file is kept.
        return Ok(refused(problems.into_iter().take(100).collect()));
    }
    record_audit(
        &txn,
        caller,
        "subscribers.imported",
        ("organization", caller.organization_id),
        None,
        Some(serde_json::json!({
            "added": report.added,
            "already_subscribed": report.already_subscribed,
            "awaiting_confirmation": report.awaiting_confirmation,
        })),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing an import"))?;
    Ok(report)
}

/// An error's message as the tail of "Line N: …".
fn sentence(error: &AppError) -> String {
    let message = match error {
        AppError::Invalid { message, .. } | AppError::Conflict(message) => message.clone(),
        other => other.to_string(),
    };
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => message,
    }
}

/// Every subscriber of the organization as CSV, oldest first.
pub async fn export(db: &DatabaseConnection, caller: &Caller) -> Result<String, AppError> {
    caller.may_read(Permission::Read)?;
    let keys: HashMap<i64, String> = components::Entity::find()
        .select_only()
        .column(components::Column::Id)
        .column(components::Column::Key)
        .filter(components::Column::OrganizationId.eq(caller.organization_id))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
        .map_err(internal("loading component keys"))?
        .into_iter()
        .collect();
    let mut followed: HashMap<i64, Vec<String>> = HashMap::new();
    let links: Vec<(i64, i64)> = subscriber_components::Entity::find()
        .select_only()
        .column(subscriber_components::Column::SubscriberId)
        .column(subscriber_components::Column::ComponentId)
        .filter(subscriber_components::Column::ComponentId.is_in(keys.keys().copied().collect::<Vec<_>>()))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading followed components"))?;
    for (subscriber, component) in links {
        if let Some(key) = keys.get(&component) {
            followed.entry(subscriber).or_default().push(key.clone());
        }
    }
    let rows = subscribers::Entity::find()
        .filter(subscribers::Column::OrganizationId.eq(caller.organization_id))
        .order_by_asc(subscribers::Column::Id)
        .all(db)
        .await
        .map_err(internal("listing subscribers"))?;
    let mut exported = Vec::with_capacity(rows.len());
    for row in rows {
        let mut component_keys = followed.remove(&row.id).unwrap_or_default();
        component_keys.sort();
        exported.push(ExportRow {
            channel: stored(&row.channel)?,
            topic: stored(&row.topic)?,
            locale: row.locale.parse().unwrap_or(Locale::DEFAULT),
            state: match (row.disabled_at, row.confirmed_at) {
                (Some(_), _) => "disabled",
                (None, Some(_)) => "confirmed",
                (None, None) => "unconfirmed",
            },
            address: row.target,
            component_keys,
            confirmed_at: row.confirmed_at,
            source: row.source,
            created_at: row.created_at,
            last_delivery_at: row.last_delivery_at,
        });
    }
    Ok(write_subscriber_list(&exported))
}
