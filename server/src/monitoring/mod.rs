//! The check runner: every second it claims the checks that are due (any replica may; each
//! check is claimed by one), probes them with bounded concurrency, and records each result.
//! It also marks that monitoring ran, so time when no replica did shows as no data
//! (`app::ssr::watch`). A purge task keeps raw results to the retention period.

pub mod probe;

use crate::metrics::CheckMetrics;
use app::ssr::AppState;
use app::ssr::monitoring::{self, Probe};
use app::ssr::watch::{WATCH_EVERY, keep_watch};
use chrono::{TimeDelta, Utc};
use probe::Prober;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often the runner looks for due checks.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How often old results are purged, and how many rows go per statement.
const PURGE_EVERY: Duration = Duration::from_secs(600);
const PURGE_BATCH: u64 = 5_000;
/// The most checks claimed in one pass; the rest wait for the next second.
const MAX_CLAIM: usize = 1_000;

/// Monitoring's settings, from `HERALD_CHECK_*`, `HERALD_BLOCK_PRIVATE_TARGETS` and
/// `HERALD_DNS_SERVERS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringConfig {
    /// `HERALD_MIN_CHECK_INTERVAL_SECONDS`: the shortest interval a check may have (30 unless
    /// lowered, for tests and demos).
    pub min_interval_seconds: u32,
    /// `HERALD_CHECK_CONCURRENCY`: probes in flight at once on this replica.
    pub concurrency: usize,
    /// `HERALD_CHECK_RETENTION_DAYS`: how long raw results are kept.
    pub retention_days: u32,
    /// `HERALD_BLOCK_PRIVATE_TARGETS`: refuse loopback, private and link-local targets.
    pub block_private_targets: bool,
    /// `HERALD_DNS_SERVERS`: the servers DNS checks ask; empty for the system's.
    pub dns_servers: Vec<std::net::SocketAddr>,
}

impl Default for MonitoringConfig {
    fn default() -> MonitoringConfig {
        MonitoringConfig {
            min_interval_seconds: 30,
            concurrency: 256,
            retention_days: 7,
            block_private_targets: false,
            dns_servers: Vec::new(),
        }
    }
}

impl MonitoringConfig {
    pub fn interval_bounds(&self) -> herald::IntervalBounds {
        herald::IntervalBounds { min_seconds: self.min_interval_seconds, ..herald::IntervalBounds::default() }
    }
}

pub fn spawn(
    state: &AppState,
    config: &MonitoringConfig,
    metrics: Arc<CheckMetrics>,
    cancel: CancellationToken,
) -> Vec<JoinHandle<()>> {
    let prober = Arc::new(Prober::new(config.block_private_targets, &config.dns_servers));
    vec![
        spawn_runner(state.clone(), prober, metrics, config.concurrency, cancel.clone()),
        spawn_purge(state.clone(), config.retention_days, cancel),
    ]
}

/// Lets one recording at a time ask SQLite for its write lock. SQLite has one writer; when
/// hundreds of probes finish together, letting them all race for the lock leaves most asleep
/// in SQLite's busy handler while the lock sits free. Queued here, each is woken the moment
/// the previous one commits. PostgreSQL takes concurrent writers as they come.
#[derive(Clone)]
pub struct WriteGate(Option<Arc<tokio::sync::Mutex<()>>>);

impl WriteGate {
    pub fn for_database(db: &sea_orm::DatabaseConnection) -> WriteGate {
        let sqlite = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
        WriteGate(sqlite.then(|| Arc::new(tokio::sync::Mutex::new(()))))
    }

    /// Waits for this writer's turn; the turn lasts as long as the guard.
    pub async fn turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.0 {
            Some(lock) => Some(lock.lock().await),
            None => None,
        }
    }
}

