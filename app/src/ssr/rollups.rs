//! Uptime roll-ups: how long each component spent in each status in each hour, and on each
//! day of the organization's calendar, with what its checks saw meanwhile (runs, failures,
//! average and 95th-percentile latency). Complete buckets are written once (and again if their
//! history is rewritten); pages read them instead of the raw history, so 90 days stay cheap
//! however much a component flapped, and they outlive the raw check results. Today is always
//! computed live from the history.

use super::entities::{
    check_results, check_rollups, component_status_intervals, components, organizations, uptime_rollups,
};
use super::moments::zone;
use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use herald::{
    CheckOutcome, CheckStats, ComponentStatus, StatusDurations, StatusInterval, check_stats, durations_by_bucket,
    uptime::{day_boundaries, hour_boundaries},
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::{HashMap, HashSet};

pub const DAY: &str = "day";
pub const HOUR: &str = "hour";
/// How far back missing hour roll-ups are written: well inside the raw results' retention,
/// so a server that was down for days still rolls its last hours up from the results.
pub const HOURS_CAUGHT_UP: u32 = 72;

/// The organization's calendar day `now` falls on.
pub fn today(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

async fn intervals_between(
    db: &impl ConnectionTrait,
    component_ids: &[i64],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<HashMap<i64, Vec<StatusInterval>>, DbErr> {
    let rows = component_status_intervals::Entity::find()
        .filter(component_status_intervals::Column::ComponentId.is_in(component_ids.iter().copied()))
        .filter(component_status_intervals::Column::StartedAt.lt(to))
        .filter(
            Condition::any()
                .add(component_status_intervals::Column::EndedAt.is_null())
                .add(component_status_intervals::Column::EndedAt.gt(from)),
        )
        .all(db)
        .await?;
    let mut by_component: HashMap<i64, Vec<StatusInterval>> = HashMap::new();
    for row in rows {
        let Ok(status) = row.status.parse::<ComponentStatus>() else { continue };
        by_component.entry(row.component_id).or_default().push(StatusInterval {
            status,
            start: row.started_at,
            end: row.ended_at,
        });
    }
    Ok(by_component)
}

/// A stored check result as the roll-ups read it: component, when, outcome, latency.
type ResultRow = (Option<i64>, DateTime<Utc>, String, Option<i32>);
/// What one bucket's results are summed from.
type BucketResults = Vec<(CheckOutcome, Option<u32>)>;

/// The check results of each component's monitors in each bucket `[boundaries[i],
/// boundaries[i + 1])`, summed up.
async fn stats_by_bucket(
    db: &impl ConnectionTrait,
    component_ids: &[i64],
    boundaries: &[DateTime<Utc>],
) -> Result<HashMap<i64, Vec<CheckStats>>, DbErr> {
    let (Some(&from), Some(&to)) = (boundaries.first(), boundaries.last()) else { return Ok(HashMap::new()) };
    let rows: Vec<ResultRow> = check_results::Entity::find()
        .select_only()
        .column(check_results::Column::ComponentId)
        .column(check_results::Column::CheckedAt)
        .column(check_results::Column::Outcome)
        .column(check_results::Column::LatencyMs)
        .filter(check_results::Column::ComponentId.is_in(component_ids.iter().copied()))
        .filter(check_results::Column::CheckedAt.gte(from))
        .filter(check_results::Column::CheckedAt.lt(to))
        .into_tuple()
        .all(db)
        .await?;
    let buckets = boundaries.len() - 1;
    let mut grouped: HashMap<i64, Vec<BucketResults>> = HashMap::new();
    for (component_id, checked_at, outcome, latency) in rows {
        let (Some(component_id), Ok(outcome)) = (component_id, outcome.parse::<CheckOutcome>()) else { continue };
        // The bucket whose start is the last boundary at or before the result.
        let bucket = boundaries.partition_point(|boundary| *boundary <= checked_at).saturating_sub(1);
        if bucket >= buckets {
            continue;
        }
        let slots = grouped.entry(component_id).or_insert_with(|| vec![Vec::new(); buckets]);
        slots[bucket].push((outcome, latency.and_then(|ms| u32::try_from(ms).ok())));
    }
    Ok(grouped
        .into_iter()
        .map(|(component_id, slots)| (component_id, slots.into_iter().map(check_stats).collect()))
        .collect())
}

/// The roll-up rows of one period for each component and bucket.
#[allow(clippy::too_many_arguments)]
async fn write_buckets(
    db: &impl ConnectionTrait,
    organization_id: i64,
    period: &str,
    component_ids: &[i64],
    boundaries: &[DateTime<Utc>],
    intervals: &HashMap<i64, Vec<StatusInterval>>,
    stats: &HashMap<i64, Vec<CheckStats>>,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut written = 0;
    let count = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
    for &component_id in component_ids {
        let history = intervals.get(&component_id).map(Vec::as_slice).unwrap_or_default();
        let checks = stats.get(&component_id);
        let rows: Vec<uptime_rollups::ActiveModel> = durations_by_bucket(history, &[], boundaries, now)
            .into_iter()
            .zip(boundaries)
            .enumerate()
            .map(|(index, (durations, bucket_start))| {
                let checks = checks.and_then(|checks| checks.get(index)).copied().unwrap_or_default();
                uptime_rollups::ActiveModel {
                    organization_id: Set(organization_id),
                    component_id: Set(component_id),
                    period: Set(period.to_owned()),
                    bucket_start: Set(*bucket_start),
                    operational_ms: Set(durations.operational_ms),
                    degraded_ms: Set(durations.degraded_ms),
                    partial_ms: Set(durations.partial_ms),
                    major_ms: Set(durations.major_ms),
                    maintenance_ms: Set(durations.maintenance_ms),
                    no_data_ms: Set(durations.no_data_ms),
                    check_count: Set(count(checks.check_count)),
                    failure_count: Set(count(checks.failure_count)),
                    latency_avg_ms: Set(checks.latency_avg_ms),
                    latency_p95_ms: Set(checks.latency_p95_ms),
                    updated_at: Set(now),
                    ..Default::default()
                }
            })
            .collect();
        written += rows.len();
        if !rows.is_empty() {
            uptime_rollups::Entity::insert_many(rows).exec(db).await?;
        }
    }
    Ok(written)
}

fn durations_from_row(row: &uptime_rollups::Model) -> StatusDurations {
    StatusDurations {
        operational_ms: row.operational_ms,
        degraded_ms: row.degraded_ms,
        partial_ms: row.partial_ms,
        major_ms: row.major_ms,
        maintenance_ms: row.maintenance_ms,
        no_data_ms: row.no_data_ms,
    }
}

/// Rewrites the day roll-ups of `component_ids` for the complete days `first_day..=last_day`.
pub async fn refresh_days(
    db: &impl ConnectionTrait,
    organization_id: i64,
    tz: Tz,
    component_ids: &[i64],
    first_day: NaiveDate,
    last_day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let Some(days) = (last_day - first_day).num_days().checked_add(1).filter(|days| *days > 0) else {
        return Ok(0);
    };
    let boundaries = day_boundaries(first_day, days as u32, tz);
    let (Some(&from), Some(&to)) = (boundaries.first(), boundaries.last()) else { return Ok(0) };
    if component_ids.is_empty() || to > now {
        return Ok(0);
    }
    let intervals = intervals_between(db, component_ids, from, to).await?;
    uptime_rollups::Entity::delete_many()
        .filter(uptime_rollups::Column::ComponentId.is_in(component_ids.iter().copied()))
        .filter(uptime_rollups::Column::Period.eq(DAY))
        .filter(uptime_rollups::Column::BucketStart.gte(from))
        .filter(uptime_rollups::Column::BucketStart.lt(to))
        .exec(db)
        .await?;
    let stats = stats_by_bucket(db, component_ids, &boundaries).await?;
    write_buckets(db, organization_id, DAY, component_ids, &boundaries, &intervals, &stats, now).await
}

/// Rewrites the hour roll-ups of `component_ids` for the `hours` complete hours from the hour
/// `first` falls in.
pub async fn refresh_hours(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_ids: &[i64],
    first: DateTime<Utc>,
    hours: u32,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let boundaries = hour_boundaries(first, hours);
    let (Some(&from), Some(&to)) = (boundaries.first(), boundaries.last()) else { return Ok(0) };
    if component_ids.is_empty() || hours == 0 || to > now {
        return Ok(0);
    }
    let intervals = intervals_between(db, component_ids, from, to).await?;
    uptime_rollups::Entity::delete_many()
        .filter(uptime_rollups::Column::ComponentId.is_in(component_ids.iter().copied()))
        .filter(uptime_rollups::Column::Period.eq(HOUR))
        .filter(uptime_rollups::Column::BucketStart.gte(from))
        .filter(uptime_rollups::Column::BucketStart.lt(to))
        .exec(db)
        .await?;
    let stats = stats_by_bucket(db, component_ids, &boundaries).await?;
    write_buckets(db, organization_id, HOUR, component_ids, &boundaries, &intervals, &stats, now).await
}

/// Each component's time per status for the `days` days ending today (today last, so far).
/// Days already rolled up are read; the rest (today, and any day not rolled up yet) come from
/// the history.
pub async fn daily_durations(
    db: &impl ConnectionTrait,
    tz: Tz,
    component_ids: &[i64],
    days: u32,
    now: DateTime<Utc>,
) -> Result<(NaiveDate, HashMap<i64, Vec<StatusDurations>>), DbErr> {
    let last = today(tz, now);
    let first = last.checked_sub_days(Days::new(u64::from(days.saturating_sub(1)))).unwrap_or(last);
    let boundaries = day_boundaries(first, days, tz);
    let mut result: HashMap<i64, Vec<Option<StatusDurations>>> =
        component_ids.iter().map(|&id| (id, vec![None; days as usize])).collect();
    if component_ids.is_empty() || boundaries.len() < 2 {
        return Ok((first, HashMap::new()));
    }
    let index: HashMap<DateTime<Utc>, usize> = boundaries.iter().enumerate().map(|(i, at)| (*at, i)).collect();
    let today_start = boundaries[boundaries.len() - 2];
    let stored = uptime_rollups::Entity::find()
        .filter(uptime_rollups::Column::ComponentId.is_in(component_ids.iter().copied()))
        .filter(uptime_rollups::Column::Period.eq(DAY))
        .filter(uptime_rollups::Column::BucketStart.gte(boundaries[0]))
        .filter(uptime_rollups::Column::BucketStart.lt(today_start))
        .all(db)
        .await?;
    for row in &stored {
        if let (Some(slots), Some(&day)) = (result.get_mut(&row.component_id), index.get(&row.bucket_start)) {
            slots[day] = Some(durations_from_row(row));
        }
    }
    let first_missing = result.values().filter_map(|slots| slots.iter().position(Option::is_none)).min();
    if let Some(first_missing) = first_missing {
        let live_boundaries = &boundaries[first_missing..];
        let intervals = intervals_between(db, component_ids, live_boundaries[0], now).await?;
        for (&component_id, slots) in &mut result {
            let history = intervals.get(&component_id).map(Vec::as_slice).unwrap_or_default();
            for (offset, durations) in durations_by_bucket(history, &[], live_boundaries, now).into_iter().enumerate() {
                let slot = &mut slots[first_missing + offset];
                if slot.is_none() {
                    *slot = Some(durations);
                }
            }
        }
    }
    let complete = result
        .into_iter()
        .map(|(id, slots)| (id, slots.into_iter().map(Option::unwrap_or_default).collect()))
        .collect();
    Ok((first, complete))
}

/// Writes every missing day roll-up of the last `days` complete days, for every organization.
/// Returns the number of rows written.
pub async fn catch_up(db: &DatabaseConnection, days: u32, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let mut written = 0;
    for organization in organizations::Entity::find().all(db).await? {
        let tz = zone(&organization.time_zone);
        let yesterday = today(tz, now).pred_opt().unwrap_or_else(|| today(tz, now));
        let first = yesterday.checked_sub_days(Days::new(u64::from(days.saturating_sub(1)))).unwrap_or(yesterday);
        let boundaries = day_boundaries(first, days, tz);
        let component_ids: Vec<i64> = components::Entity::find()
            .filter(components::Column::OrganizationId.eq(organization.id))
            .all(db)
            .await?
            .into_iter()
            .map(|component| component.id)
            .collect();
        let (Some(&from), Some(&to)) = (boundaries.first(), boundaries.last()) else { continue };
        let present: HashSet<(i64, DateTime<Utc>)> = uptime_rollups::Entity::find()
            .filter(uptime_rollups::Column::OrganizationId.eq(organization.id))
            .filter(uptime_rollups::Column::Period.eq(DAY))
            .filter(uptime_rollups::Column::BucketStart.gte(from))
            .filter(uptime_rollups::Column::BucketStart.lt(to))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.component_id, row.bucket_start))
            .collect();
        let missing_days: Vec<usize> = (0..days as usize)
            .filter(|&day| component_ids.iter().any(|&id| !present.contains(&(id, boundaries[day]))))
            .collect();
        if let (Some(&first_missing), Some(&last_missing)) = (missing_days.first(), missing_days.last()) {
            let from_day = first.checked_add_days(Days::new(first_missing as u64)).unwrap_or(first);
            let to_day = first.checked_add_days(Days::new(last_missing as u64)).unwrap_or(yesterday);
            let txn = super::repositories::begin_write(db).await?;
            written += refresh_days(&txn, organization.id, tz, &component_ids, from_day, to_day, now).await?;
            txn.commit().await?;
        }
        written += catch_up_hours(db, organization.id, &component_ids, now).await?;
        written += catch_up_check_hours(db, organization.id, now).await?;
    }
    Ok(written)
}

/// Writes the missing hour roll-ups of the last [`HOURS_CAUGHT_UP`] complete hours.
async fn catch_up_hours(
    db: &DatabaseConnection,
    organization_id: i64,
    component_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let current_hour = hour_boundaries(now, 0).first().copied().unwrap_or(now);
    let first = current_hour - chrono::TimeDelta::hours(i64::from(HOURS_CAUGHT_UP));
    let boundaries = hour_boundaries(first, HOURS_CAUGHT_UP);
    if component_ids.is_empty() || boundaries.len() < 2 {
        return Ok(0);
    }
    let present: HashSet<(i64, DateTime<Utc>)> = uptime_rollups::Entity::find()
        .filter(uptime_rollups::Column::OrganizationId.eq(organization_id))
        .filter(uptime_rollups::Column::Period.eq(HOUR))
        .filter(uptime_rollups::Column::BucketStart.gte(first))
        .filter(uptime_rollups::Column::BucketStart.lt(current_hour))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.component_id, row.bucket_start))
        .collect();
    let missing: Vec<usize> = (0..boundaries.len() - 1)
        .filter(|&hour| component_ids.iter().any(|&id| !present.contains(&(id, boundaries[hour]))))
        .collect();
    let (Some(&first_missing), Some(&last_missing)) = (missing.first(), missing.last()) else { return Ok(0) };
    let hours = u32::try_from(last_missing - first_missing + 1).unwrap_or(0);
    let txn = super::repositories::begin_write(db).await?;
    let written = refresh_hours(&txn, organization_id, component_ids, boundaries[first_missing], hours, now).await?;
    txn.commit().await?;
    Ok(written)
}

