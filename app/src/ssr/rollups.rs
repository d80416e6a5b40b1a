//! Daily uptime roll-ups: how long each component spent in each status on each day of the
//! organization's calendar. Complete days are written once (and again if their history is
//! rewritten); pages read them instead of the raw history, so 90 days stay cheap however much
//! a component flapped. Today is always computed live from the history.

use super::entities::{component_status_intervals, components, organizations, uptime_rollups};
use super::moments::zone;
use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use herald::{ComponentStatus, StatusDurations, StatusInterval, durations_by_bucket, uptime::day_boundaries};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};
use std::collections::{HashMap, HashSet};

pub const DAY: &str = "day";

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
    let mut written = 0;
    for &component_id in component_ids {
        let history = intervals.get(&component_id).map(Vec::as_slice).unwrap_or_default();
        let rows: Vec<uptime_rollups::ActiveModel> = durations_by_bucket(history, &[], &boundaries, now)
            .into_iter()
            .zip(&boundaries)
            .map(|(durations, bucket_start)| uptime_rollups::ActiveModel {
                organization_id: Set(organization_id),
                component_id: Set(component_id),
                period: Set(DAY.to_owned()),
                bucket_start: Set(*bucket_start),
                operational_ms: Set(durations.operational_ms),
                degraded_ms: Set(durations.degraded_ms),
                partial_ms: Set(durations.partial_ms),
                major_ms: Set(durations.major_ms),
                maintenance_ms: Set(durations.maintenance_ms),
                no_data_ms: Set(durations.no_data_ms),
                check_count: Set(0),
                failure_count: Set(0),
                latency_avg_ms: Set(None),
                latency_p95_ms: Set(None),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect();
        written += rows.len();
        if !rows.is_empty() {
            uptime_rollups::Entity::insert_many(rows).exec(db).await?;
        }
    }
    Ok(written)
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
    }
    Ok(written)
}