/// Probes one claimed check and records what it saw.
pub async fn run_one(state: &AppState, prober: &Prober, gate: &WriteGate, metrics: &CheckMetrics, probe: &Probe) {
    let observation = prober.probe(probe).await;
    metrics.observed(
        probe.target.kind(),
        observation.outcome,
        observation.latency_ms.map(|ms| Duration::from_millis(u64::from(ms))),
    );
    let _turn = gate.turn().await;
    if let Err(error) =
        monitoring::record(&state.db, Some(&state.hub), probe.monitor_id, &observation, Utc::now()).await
    {
        tracing::warn!(monitor = probe.monitor_id, %error, "recording a check result failed; the check runs again after its lease");
    }
}

fn spawn_runner(
    state: AppState,
    prober: Arc<Prober>,
    metrics: Arc<CheckMetrics>,
    concurrency: usize,
    cancel: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let permits = Arc::new(Semaphore::new(concurrency.max(1)));
        let gate = WriteGate::for_database(&state.db);
        let mut ticks = tokio::time::interval(POLL_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // After a full batch there may be more due at once: claim again as soon as a probe
        // can start, instead of waiting for the next tick.
        let mut more_due = false;
        // Before the first claim, so results after a long stop land after the unobserved time.
        watch(&state).await;
        let mut watched = Instant::now();
        loop {
            if watched.elapsed() >= WATCH_EVERY {
                watch(&state).await;
                watched = Instant::now();
            }
            if !more_due {
                tokio::select! {
                    () = cancel.cancelled() => return,
                    _ = ticks.tick() => {}
                }
            }
            let first = tokio::select! {
                () = cancel.cancelled() => return,
                permit = permits.clone().acquire_owned() => permit,
            };
            let Ok(first) = first else { return };
            // Claim only what can start now; the rest stay due for whichever replica is free.
            let free = (permits.available_permits() + 1).min(MAX_CLAIM);
            let claimed = match monitoring::claim_due(&state.db, Utc::now(), free as u64).await {
                Ok(claimed) => claimed,
                Err(error) => {
                    tracing::warn!(%error, "looking for due checks failed; will retry");
                    more_due = false;
                    continue;
                }
            };
            more_due = claimed.len() == free;
            let mut first = Some(first);
            for probe in claimed {
                let permit = match first.take() {
                    Some(permit) => permit,
                    None => match permits.clone().acquire_owned().await {
                        Ok(permit) => permit,
                        Err(_) => return,
                    },
                };
                let (state, prober, gate, metrics) = (state.clone(), prober.clone(), gate.clone(), metrics.clone());
                tokio::spawn(async move {
                    run_one(&state, &prober, &gate, &metrics, &probe).await;
                    drop(permit);
                });
            }
        }
    })
}

/// Marks that monitoring runs (see `app::ssr::watch`), and closes automatic incidents that no
/// check watches any more.
async fn watch(state: &AppState) {
    match monitoring::reconcile_automatic_incidents(&state.db, Some(&state.hub), Utc::now()).await {
        Ok(0) => {}
        Ok(resolved) => tracing::info!(resolved, "resolved automatic incidents no check watches any more"),
        Err(error) => tracing::warn!(%error, "reconciling automatic incidents failed; will retry"),
    }
    match keep_watch(&state.db, Utc::now()).await {
        Ok(None) => {}
        Ok(Some(unobserved)) => tracing::warn!(
            from = %unobserved.start,
            to = %unobserved.end,
            "no Herald was checking in this time; monitored components show it as no data"
        ),
        Err(error) => tracing::warn!(%error, "marking that monitoring runs failed; will retry"),
    }
}

fn spawn_purge(state: AppState, retention_days: u32, cancel: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PURGE_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                _ = ticks.tick() => {}
            }
            let before = Utc::now() - TimeDelta::days(i64::from(retention_days));
            match monitoring::purge_results(&state.db, before, PURGE_BATCH).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "purged check results past their retention"),
                Err(error) => tracing::warn!(%error, "purging old check results failed; will retry"),
            }
        }
    })
}
