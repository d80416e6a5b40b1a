//! The tasks that run beside the HTTP server. Each keeps all its state in the database, so a
//! restart loses nothing; each stops when the server does.

use crate::api_cache::ApiCache;
use crate::custom_domain::{self, CustomDomains};
use crate::page_cache::PageCache;
use app::ssr::AppState;
use app::ssr::{hub, maintenance, rollups, snapshots};
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often the scheduler looks for maintenance to start or complete.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(10);
/// How often missing daily roll-ups (a new day, a new component) are written.
const ROLLUPS_EVERY: Duration = Duration::from_secs(600);

pub fn spawn(
    state: &AppState,
    page_cache: Arc<PageCache>,
    api_cache: Arc<ApiCache>,
    domains: Arc<CustomDomains>,
    cancel: CancellationToken,
) -> Vec<JoinHandle<()>> {
    vec![
        hub::spawn_change_feed(state.db.clone(), state.hub.clone(), cancel.clone()),
        snapshots::spawn_snapshot_worker(state.db.clone(), state.hub.clone(), state.snapshots.clone(), cancel.clone()),
        spawn_page_refresher(state, page_cache, api_cache, domains.clone(), cancel.clone()),
        spawn_every(MAINTENANCE_EVERY, cancel.clone(), {
            let (db, hub) = (state.db.clone(), state.hub.clone());
            move || {
                let (db, hub) = (db.clone(), hub.clone());
                async move {
                    match maintenance::run_scheduler_once(&db, Some(&hub), Utc::now()).await {
                        Ok(0) => {}
                        Ok(transitions) => tracing::info!(transitions, "maintenance scheduler moved maintenance"),
                        Err(error) => tracing::warn!(%error, "maintenance scheduler failed; will retry"),
                    }
                }
            }
        }),
        spawn_every(custom_domain::RELOAD_EVERY, cancel.clone(), {
            let domains = domains.clone();
            move || {
                let domains = domains.clone();
                async move {
                    if let Err(error) = domains.reload().await {
                        tracing::warn!(%error, "reading custom domains failed; will retry");
                    }
                }
            }
        }),
        spawn_every(ROLLUPS_EVERY, cancel, {
            let db = state.db.clone();
            move || {
                let db = db.clone();
                async move {
                    match rollups::catch_up(&db, app::ssr::status_page::HEATMAP_DAYS, Utc::now()).await {
                        Ok(0) => {}
                        Ok(rows) => tracing::info!(rows, "wrote daily uptime roll-ups"),
                        Err(error) => tracing::warn!(%error, "writing daily uptime roll-ups failed; will retry"),
                    }
                }
            }
        }),
    ]
}

/// Runs `work` now and then every `period` until cancelled.
fn spawn_every<F, Fut>(period: Duration, cancel: CancellationToken, work: F) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                _ = ticks.tick() => work().await,
            }
        }
    })
}

/// Re-renders cached pages and API documents (and rereads custom domains) after an
/// organization's snapshot changed.
fn spawn_page_refresher(
    state: &AppState,
    page_cache: Arc<PageCache>,
    api_cache: Arc<ApiCache>,
    domains: Arc<CustomDomains>,
    cancel: CancellationToken,
) -> JoinHandle<()> {
    let mut rebuilt = state.snapshots.subscribe_rebuilt();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                received = rebuilt.recv() => match received {
                    Ok(change) => {
                        page_cache.refresh(change.organization_id).await;
                        api_cache.refresh(change.organization_id).await;
                        // The organization may have a new domain; one query, by this task alone.
                        if let Err(error) = domains.reload().await {
                            tracing::warn!(%error, "reading custom domains failed");
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    })
}
