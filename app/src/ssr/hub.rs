//! The live hub: one place where every committed change arrives, whichever process or replica
//! made it, and from which live pages are pushed to their viewers.
//!
//! Changes are read from the `events` table by one change feed per process: it wakes on
//! PostgreSQL's LISTEN/NOTIFY (so a change on one replica reaches viewers on every replica), on
//! a nudge from this process after it commits, and on a short poll (SQLite, where other
//! processes such as `herald incident` cannot notify).

use super::entities::events;
use super::events::NOTIFY_CHANNEL;
use herald::EventKind;
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, broadcast};
use tokio_util::sync::CancellationToken;

/// A committed change to one organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub organization_id: i64,
    pub event_id: i64,
    pub kind: Option<EventKind>,
}

#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

struct Inner {
    changes: broadcast::Sender<Change>,
    wake: Notify,
    pages: Mutex<HashMap<i64, broadcast::Sender<Arc<str>>>>,
}

/// Messages a slow viewer may fall behind by before it is resynchronised with the latest page.
const PAGE_BACKLOG: usize = 16;

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    pub fn new() -> Hub {
        let (changes, _) = broadcast::channel(1024);
        Hub { inner: Arc::new(Inner { changes, wake: Notify::new(), pages: Mutex::new(HashMap::new()) }) }
    }

    /// Asks the change feed to look now; call after committing a change.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    pub fn subscribe_changes(&self) -> broadcast::Receiver<Change> {
        self.inner.changes.subscribe()
    }

    fn announce(&self, change: Change) {
        // No subscriber yet is fine: nothing is cached that could be stale.
        let _ = self.inner.changes.send(change);
    }

    /// A viewer's subscription to an organization's live page messages.
    pub fn subscribe_page(&self, organization_id: i64) -> broadcast::Receiver<Arc<str>> {
        let mut pages = self.inner.pages.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        pages.entry(organization_id).or_insert_with(|| broadcast::channel(PAGE_BACKLOG).0).subscribe()
    }

    /// Sends one serialised message to every viewer of the organization; each viewer's own task
    /// writes it to its socket, so a slow viewer never delays the others.
    pub fn publish_page(&self, organization_id: i64, message: Arc<str>) {
        let mut pages = self.inner.pages.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(sender) = pages.get(&organization_id)
            && sender.send(message).is_err()
        {
            pages.remove(&organization_id);
        }
    }

    /// Live viewers of every organization someone is watching.
    pub fn all_viewers(&self) -> Vec<(i64, usize)> {
        let pages = self.inner.pages.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        pages.iter().map(|(organization_id, sender)| (*organization_id, sender.receiver_count())).collect()
    }

    pub fn viewers(&self, organization_id: i64) -> usize {
        let pages = self.inner.pages.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        pages.get(&organization_id).map_or(0, broadcast::Sender::receiver_count)
    }
}

/// How long an id skipped in the sequence is looked for again: a transaction that took its id
/// earlier may commit later than one that took a higher id.
const GAP_PATIENCE: Duration = Duration::from_secs(60);

/// Reads events committed since the last look and announces them.
pub struct ChangeFeed {
    last_seen: i64,
    gaps: BTreeMap<i64, Instant>,
}

impl ChangeFeed {
    /// Starts after the newest event: what happened before is already in the database that
    /// every page is built from.
    pub async fn start(db: &DatabaseConnection) -> Result<ChangeFeed, DbErr> {
        let newest: Option<i64> = events::Entity::find()
            .select_only()
            .column(events::Column::Id)
            .order_by_desc(events::Column::Id)
            .limit(1)
            .into_tuple()
            .one(db)
            .await?;
        Ok(ChangeFeed { last_seen: newest.unwrap_or(0), gaps: BTreeMap::new() })
    }

    /// Announces every newly visible event; returns how many.
    pub async fn run_once(&mut self, db: &DatabaseConnection, hub: &Hub) -> Result<usize, DbErr> {
        let now = Instant::now();
        self.gaps.retain(|_, since| now.duration_since(*since) < GAP_PATIENCE);
        let mut condition = sea_orm::Condition::any().add(events::Column::Id.gt(self.last_seen));
        if !self.gaps.is_empty() {
            condition = condition.add(events::Column::Id.is_in(self.gaps.keys().copied()));
        }
        let rows: Vec<(i64, i64, String)> = events::Entity::find()
            .select_only()
            .column(events::Column::Id)
            .column(events::Column::OrganizationId)
            .column(events::Column::Kind)
            .filter(condition)
            .order_by_asc(events::Column::Id)
            .limit(1000)
            .into_tuple()
            .all(db)
            .await?;
        for (id, organization_id, kind) in &rows {
            if self.gaps.remove(id).is_none() {
                for missing in (self.last_seen + 1)..*id {
                    self.gaps.insert(missing, now);
                }
                self.last_seen = self.last_seen.max(*id);
            }
            hub.announce(Change { organization_id: *organization_id, event_id: *id, kind: kind.parse().ok() });
        }
        Ok(rows.len())
    }
}

/// Runs the change feed until `cancel`.
pub fn spawn_change_feed(db: DatabaseConnection, hub: Hub, cancel: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut feed = loop {
            match ChangeFeed::start(&db).await {
                Ok(feed) => break feed,
                Err(error) => {
                    tracing::warn!(%error, "change feed cannot start yet; retrying");
                    tokio::select! {
                        () = cancel.cancelled() => return,
                        () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
            }
        };
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        let mut listener = if postgres { listen(&db).await } else { None };
        // With LISTEN the poll is only a safety net; SQLite relies on it for other processes.
        let poll = if listener.is_some() { Duration::from_secs(5) } else { Duration::from_millis(250) };
        loop {
            if let Err(error) = feed.run_once(&db, &hub).await {
                tracing::warn!(%error, "reading new events failed; will retry");
            }
            let notified = async {
                match listener.as_mut() {
                    Some(listener) => {
                        if let Err(error) = listener.recv().await {
                            tracing::warn!(%error, "PostgreSQL notification listener failed; polling until it recovers");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = cancel.cancelled() => return,
                () = hub.inner.wake.notified() => {}
                () = notified => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    })
}

async fn listen(db: &DatabaseConnection) -> Option<sea_orm::sqlx::postgres::PgListener> {
    let pool = db.get_postgres_connection_pool();
    match sea_orm::sqlx::postgres::PgListener::connect_with(pool).await {
        Ok(mut listener) => match listener.listen(NOTIFY_CHANNEL).await {
            Ok(()) => Some(listener),
            Err(error) => {
                tracing::warn!(%error, "cannot LISTEN for changes from other replicas; polling instead");
                None
            }
        },
        Err(error) => {
            tracing::warn!(%error, "cannot open a PostgreSQL listener; polling instead");
            None
        }
    }
}
