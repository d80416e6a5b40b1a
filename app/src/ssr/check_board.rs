//! The dashboard's monitoring page: each check with its figures (uptime over 24 hours and 7
//! days, recent latencies, recent failures), and the reading of the add-check form.

use super::admin::checks::{self, CheckFilter};
use super::dashboard::{all_components, signed_in};
use super::entities::{check_results, check_rollups};
use super::internal;
use crate::api::checks::{CheckBoard, CheckFailure, CheckItem, CheckSettings, LatencyBucket};
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::{
    CheckKind, CheckOutcome, CheckStats, CheckTarget, ComponentStatus, IntervalBounds, check_stats, merge_stats,
    uptime::hour_boundaries,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

const PAGE: u64 = 200;
/// How many of the latest runs the latency strip shows.
pub const LATENCY_RUNS: u64 = 40;
const RECENT_FAILURES: u64 = 5;

/// Results up or slow, as a share of all, per monitor since `since`.
async fn uptimes(
    db: &DatabaseConnection,
    monitor_ids: &[i64],
    since: DateTime<Utc>,
) -> Result<HashMap<i64, f64>, AppError> {
    let counts: Vec<(i64, String, i64)> = check_results::Entity::find()
        .select_only()
        .column(check_results::Column::MonitorId)
        .column(check_results::Column::Outcome)
        .column_as(check_results::Column::Id.count(), "runs")
        .filter(check_results::Column::MonitorId.is_in(monitor_ids.iter().copied()))
        .filter(check_results::Column::CheckedAt.gte(since))
        .group_by(check_results::Column::MonitorId)
        .group_by(check_results::Column::Outcome)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("counting check results"))?;
    let mut totals: HashMap<i64, (i64, i64)> = HashMap::new();
    for (monitor_id, outcome, runs) in counts {
        let entry = totals.entry(monitor_id).or_default();
        entry.1 += runs;
        if outcome != CheckOutcome::Down.as_str() {
            entry.0 += runs;
        }
    }
    Ok(totals
        .into_iter()
        .filter(|(_, (_, all))| *all > 0)
        .map(|(id, (good, all))| (id, good as f64 / all as f64))
        .collect())
}

fn bucket(start: DateTime<Utc>, stats: CheckStats) -> LatencyBucket {
    LatencyBucket {
        start,
        runs: stats.check_count,
        failures: stats.failure_count,
        latency_avg_ms: stats.latency_avg_ms,
        latency_p95_ms: stats.latency_p95_ms,
    }
}

/// A check's last 24 hours by hour and last 7 days by 24 hours: complete hours from its
/// roll-ups, the current hour from its raw results.
async fn charts(
    db: &DatabaseConnection,
    monitor_id: i64,
    now: DateTime<Utc>,
) -> Result<(Vec<LatencyBucket>, Vec<LatencyBucket>), AppError> {
    let current_hour = hour_boundaries(now, 0).first().copied().unwrap_or(now);
    let week_start = current_hour - TimeDelta::hours(7 * 24 - 1);
    let stored: HashMap<DateTime<Utc>, CheckStats> = check_rollups::Entity::find()
        .filter(check_rollups::Column::MonitorId.eq(monitor_id))
        .filter(check_rollups::Column::HourStart.gte(week_start))
        .all(db)
        .await
        .map_err(internal("loading a check's hourly figures"))?
        .into_iter()
        .map(|row| {
            let stats = CheckStats {
                check_count: u32::try_from(row.check_count).unwrap_or(0),
                failure_count: u32::try_from(row.failure_count).unwrap_or(0),
                latency_avg_ms: row.latency_avg_ms,
                latency_p95_ms: row.latency_p95_ms,
            };
            (row.hour_start, stats)
        })
        .collect();
    let live: Vec<(String, Option<i32>)> = check_results::Entity::find()
        .select_only()
        .column(check_results::Column::Outcome)
        .column(check_results::Column::LatencyMs)
        .filter(check_results::Column::MonitorId.eq(monitor_id))
        .filter(check_results::Column::CheckedAt.gte(current_hour))
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading a check's results this hour"))?;
    let this_hour =
        check_stats(live.into_iter().filter_map(|(outcome, latency)| {
            Some((outcome.parse().ok()?, latency.and_then(|ms| u32::try_from(ms).ok())))
        }));
    let hourly: Vec<(DateTime<Utc>, CheckStats)> = (0..7 * 24)
        .map(|index| {
            let start = week_start + TimeDelta::hours(index);
            let stats = if start == current_hour { this_hour } else { stored.get(&start).copied().unwrap_or_default() };
            (start, stats)
        })
        .collect();
    let hours = hourly[hourly.len() - 24..].iter().map(|(start, stats)| bucket(*start, *stats)).collect();
    let days =
        hourly.chunks(24).map(|day| bucket(day[0].0, merge_stats(day.iter().map(|(_, stats)| *stats)))).collect();
    Ok((hours, days))
}

