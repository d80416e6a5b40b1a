//! Monitoring's database side: claiming due checks (once across replicas), recording each
//! result with what it means (the monitor's state, its component's status, one transaction),
//! heartbeat pings, the automatic incident, and purging old results.
//!
//! The probes themselves (network I/O) are the server's; the rules are the domain's
//! (`herald::monitoring`). Everything needed to resume is stored, so a restart in the middle
//! of a failure neither forgets it nor opens a second incident.

use super::component_status;
use super::entities::{check_results, components, incident_components, incidents, monitors};
use super::hub::Hub;
use super::incidents::{self as incident_use_cases, Author, OpenIncident, UpdateIncident};
use super::internal;
use super::repositories::{begin_write, stored};
use super::secrets;
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use herald::{
    CheckKind, CheckOutcome, CheckTarget, ComponentStatus, DEFAULT_RECHECK, Impact, IncidentCue, IncidentSource,
    IncidentStatus, MonitorState, Policy, grid_anchor, observe,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::time::Duration;

/// How long a claimed check may take before another replica may run it again: its timeout
/// plus this margin.
pub const CLAIM_MARGIN: TimeDelta = TimeDelta::seconds(30);
/// Who signs automatic incidents.
pub const AUTHOR: &str = "Herald monitoring";

/// The one automatic incident a component may have open.
const INCIDENT_KEY_PREFIX: &str = "monitor:component:";

pub fn incident_key(component_id: i64) -> String {
    format!("{INCIDENT_KEY_PREFIX}{component_id}")
}

/// What the runner needs to probe one check.
#[derive(Debug, Clone)]
pub struct Probe {
    pub monitor_id: i64,
    pub name: String,
    pub target: CheckTarget,
    pub timeout: Duration,
    pub degraded_after: Option<Duration>,
    /// For heartbeats: when the last ping came (or the check was created).
    pub last_heard_at: DateTime<Utc>,
    pub interval_seconds: u32,
}

/// What a probe saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub outcome: CheckOutcome,
    pub latency_ms: Option<u32>,
    pub status_code: Option<u16>,
    pub error: Option<String>,
}

pub fn target_of(row: &monitors::Model) -> Result<CheckTarget, AppError> {
    let kind: CheckKind = stored(&row.kind)?;
    CheckTarget::parse(kind, row.config.clone()).map_err(|error| {
        tracing::error!(monitor = row.id, %error, "a stored check has settings that no longer validate");
        AppError::Internal
    })
}

pub fn state_of(row: &monitors::Model) -> MonitorState {
    let count = |value: i32| u32::try_from(value).unwrap_or(0);
    MonitorState {
        status: row.status.parse().unwrap_or(ComponentStatus::NoData),
        last_outcome: row.last_outcome.as_deref().and_then(|outcome| outcome.parse().ok()),
        consecutive_failures: count(row.consecutive_failures),
        consecutive_successes: count(row.consecutive_successes),
        failing_since: row.failing_since,
        recovered_since: row.recovered_since,
        flap_transitions: count(row.flap_transitions),
        flap_window_started_at: row.flap_window_started_at,
        flapping_since: row.flapping_since,
    }
}

pub fn policy_of(row: &monitors::Model) -> Policy {
    let count = |value: i32| u32::try_from(value).unwrap_or(1).max(1);
    let heartbeat = row.kind == CheckKind::Heartbeat.as_str();
    Policy {
        // A missed heartbeat deadline is already certain: nothing to re-check.
        confirmations: if heartbeat { 1 } else { count(row.confirmations) },
        incident_threshold: count(row.incident_threshold),
        recovery: TimeDelta::minutes(i64::from(row.recovery_minutes.max(0))),
        failure_status: row.failure_status.parse().unwrap_or(ComponentStatus::MajorOutage),
        interval: interval_of(row),
        recheck: DEFAULT_RECHECK,
    }
}

fn interval_of(row: &monitors::Model) -> TimeDelta {
    TimeDelta::seconds(i64::from(row.interval_seconds.max(1)))
}

/// Where the monitor's regular runs fall.
pub fn anchor_of(row: &monitors::Model) -> DateTime<Utc> {
    grid_anchor(row.created_at, row.id, interval_of(row))
}

