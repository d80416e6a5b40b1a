//! Herald watching itself. Every replica's check runner marks, now and then, that monitoring
//! ran. When it starts again after nobody ran it for a while (every replica stopped, the
//! machine was off), the time in between was not observed: it is cut out of the history of
//! every monitored component, so uptime and heatmaps show it as no data rather than as the
//! status it had before; heartbeats get their full interval again (their pings had nowhere to
//! go); and the roll-ups of the hours and days it touched are written again.

use super::entities::{component_status_intervals, monitoring_watch, monitors, organizations};
use super::moments::zone;
use super::monitoring::{heartbeat_deadline, target_of};
use super::repositories::begin_write;
use super::rollups;
use chrono::{DateTime, Days, DurationRound, TimeDelta, Utc};
use herald::{CheckKind, ComponentStatus, StatusInterval, TimeRange};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// How often a running replica says so.
pub const WATCH_EVERY: Duration = Duration::from_secs(15);
/// Longer than this without any replica watching counts as unobserved. Well above
/// `WATCH_EVERY`, so a busy database or a quick restart is not a gap.
pub const UNWATCHED_AFTER: TimeDelta = TimeDelta::seconds(90);

const ROW: i32 = 1;

/// Marks monitoring as running at `now`; if nobody had for longer than [`UNWATCHED_AFTER`],
/// deals with the time since (see the module) and returns it. When replicas race, one of them
/// does it.
pub async fn keep_watch(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Option<TimeRange>, DbErr> {
    let txn = begin_write(db).await?;
    let Some(last) = monitoring_watch::Entity::find_by_id(ROW).one(&txn).await? else {
        monitoring_watch::Entity::insert(monitoring_watch::ActiveModel { id: Set(ROW), seen_at: Set(now) })
            .on_conflict(OnConflict::column(monitoring_watch::Column::Id).do_nothing().to_owned())
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
        return Ok(None);
    };
    if now <= last.seen_at {
        return Ok(None);
    }
    let claimed = monitoring_watch::Entity::update_many()
        .col_expr(monitoring_watch::Column::SeenAt, Expr::value(now))
        .filter(monitoring_watch::Column::Id.eq(ROW))
        .filter(monitoring_watch::Column::SeenAt.eq(last.seen_at))
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        // Another replica marked it meanwhile.
        return Ok(None);
    }
    let unobserved = TimeRange { start: last.seen_at, end: now };
    if now - last.seen_at <= UNWATCHED_AFTER {
        txn.commit().await?;
        return Ok(None);
    }
    forget_unobserved(&txn, unobserved).await?;
    txn.commit().await?;
    Ok(Some(unobserved))
}

/// Cuts `unobserved` out of monitored components' histories, moves heartbeat deadlines past
/// it, and rewrites the roll-ups it touched.
async fn forget_unobserved(db: &impl ConnectionTrait, unobserved: TimeRange) -> Result<(), DbErr> {
    let watched = monitors::Entity::find().filter(monitors::Column::Paused.eq(false)).all(db).await?;
    let mut components: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for monitor in &watched {
        if let Some(component_id) = monitor.component_id {
            components.entry(monitor.organization_id).or_default().insert(component_id);
        }
        if monitor.kind == CheckKind::Heartbeat.as_str()
            && let Ok(target) = target_of(monitor)
        {
            let deadline = heartbeat_deadline(monitor, &target, unobserved.end);
            if deadline > monitor.next_run_at {
                monitors::ActiveModel { id: Set(monitor.id), next_run_at: Set(deadline), ..Default::default() }
                    .update(db)
                    .await?;
            }
        }
    }
    let component_ids: Vec<i64> = components.values().flatten().copied().collect();
    if component_ids.is_empty() {
        return Ok(());
    }
    let touched = component_status_intervals::Entity::find()
        .filter(component_status_intervals::Column::ComponentId.is_in(component_ids))
        .filter(component_status_intervals::Column::StartedAt.lt(unobserved.end))
        .filter(
            Condition::any()
                .add(component_status_intervals::Column::EndedAt.is_null())
                .add(component_status_intervals::Column::EndedAt.gt(unobserved.start)),
        )
        .all(db)
        .await?;
    for row in touched {
        let Ok(status) = row.status.parse::<ComponentStatus>() else { continue };
        let interval = StatusInterval { status, start: row.started_at, end: row.ended_at };
        component_status_intervals::Entity::delete_by_id(row.id).exec(db).await?;
        for piece in interval.outside(unobserved) {
            component_status_intervals::ActiveModel {
                organization_id: Set(row.organization_id),
                component_id: Set(row.component_id),
                status: Set(row.status.clone()),
                source: Set(row.source.clone()),
                started_at: Set(piece.start),
                ended_at: Set(piece.end),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    let now = unobserved.end;
    let zones: BTreeMap<i64, String> = organizations::Entity::find()
        .select_only()
        .column(organizations::Column::Id)
        .column(organizations::Column::TimeZone)
        .filter(organizations::Column::Id.is_in(components.keys().copied()))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let first_hour = unobserved.start.duration_trunc(TimeDelta::hours(1)).unwrap_or(unobserved.start);
    let current_hour = now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now);
    let hours = u32::try_from((current_hour - first_hour).num_hours()).unwrap_or(0);
    for (organization_id, component_ids) in components {
        let component_ids: Vec<i64> = component_ids.into_iter().collect();
        if hours > 0 {
            rollups::refresh_hours(db, organization_id, &component_ids, first_hour, hours, now).await?;
        }
        let tz = zone(zones.get(&organization_id).map_or("UTC", String::as_str));
        let first_day = rollups::today(tz, unobserved.start);
        if let Some(yesterday) = rollups::today(tz, now).checked_sub_days(Days::new(1))
            && yesterday >= first_day
        {
            rollups::refresh_days(db, organization_id, tz, &component_ids, first_day, yesterday, now).await?;
        }
    }
    Ok(())
}
