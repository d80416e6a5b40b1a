//! The in-memory snapshot of each organization's status page. Pages, the live socket, badges
//! and the embed all read it, so a visit costs no database query; it is rebuilt when the
//! organization changes (and each minute, as today's uptime moves on).

use super::entities::organizations;
use super::hub::Hub;
use super::internal;
use super::status_page;
use crate::error::AppError;
use crate::model::{LiveMessage, StatusPage};
use chrono::Utc;
use sea_orm::{DatabaseConnection, EntityTrait};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

pub struct PageSnapshot {
    pub organization_id: i64,
    pub slug: String,
    pub page: Arc<StatusPage>,
    /// [`LiveMessage::Page`] serialised once, for every viewer.
    pub live_message: Arc<str>,
}

/// Said after an organization's snapshot was rebuilt, so caches built on it can follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub organization_id: i64,
}

#[derive(Clone)]
pub struct Snapshots {
    inner: Arc<Inner>,
}

struct Inner {
    by_slug: RwLock<HashMap<String, Arc<PageSnapshot>>>,
    /// One build at a time: a burst of first visits builds each page once.
    building: tokio::sync::Mutex<()>,
    rebuilt: broadcast::Sender<Rebuilt>,
}

impl Default for Snapshots {
    fn default() -> Self {
        Self::new()
    }
}

impl Snapshots {
    pub fn new() -> Snapshots {
        Snapshots {
            inner: Arc::new(Inner {
                by_slug: RwLock::new(HashMap::new()),
                building: tokio::sync::Mutex::new(()),
                rebuilt: broadcast::channel(256).0,
            }),
        }
    }

    pub fn cached(&self, slug: &str) -> Option<Arc<PageSnapshot>> {
        self.inner.by_slug.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(slug).cloned()
    }

    /// The snapshot of `slug`, built on first use. Unknown slugs are a 404 and are not cached.
    pub async fn get(&self, db: &DatabaseConnection, slug: &str) -> Result<Arc<PageSnapshot>, AppError> {
        if let Some(snapshot) = self.cached(slug) {
            return Ok(snapshot);
        }
        let _building = self.inner.building.lock().await;
        if let Some(snapshot) = self.cached(slug) {
            return Ok(snapshot);
        }
        let organization = status_page::organization(db, slug).await?;
        let snapshot = Arc::new(build(db, &organization).await?);
        self.store(snapshot.clone());
        Ok(snapshot)
    }

    fn store(&self, snapshot: Arc<PageSnapshot>) {
        let mut by_slug = self.inner.by_slug.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        // A renamed organization leaves its old slug behind.
        by_slug.retain(|_, cached| cached.organization_id != snapshot.organization_id);
        by_slug.insert(snapshot.slug.clone(), snapshot);
    }

    fn cached_organizations(&self) -> BTreeSet<i64> {
        let by_slug = self.inner.by_slug.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        by_slug.values().map(|snapshot| snapshot.organization_id).collect()
    }

    /// Rebuilds the organization's snapshot (if anyone looked at it), pushes it to live viewers,
    /// and tells the caches built on it.
    pub async fn rebuild(&self, db: &DatabaseConnection, hub: &Hub, organization_id: i64) -> Result<(), AppError> {
        let cached = self.cached_organizations().contains(&organization_id);
        if cached {
            let _building = self.inner.building.lock().await;
            match organizations::Entity::find_by_id(organization_id)
                .one(db)
                .await
                .map_err(internal("reloading an organization"))?
            {
                Some(organization) => {
                    let snapshot = Arc::new(build(db, &organization).await?);
                    hub.publish_page(organization_id, snapshot.live_message.clone());
                    self.store(snapshot);
                }
                None => {
                    let mut by_slug = self.inner.by_slug.write().unwrap_or_else(|poisoned| poisoned.into_inner());
                    by_slug.retain(|_, snapshot| snapshot.organization_id != organization_id);
                }
            }
        }
        let _ = self.inner.rebuilt.send(Rebuilt { organization_id });
        Ok(())
    }

    pub fn subscribe_rebuilt(&self) -> broadcast::Receiver<Rebuilt> {
        self.inner.rebuilt.subscribe()
    }
}

async fn build(db: &DatabaseConnection, organization: &organizations::Model) -> Result<PageSnapshot, AppError> {
    let page = status_page::build(db, organization, Utc::now()).await?;
    let live_message = serde_json::to_string(&LiveMessage::Page { page: Box::new(page.clone()) })
        .map_err(internal("serialising the live page"))?;
    Ok(PageSnapshot {
        organization_id: organization.id,
        slug: organization.slug.clone(),
        page: Arc::new(page),
        live_message: live_message.into(),
    })
}

/// How long changes to one organization are gathered before one rebuild covers them all.
const COALESCE: Duration = Duration::from_millis(50);
/// Rebuilds every cached page this often, as time passes (today's uptime, "in 2 hours").
const REFRESH: Duration = Duration::from_secs(60);

/// Follows the hub and keeps the snapshots current until `cancel`.
pub fn spawn_snapshot_worker(
    db: DatabaseConnection,
    hub: Hub,
    snapshots: Snapshots,
    cancel: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut changes = hub.subscribe_changes();
        let mut refresh = tokio::time::interval(REFRESH);
        refresh.tick().await;
        loop {
            let mut due = BTreeSet::new();
            tokio::select! {
                () = cancel.cancelled() => return,
                _ = refresh.tick() => due.extend(snapshots.cached_organizations()),
                received = changes.recv() => match received {
                    Ok(change) => {
                        due.insert(change.organization_id);
                        let gather = tokio::time::sleep(COALESCE);
                        tokio::pin!(gather);
                        loop {
                            tokio::select! {
                                () = &mut gather => break,
                                more = changes.recv() => match more {
                                    Ok(change) => { due.insert(change.organization_id); }
                                    Err(broadcast::error::RecvError::Lagged(_)) => due.extend(snapshots.cached_organizations()),
                                    Err(broadcast::error::RecvError::Closed) => return,
                                },
                            }
                        }
                    }
                    // Missed some: rebuild everything rather than guess.
                    Err(broadcast::error::RecvError::Lagged(_)) => due.extend(snapshots.cached_organizations()),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
            for organization_id in due {
                if let Err(error) = snapshots.rebuild(&db, &hub, organization_id).await {
                    tracing::warn!(organization_id, error = %error, "rebuilding a status page failed; serving the previous one");
                }
            }
        }
    })
}