fn heartbeat_grace(target: &CheckTarget) -> TimeDelta {
    match target {
        CheckTarget::Heartbeat(heartbeat) => TimeDelta::seconds(i64::from(heartbeat.grace_seconds)),
        _ => TimeDelta::zero(),
    }
}

/// When a heartbeat that pinged at `at` is next due to have pinged.
pub fn heartbeat_deadline(row: &monitors::Model, target: &CheckTarget, at: DateTime<Utc>) -> DateTime<Utc> {
    at + interval_of(row) + heartbeat_grace(target)
}

/// The first run of a new check: soon, but spread over up to ten seconds so a bulk import
/// does not fire everything at once; after it, runs follow the monitor's grid.
pub fn first_run(row: &monitors::Model, target: &CheckTarget, now: DateTime<Utc>) -> DateTime<Utc> {
    if matches!(target, CheckTarget::Heartbeat(_)) {
        return heartbeat_deadline(row, target, now);
    }
    let spread = grid_anchor(now, row.id, TimeDelta::seconds(10));
    spread.min(anchor_of(row).max(now))
}

/// Claims up to `limit` due checks for this replica: one statement moves their next run past
/// a lease, so a replica that asks at the same moment gets the others. A replica that dies
/// mid-probe loses its claim when the lease ends.
pub async fn claim_due(db: &DatabaseConnection, now: DateTime<Utc>, limit: u64) -> Result<Vec<Probe>, DbErr> {
    let due: Vec<i64> = monitors::Entity::find()
        .select_only()
        .column(monitors::Column::Id)
        .filter(monitors::Column::Paused.eq(false))
        .filter(monitors::Column::NextRunAt.lte(now))
        .order_by_asc(monitors::Column::NextRunAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let lease = now + TimeDelta::milliseconds(i64::from(herald::MAX_TIMEOUT_MS)) + CLAIM_MARGIN;
    let claimed = monitors::Entity::update_many()
        .col_expr(monitors::Column::NextRunAt, Expr::value(lease))
        .filter(monitors::Column::Id.is_in(due))
        .filter(monitors::Column::Paused.eq(false))
        .filter(monitors::Column::NextRunAt.lte(now))
        .exec_with_returning(db)
        .await?;
    Ok(claimed
        .into_iter()
        .filter_map(|row| {
            let target = target_of(&row).ok()?;
            Some(Probe {
                monitor_id: row.id,
                name: row.name.clone(),
                timeout: Duration::from_millis(u64::try_from(row.timeout_ms).unwrap_or(10_000)),
                degraded_after: row
                    .degraded_latency_ms
                    .and_then(|ms| u64::try_from(ms).ok())
                    .map(Duration::from_millis),
                last_heard_at: row.last_ping_at.unwrap_or(row.created_at),
                interval_seconds: u32::try_from(row.interval_seconds).unwrap_or(60),
                target,
            })
        })
        .collect())
}

/// What recording a result did.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub monitor: monitors::Model,
    pub cue: IncidentCue,
    pub status_changed: bool,
}