pub async fn board(
    db: &DatabaseConnection,
    slug: &str,
    bounds: IntervalBounds,
    now: DateTime<Utc>,
) -> Result<CheckBoard, AppError> {
    let (caller, organization) = signed_in(db, slug, now).await?;
    let components = all_components(db, &caller).await?;
    let names: HashMap<i64, String> =
        components.iter().map(|component| (component.id, component.name.clone())).collect();
    let mut views = Vec::new();
    let mut offset = Some(0);
    while let Some(next) = offset {
        let filter = CheckFilter { limit: Some(PAGE), offset: Some(next), ..CheckFilter::default() };
        let page = checks::list(db, &caller, filter).await?;
        views.extend(page.data);
        offset = page.pagination.next_offset;
    }
    let ids: Vec<i64> = views.iter().map(|view| view.id).collect();
    let day = uptimes(db, &ids, now - TimeDelta::hours(24)).await?;
    let week = uptimes(db, &ids, now - TimeDelta::days(7)).await?;
    let mut items = Vec::with_capacity(views.len());
    for view in views {
        let latest = check_results::Entity::find()
            .filter(check_results::Column::MonitorId.eq(view.id))
            .order_by_desc(check_results::Column::CheckedAt)
            .limit(LATENCY_RUNS)
            .all(db)
            .await
            .map_err(internal("loading recent check results"))?;
        let failures = check_results::Entity::find()
            .filter(check_results::Column::MonitorId.eq(view.id))
            .filter(check_results::Column::Outcome.eq(CheckOutcome::Down.as_str()))
            .order_by_desc(check_results::Column::CheckedAt)
            .limit(RECENT_FAILURES)
            .all(db)
            .await
            .map_err(internal("loading recent check failures"))?;
        let parsed = CheckTarget::parse(view.kind, view.target.clone()).ok();
        let target = parsed.as_ref().map(CheckTarget::describe).unwrap_or_default();
        let settings = settings_of(&view, parsed.as_ref());
        let (hours, days) = charts(db, view.id, now).await?;
        items.push(CheckItem {
            latencies: latest
                .iter()
                .rev()
                .map(|result| result.latency_ms.filter(|_| result.outcome != CheckOutcome::Down.as_str()))
                .collect(),
            hours,
            days,
            recent_failures: failures
                .into_iter()
                .map(|result| CheckFailure { checked_at: result.checked_at, error: result.error.unwrap_or_default() })
                .collect(),
            uptime_24h: day.get(&view.id).copied(),
            uptime_7d: week.get(&view.id).copied(),
            component: view.component_id.and_then(|id| names.get(&id).cloned()),
            id: view.id,
            key: view.key,
            name: view.name,
            kind: view.kind,
            target,
            interval_seconds: view.interval_seconds,
            paused: view.paused,
            status: view.status,
            last_outcome: view.last_outcome,
            last_checked_at: view.last_checked_at,
            last_latency_ms: view.last_latency_ms,
            last_error: view.last_error,
            failing_since: view.failing_since,
            settings,
        });
    }
    items.sort_by_key(|item| item.name.to_lowercase());
    Ok(CheckBoard { organization, components, checks: items, min_interval_seconds: bounds.min_seconds })
}