/// Writes each check's figures for the complete hours of the last [`HOURS_CAUGHT_UP`] that
/// have none yet, one hour (one transaction, bounded memory) at a time. An hour counts as
/// done once any check of the organization has a row for it: results for an hour stop
/// arriving when it ends.
pub async fn catch_up_check_hours(
    db: &DatabaseConnection,
    organization_id: i64,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let current_hour = hour_boundaries(now, 0).first().copied().unwrap_or(now);
    let first = current_hour - chrono::TimeDelta::hours(i64::from(HOURS_CAUGHT_UP));
    let done: HashSet<DateTime<Utc>> = check_rollups::Entity::find()
        .select_only()
        .column(check_rollups::Column::HourStart)
        .distinct()
        .filter(check_rollups::Column::OrganizationId.eq(organization_id))
        .filter(check_rollups::Column::HourStart.gte(first))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut written = 0;
    for hour in hour_boundaries(first, HOURS_CAUGHT_UP).into_iter().filter(|hour| *hour < current_hour) {
        if done.contains(&hour) {
            continue;
        }
        let results: Vec<(i64, String, Option<i32>)> = check_results::Entity::find()
            .select_only()
            .column(check_results::Column::MonitorId)
            .column(check_results::Column::Outcome)
            .column(check_results::Column::LatencyMs)
            .filter(check_results::Column::OrganizationId.eq(organization_id))
            .filter(check_results::Column::CheckedAt.gte(hour))
            .filter(check_results::Column::CheckedAt.lt(hour + chrono::TimeDelta::hours(1)))
            .into_tuple()
            .all(db)
            .await?;
        if results.is_empty() {
            continue;
        }
        let mut by_monitor: HashMap<i64, BucketResults> = HashMap::new();
        for (monitor_id, outcome, latency) in results {
            let Ok(outcome) = outcome.parse::<CheckOutcome>() else { continue };
            by_monitor.entry(monitor_id).or_default().push((outcome, latency.and_then(|ms| u32::try_from(ms).ok())));
        }
        let count = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
        let rows: Vec<check_rollups::ActiveModel> = by_monitor
            .into_iter()
            .map(|(monitor_id, results)| {
                let stats = check_stats(results);
                check_rollups::ActiveModel {
                    organization_id: Set(organization_id),
                    monitor_id: Set(monitor_id),
                    hour_start: Set(hour),
                    check_count: Set(count(stats.check_count)),
                    failure_count: Set(count(stats.failure_count)),
                    latency_avg_ms: Set(stats.latency_avg_ms),
                    latency_p95_ms: Set(stats.latency_p95_ms),
                    ..Default::default()
                }
            })
            .collect();
        let txn = super::repositories::begin_write(db).await?;
        for chunk in rows.chunks(500) {
            written += chunk.len();
            // Another replica may have rolled the same hour up a moment ago.
            check_rollups::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    sea_orm::sea_query::OnConflict::columns([
                        check_rollups::Column::MonitorId,
                        check_rollups::Column::HourStart,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok(written)
}