/// Records one result: the raw row, the monitor's new state and next run, and (when the
/// monitor's status changed) its component's status, in one transaction; then acts on the
/// automatic incident. `None` when the monitor was deleted or paused meanwhile.
pub async fn record(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    monitor_id: i64,
    observation: &Observation,
    now: DateTime<Utc>,
) -> Result<Option<Recorded>, AppError> {
    let txn = begin_write(db).await.map_err(internal("starting to record a check result"))?;
    let Some(row) = monitors::Entity::find_by_id(monitor_id)
        .one(&txn)
        .await
        .map_err(internal("loading a monitor"))?
        .filter(|row| !row.paused)
    else {
        return Ok(None);
    };
    let target = target_of(&row)?;
    let before = state_of(&row);
    let step = observe(&before, observation.outcome, &policy_of(&row), anchor_of(&row), now);
    let heartbeat = matches!(target, CheckTarget::Heartbeat(_));
    let pinged = heartbeat && observation.outcome != CheckOutcome::Down;
    let next_run_at = if pinged { heartbeat_deadline(&row, &target, now) } else { step.next_run_at };

    check_results::ActiveModel {
        monitor_id: Set(row.id),
        organization_id: Set(row.organization_id),
        component_id: Set(row.component_id),
        checked_at: Set(now),
        outcome: Set(observation.outcome.as_str().to_owned()),
        latency_ms: Set(observation.latency_ms.map(|ms| i32::try_from(ms).unwrap_or(i32::MAX))),
        status_code: Set(observation.status_code.map(i32::from)),
        error: Set(observation.error.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal("recording a check result"))?;

    let state = &step.state;
    let count = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
    let updated = monitors::ActiveModel {
        id: Set(row.id),
        status: Set(state.status.as_str().to_owned()),
        last_outcome: Set(state.last_outcome.map(|outcome| outcome.as_str().to_owned())),
        consecutive_failures: Set(count(state.consecutive_failures)),
        consecutive_successes: Set(count(state.consecutive_successes)),
        failing_since: Set(state.failing_since),
        recovered_since: Set(state.recovered_since),
        flap_transitions: Set(count(state.flap_transitions)),
        flap_window_started_at: Set(state.flap_window_started_at),
        flapping_since: Set(state.flapping_since),
        last_checked_at: Set(Some(now)),
        last_error: Set(observation.error.clone()),
        last_latency_ms: Set(observation.latency_ms.map(|ms| i32::try_from(ms).unwrap_or(i32::MAX))),
        last_ping_at: Set(if pinged { Some(now) } else { row.last_ping_at }),
        next_run_at: Set(next_run_at),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("saving a monitor's state"))?;

    let status_changed = step.status_changed(&before);
    let mut moved = false;
    if status_changed && let Some(component_id) = row.component_id {
        moved = !component_status::recompute(&txn, row.organization_id, &[component_id], now)
            .await
            .map_err(internal("updating a monitored component's status"))?
            .is_empty();
    }
    txn.commit().await.map_err(internal("committing a check result"))?;
    if moved && let Some(hub) = hub {
        hub.wake();
    }
    act_on_incident(db, hub, &updated, step.incident, now).await?;
    Ok(Some(Recorded { monitor: updated, cue: step.incident, status_changed }))
}

/// A heartbeat ping, identified by the secret in its URL alone.
pub async fn ping(db: &DatabaseConnection, hub: Option<&Hub>, token: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let unknown = || AppError::NotFound("There is no heartbeat check with this address.".into());
    if token.len() > 128 {
        return Err(unknown());
    }
    let row = monitors::Entity::find()
        .filter(monitors::Column::HeartbeatTokenHash.eq(secrets::hash_token(token)))
        .one(db)
        .await
        .map_err(internal("finding a heartbeat check"))?
        .ok_or_else(unknown)?;
    // Accepted either way, so the job that pings does not fail; a paused check records
    // nothing, and a job pinging in a tight loop records one result a second.
    if row.paused || row.last_ping_at.is_some_and(|last| now - last < TimeDelta::seconds(1)) {
        return Ok(());
    }
    let observation = Observation { outcome: CheckOutcome::Up, latency_ms: None, status_code: None, error: None };
    record(db, hub, row.id, &observation, now).await.map(|_| ())
}

/// What a probe of a heartbeat check sees when its deadline passed without a ping.
pub fn missed_heartbeat(probe: &Probe, now: DateTime<Utc>) -> Observation {
    let silent = (now - probe.last_heard_at).num_seconds().max(0);
    Observation {
        outcome: CheckOutcome::Down,
        latency_ms: None,
        status_code: None,
        error: Some(format!("No ping for {silent} s; one was expected every {} s.", probe.interval_seconds)),
    }
}

/// Deletes results older than `before`, `batch` rows per statement so no statement holds
/// the database for long. Returns how many went.
pub async fn purge_results(db: &DatabaseConnection, before: DateTime<Utc>, batch: u64) -> Result<u64, DbErr> {
    let mut purged = 0;
    loop {
        let ids: Vec<i64> = check_results::Entity::find()
            .select_only()
            .column(check_results::Column::Id)
            .filter(check_results::Column::CheckedAt.lt(before))
            .limit(batch)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            return Ok(purged);
        }
        let deleted = check_results::Entity::delete_many()
            .filter(check_results::Column::Id.is_in(ids))
            .exec(db)
            .await?
            .rows_affected;
        purged += deleted;
        if deleted < batch {
            return Ok(purged);
        }
    }
}