/// The edit form's starting values.
fn settings_of(view: &checks::CheckView, target: Option<&CheckTarget>) -> CheckSettings {
    let mut settings = CheckSettings {
        version: view.version,
        component_id: view.component_id,
        url: String::new(),
        body_contains: String::new(),
        host: String::new(),
        port: String::new(),
        record_type: String::new(),
        expected: String::new(),
        grace_seconds: String::new(),
        timeout_ms: view.timeout_ms,
        degraded_latency_ms: view.degraded_latency_ms,
        failure_status: view.failure_status,
        auto_incident: view.auto_incident,
    };
    match target {
        Some(CheckTarget::Http(http)) => {
            settings.url.clone_from(&http.url);
            settings.body_contains = http.body_contains.clone().unwrap_or_default();
        }
        Some(CheckTarget::Tcp(tcp)) => {
            settings.host.clone_from(&tcp.host);
            settings.port = tcp.port.to_string();
        }
        Some(CheckTarget::Dns(dns)) => {
            settings.host.clone_from(&dns.host);
            settings.record_type = dns.record_type.as_str().to_owned();
            settings.expected = dns.expected.clone().unwrap_or_default();
        }
        Some(CheckTarget::Heartbeat(heartbeat)) => settings.grace_seconds = heartbeat.grace_seconds.to_string(),
        None => {}
    }
    settings
}

/// The add-check form's target fields; which are read depends on the kind.
pub struct TargetFields {
    pub url: Option<String>,
    pub body_contains: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
    pub record_type: Option<String>,
    pub expected: Option<String>,
    pub grace_seconds: Option<String>,
}

pub fn kind(text: &str) -> Result<CheckKind, AppError> {
    text.trim().parse().map_err(|_| AppError::invalid("kind", "Choose HTTP, TCP, DNS or heartbeat."))
}

pub fn whole(field: &str, text: &str) -> Result<u32, AppError> {
    text.trim().parse().map_err(|_| AppError::invalid(field, "Enter a whole number."))
}

pub fn optional_whole(field: &str, text: Option<&str>) -> Result<Option<u32>, AppError> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => whole(field, text).map(Some),
    }
}

pub fn failure_status(text: &str) -> Result<ComponentStatus, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::invalid("failure_status", "Choose what the component shows while the check fails."))
}

/// The settings JSON for `kind` from the form; field errors name the form's fields.
pub fn target_settings(kind: &str, fields: TargetFields) -> Result<serde_json::Value, AppError> {
    let filled = |text: Option<String>| text.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty());
    let settings = match kind.trim() {
        "http" => {
            serde_json::json!({ "url": filled(fields.url).unwrap_or_default(), "body_contains": filled(fields.body_contains) })
        }
        "tcp" => {
            let port = fields.port.as_deref().map(str::trim).unwrap_or_default();
            let port: u16 = port.parse().map_err(|_| AppError::invalid("port", "Enter a port from 1 to 65535."))?;
            serde_json::json!({ "host": filled(fields.host).unwrap_or_default(), "port": port })
        }
        "dns" => serde_json::json!({
            "host": filled(fields.host).unwrap_or_default(),
            "record_type": filled(fields.record_type).unwrap_or_else(|| "A".to_owned()),
            "expected": filled(fields.expected),
        }),
        "heartbeat" => match optional_whole("grace_seconds", fields.grace_seconds.as_deref())? {
            Some(grace) => serde_json::json!({ "grace_seconds": grace }),
            None => serde_json::json!({}),
        },
        _ => return Err(AppError::invalid("kind", "Choose HTTP, TCP, DNS or heartbeat.")),
    };
    Ok(settings)
}

/// A check's settings after its edit form: the form's fields replace theirs, and what the form
/// does not show (an HTTP check's method, headers, expected status…) stays as it was.
pub fn edited_target(
    kind: CheckKind,
    current: &serde_json::Value,
    fields: TargetFields,
) -> Result<serde_json::Value, AppError> {
    let mut merged = current.as_object().cloned().unwrap_or_default();
    if let serde_json::Value::Object(edited) = target_settings(kind.as_str(), fields)? {
        for (key, value) in edited {
            if value.is_null() {
                merged.remove(&key);
            } else {
                merged.insert(key, value);
            }
        }
    }
    Ok(serde_json::Value::Object(merged))
}

/// Field names in the API's errors (`target.url`) are plain names in the form (`url`).
pub fn form_field(error: AppError) -> AppError {
    match error {
        AppError::Invalid { field: Some(field), message } => {
            let plain = field.strip_prefix("target.").unwrap_or(&field).to_owned();
            AppError::Invalid { field: Some(plain), message }
        }
        other => other,
    }
}
