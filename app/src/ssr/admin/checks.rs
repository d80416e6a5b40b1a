//! Checks (monitors): list, read, create, edit, delete, pause, resume, run now, and their
//! recent results.

use super::{Paged, check_version, commit_and_wake, record_audit, to_json, unique_or_internal};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::component_status;
use crate::ssr::entities::{check_results, components, monitors};
use crate::ssr::hub::Hub;
use crate::ssr::internal;
use crate::ssr::monitoring::{first_run, heartbeat_deadline, target_of};
use crate::ssr::repositories::{begin_write, stored};
use crate::ssr::secrets;
use chrono::{DateTime, Utc};
use herald::{
    CheckError, CheckKind, CheckOutcome, CheckTarget, ComponentStatus, IntervalBounds, Name, PageRequest, Permission,
    Slug,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

/// Where heartbeat checks are pinged; the token follows.
pub const HEARTBEAT_PATH: &str = "/api/v1/heartbeat/";
pub(crate) const TOKEN_PREFIX: &str = "hrlh_";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckView {
    pub id: i64,
    /// Stable key, unique in the organization.
    pub key: String,
    pub name: String,
    pub kind: CheckKind,
    /// The component whose status this check drives; none for a check that only records.
    pub component_id: Option<i64>,
    /// Kind-specific settings: for `http` `url`, `method`, `headers`, `body`, `expected_status`
    /// `{min, max}`, `body_contains`, `body_not_contains`, `follow_redirects`, `verify_tls`;
    /// for `tcp` `host`, `port`; for `dns` `host`, `record_type`, `expected`; for `heartbeat`
    /// `grace_seconds`.
    #[schema(value_type = Object)]
    pub target: serde_json::Value,
    pub interval_seconds: i32,
    pub timeout_ms: i32,
    /// Slower answers make the component `degraded_performance`.
    pub degraded_latency_ms: Option<i32>,
    /// What the component shows while this check is down.
    pub failure_status: ComponentStatus,
    /// Failures in a row (the first and quick re-checks) before the check counts as down.
    pub confirmations: i32,
    /// Confirmed failures in a row before an automatic incident opens.
    pub incident_threshold: i32,
    /// Minutes of sustained recovery before the automatic incident resolves.
    pub recovery_minutes: i32,
    pub auto_incident: bool,
    pub paused: bool,
    /// The status this check gives its component now.
    pub status: ComponentStatus,
    pub last_outcome: Option<CheckOutcome>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_latency_ms: Option<i32>,
    pub last_error: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub flapping_since: Option<DateTime<Utc>>,
    /// For heartbeats: when the last ping came.
    pub last_ping_at: Option<DateTime<Utc>>,
    pub next_run_at: DateTime<Utc>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new check; for a heartbeat, the address to ping (shown this once).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedCheck {
    #[serde(flatten)]
    pub check: CheckView,
    /// Only for heartbeat checks, only now: `GET` or `POST` it from the job being watched.
    pub heartbeat_path: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckResultView {
    pub checked_at: DateTime<Utc>,
    pub outcome: CheckOutcome,
    pub latency_ms: Option<i32>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CheckFilter {
    /// Only the checks of this component.
    pub component_id: Option<i64>,
    #[param(inline)]
    pub kind: Option<CheckKind>,
    pub paused: Option<bool>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResultFilter {
    /// Only results with this outcome (`down` lists recent failures).
    #[param(inline)]
    pub outcome: Option<CheckOutcome>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

fn default_interval() -> u32 {
    60
}
fn default_timeout() -> u32 {
    10_000
}
fn default_failure_status() -> ComponentStatus {
    ComponentStatus::MajorOutage
}
fn three() -> u32 {
    3
}
fn five() -> u32 {
    5
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCheck {
    pub key: String,
    pub name: String,
    pub kind: CheckKind,
    #[serde(default)]
    pub component_id: Option<i64>,
    /// Kind-specific settings; see `CheckView.target`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub target: serde_json::Value,
    #[serde(default = "default_interval")]
    pub interval_seconds: u32,
    #[serde(default = "default_timeout")]
    pub timeout_ms: u32,
    #[serde(default)]
    pub degraded_latency_ms: Option<u32>,
    #[serde(default = "default_failure_status")]
    pub failure_status: ComponentStatus,
    #[serde(default = "three")]
    pub confirmations: u32,
    #[serde(default = "three")]
    pub incident_threshold: u32,
    #[serde(default = "five")]
    pub recovery_minutes: u32,
    #[serde(default = "yes")]
    pub auto_incident: bool,
    #[serde(default)]
    pub paused: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckChanges {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<i64>)]
    pub component_id: Option<Option<i64>>,
    /// Replaces the settings as a whole.
    #[schema(value_type = Option<Object>)]
    pub target: Option<serde_json::Value>,
    pub interval_seconds: Option<u32>,
    pub timeout_ms: Option<u32>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<u32>)]
    pub degraded_latency_ms: Option<Option<u32>>,
    pub failure_status: Option<ComponentStatus>,
    pub confirmations: Option<u32>,
    pub incident_threshold: Option<u32>,
    pub recovery_minutes: Option<u32>,
    pub auto_incident: Option<bool>,
    pub version: Option<i32>,
}

fn check_error(error: CheckError) -> AppError {
    AppError::invalid(&error.field, error.message)
}

fn view(row: monitors::Model) -> Result<CheckView, AppError> {
    Ok(CheckView {
        kind: stored(&row.kind)?,
        failure_status: stored(&row.failure_status)?,
        status: stored(&row.status)?,
        last_outcome: row.last_outcome.as_deref().map(stored).transpose()?,
        id: row.id,
        key: row.key,
        name: row.name,
        component_id: row.component_id,
        target: row.config,
        interval_seconds: row.interval_seconds,
        timeout_ms: row.timeout_ms,
        degraded_latency_ms: row.degraded_latency_ms,
        confirmations: row.confirmations,
        incident_threshold: row.incident_threshold,
        recovery_minutes: row.recovery_minutes,
        auto_incident: row.auto_incident,
        paused: row.paused,
        last_checked_at: row.last_checked_at,
        last_latency_ms: row.last_latency_ms,
        last_error: row.last_error,
        failing_since: row.failing_since,
        flapping_since: row.flapping_since,
        last_ping_at: row.last_ping_at,
        next_run_at: row.next_run_at,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

async fn find(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<monitors::Model, AppError> {
    monitors::Entity::find_by_id(id)
        .filter(monitors::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("loading a check"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no check {id}.")))
}

async fn own_component(db: &impl ConnectionTrait, caller: &Caller, id: Option<i64>) -> Result<(), AppError> {
    let Some(id) = id else { return Ok(()) };
    components::Entity::find_by_id(id)
        .filter(components::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("checking a check's component"))?
        .map(|_| ())
        .ok_or_else(|| AppError::invalid("component_id", "This component does not exist."))
}

/// The numbers every check has, validated together.
pub(crate) struct Timing {
    pub interval_seconds: i32,
    pub timeout_ms: i32,
    pub degraded_latency_ms: Option<i32>,
    pub confirmations: i32,
    pub incident_threshold: i32,
    pub recovery_minutes: i32,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn timing(
    bounds: IntervalBounds,
    interval_seconds: u32,
    timeout_ms: u32,
    degraded_latency_ms: Option<u32>,
    confirmations: u32,
    incident_threshold: u32,
    recovery_minutes: u32,
    failure_status: ComponentStatus,
) -> Result<Timing, AppError> {
    bounds.check_interval(interval_seconds).map_err(check_error)?;
    bounds.check_timeout(timeout_ms, interval_seconds).map_err(check_error)?;
    if let Some(threshold) = degraded_latency_ms
        && (threshold == 0 || threshold >= timeout_ms)
    {
        return Err(AppError::invalid(
            "degraded_latency_ms",
            format!("The slow threshold must be between 1 and the timeout ({timeout_ms} ms)."),
        ));
    }
    if !(1..=10).contains(&confirmations) {
        return Err(AppError::invalid("confirmations", "Choose from 1 to 10 attempts before a failure counts."));
    }
    if !(1..=100).contains(&incident_threshold) {
        return Err(AppError::invalid(
            "incident_threshold",
            "Choose from 1 to 100 failed runs before an incident opens.",
        ));
    }
    if recovery_minutes > 1440 {
        return Err(AppError::invalid("recovery_minutes", "Choose from 0 to 1440 minutes (a day)."));
    }
    if !matches!(
        failure_status,
        ComponentStatus::DegradedPerformance | ComponentStatus::PartialOutage | ComponentStatus::MajorOutage
    ) {
        return Err(AppError::invalid(
            "failure_status",
            "A failing check can show degraded_performance, partial_outage or major_outage.",
        ));
    }
    let small = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
    Ok(Timing {
        interval_seconds: small(interval_seconds),
        timeout_ms: small(timeout_ms),
        degraded_latency_ms: degraded_latency_ms.map(small),
        confirmations: small(confirmations),
        incident_threshold: small(incident_threshold),
        recovery_minutes: small(recovery_minutes),
    })
}

pub async fn list(db: &DatabaseConnection, caller: &Caller, filter: CheckFilter) -> Result<Paged<CheckView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let mut query = monitors::Entity::find().filter(monitors::Column::OrganizationId.eq(caller.organization_id));
    if let Some(component_id) = filter.component_id {
        query = query.filter(monitors::Column::ComponentId.eq(component_id));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(monitors::Column::Kind.eq(kind.as_str()));
    }
    if let Some(paused) = filter.paused {
        query = query.filter(monitors::Column::Paused.eq(paused));
    }
    let total = query.clone().count(db).await.map_err(internal("counting checks"))?;
    let rows = query
        .order_by_asc(monitors::Column::Name)
        .order_by_asc(monitors::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing checks"))?;
    let data = rows.into_iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(Paged::new(data, page, total))
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<CheckView, AppError> {
    caller.may_read(Permission::Read)?;
    view(find(db, caller, id).await?)
}

pub async fn results(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    filter: ResultFilter,
) -> Result<Paged<CheckResultView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let monitor = find(db, caller, id).await?;
    let mut query = check_results::Entity::find().filter(check_results::Column::MonitorId.eq(monitor.id));
    if let Some(outcome) = filter.outcome {
        query = query.filter(check_results::Column::Outcome.eq(outcome.as_str()));
    }
    let total = query.clone().count(db).await.map_err(internal("counting check results"))?;
    let rows = query
        .order_by_desc(check_results::Column::CheckedAt)
        .order_by_desc(check_results::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing check results"))?;
    let mut data = Vec::with_capacity(rows.len());
    for row in rows {
        data.push(CheckResultView {
            checked_at: row.checked_at,
            outcome: stored(&row.outcome)?,
            latency_ms: row.latency_ms,
            status_code: row.status_code,
            error: row.error,
        });
    }
    Ok(Paged::new(data, page, total))
}

/// Sets the component's status again from what holds it, after its monitors changed.
pub(crate) async fn recompute(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_ids: &[Option<i64>],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut ids: Vec<i64> = component_ids.iter().flatten().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    component_status::recompute(db, organization_id, &ids, now)
        .await
        .map(|_| ())
        .map_err(internal("updating a monitored component's status"))
}

pub async fn create(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    bounds: IntervalBounds,
    new: NewCheck,
    now: DateTime<Utc>,
) -> Result<CreatedCheck, AppError> {
    caller.may_change(Permission::Edit)?;
    let key = Slug::parse(&new.key).map_err(|error| AppError::invalid("key", error.to_string()))?;
    let name = Name::parse(&new.name).map_err(|error| AppError::invalid("name", error.to_string()))?;
    let target = CheckTarget::parse(new.kind, new.target).map_err(check_error)?;
    let timing = timing(
        bounds,
        new.interval_seconds,
        new.timeout_ms,
        new.degraded_latency_ms,
        new.confirmations,
        new.incident_threshold,
        new.recovery_minutes,
        new.failure_status,
    )?;
    let token = (new.kind == CheckKind::Heartbeat).then(|| secrets::new_token(TOKEN_PREFIX));
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    own_component(&txn, caller, new.component_id).await?;
    let row = monitors::ActiveModel {
        organization_id: Set(caller.organization_id),
        component_id: Set(new.component_id),
        key: Set(key.to_string()),
        name: Set(name.as_str().to_owned()),
        kind: Set(new.kind.as_str().to_owned()),
        config: Set(target.to_json()),
        interval_seconds: Set(timing.interval_seconds),
        timeout_ms: Set(timing.timeout_ms),
        degraded_latency_ms: Set(timing.degraded_latency_ms),
        failure_status: Set(new.failure_status.as_str().to_owned()),
        confirmations: Set(timing.confirmations),
        incident_threshold: Set(timing.incident_threshold),
        recovery_minutes: Set(timing.recovery_minutes),
        auto_incident: Set(new.auto_incident),
        paused: Set(new.paused),
        heartbeat_token_hash: Set(token.as_deref().map(secrets::hash_token)),
        next_run_at: Set(now),
        last_checked_at: Set(None),
        last_outcome: Set(None),
        last_error: Set(None),
        consecutive_failures: Set(0),
        consecutive_successes: Set(0),
        failing_since: Set(None),
        recovered_since: Set(None),
        version: Set(1),
        status: Set(ComponentStatus::NoData.as_str().to_owned()),
        flap_transitions: Set(0),
        flap_window_started_at: Set(None),
        flapping_since: Set(None),
        last_latency_ms: Set(None),
        last_ping_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unique_or_internal("key", "Another check already has this key.", "creating a check"))?;
    let row = monitors::ActiveModel {
        id: Set(row.id),
        next_run_at: Set(first_run(&row, &target, now)),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("scheduling a new check"))?;
    if !row.paused {
        recompute(&txn, caller.organization_id, &[row.component_id], now).await?;
    }
    let created = view(row)?;
    record_audit(&txn, caller, "check.created", ("check", created.id), None, to_json(&created), now).await?;
    commit_and_wake(txn, hub, "committing a new check").await?;
    Ok(CreatedCheck { check: created, heartbeat_path: token.map(|token| format!("{HEARTBEAT_PATH}{token}")) })
}

pub async fn update(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    bounds: IntervalBounds,
    id: i64,
    changes: CheckChanges,
    now: DateTime<Utc>,
) -> Result<CheckView, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    check_version(changes.version, current.version, "check")?;
    let kind: CheckKind = stored(&current.kind)?;
    let name = match &changes.name {
        Some(name) => {
            Name::parse(name).map_err(|error| AppError::invalid("name", error.to_string()))?.as_str().to_owned()
        }
        None => current.name.clone(),
    };
    let target = match changes.target {
        Some(settings) => CheckTarget::parse(kind, settings).map_err(check_error)?,
        None => target_of(&current)?,
    };
    let number = |value: i32| u32::try_from(value).unwrap_or(0);
    let failure_status = changes.failure_status.unwrap_or(stored(&current.failure_status)?);
    let timing = timing(
        bounds,
        changes.interval_seconds.unwrap_or(number(current.interval_seconds)),
        changes.timeout_ms.unwrap_or(number(current.timeout_ms)),
        changes.degraded_latency_ms.unwrap_or(current.degraded_latency_ms.map(number)),
        changes.confirmations.unwrap_or(number(current.confirmations)),
        changes.incident_threshold.unwrap_or(number(current.incident_threshold)),
        changes.recovery_minutes.unwrap_or(number(current.recovery_minutes)),
        failure_status,
    )?;
    let component_id = changes.component_id.unwrap_or(current.component_id);
    own_component(&txn, caller, component_id).await?;
    let settings_changed = target.to_json() != current.config || timing.interval_seconds != current.interval_seconds;
    let before = view(current.clone())?;
    let mut row = monitors::ActiveModel {
        id: Set(current.id),
        name: Set(name),
        component_id: Set(component_id),
        config: Set(target.to_json()),
        interval_seconds: Set(timing.interval_seconds),
        timeout_ms: Set(timing.timeout_ms),
        degraded_latency_ms: Set(timing.degraded_latency_ms),
        failure_status: Set(failure_status.as_str().to_owned()),
        confirmations: Set(timing.confirmations),
        incident_threshold: Set(timing.incident_threshold),
        recovery_minutes: Set(timing.recovery_minutes),
        auto_incident: Set(changes.auto_incident.unwrap_or(current.auto_incident)),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    if settings_changed && !matches!(target, CheckTarget::Heartbeat(_)) {
        // A new target is looked at soon, not after the old interval.
        row.next_run_at = Set(now);
    }
    if let Some(failing_status) = changes.failure_status
        && current.consecutive_failures >= current.confirmations
    {
        row.status = Set(failing_status.as_str().to_owned());
    }
    let row = row.update(&txn).await.map_err(internal("saving a check"))?;
    recompute(&txn, caller.organization_id, &[current.component_id, row.component_id], now).await?;
    let after = view(row)?;
    record_audit(&txn, caller, "check.updated", ("check", id), to_json(&before), to_json(&after), now).await?;
    commit_and_wake(txn, hub, "committing a check").await?;
    Ok(after)
}

pub async fn delete(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    monitors::Entity::delete_by_id(current.id).exec(&txn).await.map_err(internal("deleting a check"))?;
    recompute(&txn, caller.organization_id, &[current.component_id], now).await?;
    record_audit(&txn, caller, "check.deleted", ("check", id), to_json(&view(current)?), None, now).await?;
    commit_and_wake(txn, hub, "committing a deleted check").await
}

/// Pauses or resumes a check. A paused check stops running and stops counting towards its
/// component; a resumed one starts afresh (its old failures are history, not a streak).
pub async fn set_paused(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    paused: bool,
    now: DateTime<Utc>,
) -> Result<CheckView, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    if current.paused == paused {
        return view(current);
    }
    let target = target_of(&current)?;
    let mut row = monitors::ActiveModel {
        id: Set(current.id),
        paused: Set(paused),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    if !paused {
        row.status = Set(ComponentStatus::NoData.as_str().to_owned());
        row.consecutive_failures = Set(0);
        row.consecutive_successes = Set(0);
        row.failing_since = Set(None);
        row.recovered_since = Set(None);
        row.flap_transitions = Set(0);
        row.flap_window_started_at = Set(None);
        row.flapping_since = Set(None);
        row.next_run_at = Set(match target {
            CheckTarget::Heartbeat(_) => heartbeat_deadline(&current, &target, now),
            _ => now,
        });
    }
    let row = row.update(&txn).await.map_err(internal("pausing a check"))?;
    recompute(&txn, caller.organization_id, &[row.component_id], now).await?;
    let action = if paused { "check.paused" } else { "check.resumed" };
    record_audit(&txn, caller, action, ("check", id), None, None, now).await?;
    let after = view(row)?;
    commit_and_wake(txn, hub, "committing a paused check").await?;
    Ok(after)
}

/// Asks for a run now: the next scheduler pass (within a second, on any replica) takes it.
pub async fn run_now(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<CheckView, AppError> {
    caller.may_change(Permission::Edit)?;
    let current = find(db, caller, id).await?;
    if current.kind == CheckKind::Heartbeat.as_str() {
        return Err(AppError::invalid("id", "A heartbeat check runs when it is pinged; there is nothing to run."));
    }
    if current.paused {
        return Err(AppError::invalid("id", "This check is paused; resume it to run it."));
    }
    let row = monitors::ActiveModel { id: Set(current.id), next_run_at: Set(now), ..Default::default() }
        .update(db)
        .await
        .map_err(internal("scheduling a check"))?;
    view(row)
}