/// A monitor's failure as a bullet of an incident message.
fn failure_line(monitor: &monitors::Model) -> String {
    let target = target_of(monitor).map(|target| target.describe()).unwrap_or_default();
    let reason = monitor.last_error.as_deref().unwrap_or("failed");
    format!("- **{}** ({target}): {reason}\n", monitor.name)
}

fn confirmed_down(monitor: &monitors::Model) -> bool {
    let policy = policy_of(monitor);
    u32::try_from(monitor.consecutive_failures).unwrap_or(0) >= policy.confirmations
}

/// Confirmed failures in a row have reached the monitor's incident threshold.
fn past_threshold(monitor: &monitors::Model) -> bool {
    let policy = policy_of(monitor);
    let failures = u32::try_from(monitor.consecutive_failures).unwrap_or(0);
    failures >= policy.confirmations + policy.incident_threshold - 1
}

/// Opens, updates or resolves the component's automatic incident to match its monitors.
/// Works from stored state, not from this one result, so a result missed in a crash is made
/// up for by the next.
async fn act_on_incident(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    monitor: &monitors::Model,
    cue: IncidentCue,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(component_id) = monitor.component_id.filter(|_| monitor.auto_incident) else { return Ok(()) };
    let key = incident_key(component_id);
    let open = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(monitor.organization_id))
        .filter(incidents::Column::ExternalKey.eq(key.as_str()))
        .filter(incidents::Column::ResolvedAt.is_null())
        .one(db)
        .await
        .map_err(internal("finding an automatic incident"))?;
    let watching: Vec<monitors::Model> = monitors::Entity::find()
        .filter(monitors::Column::ComponentId.eq(component_id))
        .filter(monitors::Column::Paused.eq(false))
        .filter(monitors::Column::AutoIncident.eq(true))
        .order_by_asc(monitors::Column::Name)
        .all(db)
        .await
        .map_err(internal("loading a component's monitors"))?;
    let component_name = components::Entity::find_by_id(component_id)
        .one(db)
        .await
        .map_err(internal("loading a monitored component"))?
        .map_or_else(|| "A component".to_owned(), |component| component.name);
    let author = Author::system(AUTHOR);
    let failure_status = policy_of(monitor).failure_status;

    let Some(incident) = open else {
        if !past_threshold(monitor) || person_holds(db, component_id, monitor, &key).await? {
            return Ok(());
        }
        let failing: String = watching.iter().filter(|m| confirmed_down(m)).map(failure_line).collect();
        let since = monitor.failing_since.unwrap_or(now).format("%H:%M UTC");
        let opened = incident_use_cases::open(
            db,
            hub,
            monitor.organization_id,
            OpenIncident {
                name: format!("{component_name} is not responding"),
                impact: Impact::for_status(failure_status),
                status: IncidentStatus::Investigating,
                message: format!(
                    "Herald's monitoring finds {component_name} failing since {since}:\n\n{failing}\nWe are looking into it."
                ),
                components: vec![(component_id, failure_status)],
                notify_subscribers: true,
                started_at: monitor.failing_since.filter(|since| *since <= now),
                source: IncidentSource::Auto,
                external_key: Some(key),
                author,
            },
            now,
        )
        .await;
        return match opened {
            // Another replica's result opened it a moment ago.
            Ok(_) | Err(AppError::Conflict(_)) => Ok(()),
            Err(error) => Err(error),
        };
    };

    let any_down = watching.iter().any(confirmed_down);
    let settled = !any_down && watching.iter().all(|m| m.recovered_since.is_none());
    let post = |status: IncidentStatus, message: String, components: Vec<(i64, ComponentStatus)>| {
        let update =
            UpdateIncident { status, message, components, notify_subscribers: true, at: None, author: author.clone() };
        incident_use_cases::post_update(db, hub, monitor.organization_id, incident.id, update, now)
    };
    let current: IncidentStatus = stored(&incident.status)?;
    if settled {
        let message = match monitor.recovery_minutes.max(0) {
            0 => format!("{component_name} is answering again. This incident is resolved."),
            1 => format!("{component_name} has worked normally for a minute. This incident is resolved."),
            minutes => {
                format!("{component_name} has worked normally for {minutes} minutes. This incident is resolved.")
            }
        };
        post(IncidentStatus::Resolved, message, Vec::new()).await?;
        return Ok(());
    }
    match cue {
        IncidentCue::Recovered if !any_down => {
            let minutes = monitor.recovery_minutes.max(0);
            post(
                IncidentStatus::Monitoring,
                format!(
                    "{component_name} is answering again. We are watching it and will resolve this incident once it has stayed healthy for {minutes} minutes."
                ),
                vec![(component_id, ComponentStatus::Operational)],
            )
            .await?;
        }
        IncidentCue::Relapsed => {
            post(
                IncidentStatus::Investigating,
                format!("{component_name} is failing again:\n\n{}", failure_line(monitor)),
                vec![(component_id, failure_status)],
            )
            .await?;
        }
        IncidentCue::StartedFlapping => {
            post(
                current,
                format!(
                    "{component_name} keeps going up and down ({} changes within the hour). We keep watching it and will post again once it is stable.",
                    monitor.flap_transitions
                ),
                Vec::new(),
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Resolves the automatic incidents nothing watches any more: every check that could have
/// resolved one was paused, deleted, pointed at another component or told to open none. Run
/// periodically by every replica (one of them gets to each). Returns how many it resolved.
pub async fn reconcile_automatic_incidents(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let open = incidents::Entity::find()
        .filter(incidents::Column::Source.eq(IncidentSource::Auto.as_str()))
        .filter(incidents::Column::ResolvedAt.is_null())
        .all(db)
        .await
        .map_err(internal("finding open automatic incidents"))?;
    let mut resolved = 0;
    for incident in open {
        let Some(component_id) = incident
            .external_key
            .as_deref()
            .and_then(|key| key.strip_prefix(INCIDENT_KEY_PREFIX))
            .and_then(|id| id.parse::<i64>().ok())
        else {
            continue;
        };
        let watching = monitors::Entity::find()
            .filter(monitors::Column::ComponentId.eq(component_id))
            .filter(monitors::Column::Paused.eq(false))
            .filter(monitors::Column::AutoIncident.eq(true))
            .count(db)
            .await
            .map_err(internal("counting a component's monitors"))?;
        if watching > 0 {
            continue;
        }
        let update = UpdateIncident {
            status: IncidentStatus::Resolved,
            message: "No check watches this any more (they were paused, removed or changed), so Herald cannot tell whether it recovered. This automatic incident is closed; the component shows what its remaining sources say.".to_owned(),
            components: Vec::new(),
            notify_subscribers: true,
            at: None,
            author: Author::system(AUTHOR),
        };
        match incident_use_cases::post_update(db, hub, incident.organization_id, incident.id, update, now).await {
            Ok(_) => resolved += 1,
            // Another replica closed it a moment ago (a resolved incident cannot be resolved).
            Err(AppError::Conflict(_) | AppError::Invalid { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(resolved)
}

/// Whether a person's judgement stands in the way of an automatic incident: another open
/// incident (manual or from alerts) already holds the component, or someone resolved this
/// component's automatic incident while this failure went on.
async fn person_holds(
    db: &DatabaseConnection,
    component_id: i64,
    monitor: &monitors::Model,
    key: &str,
) -> Result<bool, AppError> {
    let held = incident_components::Entity::find()
        .inner_join(incidents::Entity)
        .filter(incident_components::Column::ComponentId.eq(component_id))
        .filter(incidents::Column::ResolvedAt.is_null())
        .one(db)
        .await
        .map_err(internal("looking for incidents holding a component"))?
        .is_some();
    if held {
        return Ok(true);
    }
    let Some(since) = monitor.failing_since else { return Ok(false) };
    let resolved_meanwhile = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(monitor.organization_id))
        .filter(incidents::Column::ExternalKey.eq(key))
        .filter(incidents::Column::ResolvedAt.gte(since))
        .one(db)
        .await
        .map_err(internal("looking for a resolved automatic incident"))?
        .is_some();
    Ok(resolved_meanwhile)
}
