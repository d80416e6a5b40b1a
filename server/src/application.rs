//! A ready-to-run Herald: database open and migrated, site loaded, port bound. `herald serve`
//! and the integration tests start the server the same way.

use crate::admin_api::auth::ApiRateLimiter;
use crate::api_cache::ApiCache;
use crate::assets::{AssetSource, SiteAssets};
use crate::config::Config;
use crate::custom_domain::CustomDomains;
use crate::database::{self, DatabaseError};
use crate::metrics::{CheckMetrics, HttpMetrics};
use crate::notifications::channels::Channels;
use crate::notifications::mailer::{AccountMail, Mailer};
use crate::notifications::worker::Notifier;
use crate::page_cache::{FrontDoor, PageCache};
use crate::startup::{self, ServerState};
use crate::workers;
use app::ssr::AppState;
use sea_orm::DatabaseConnection;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    #[error("{0}")]
    Database(#[from] DatabaseError),
    #[error("{0}")]
    Listen(String),
    #[error("{0}")]
    Assets(String),
    #[error("{0}")]
    Notifications(String),
}

pub struct Application {
    listener: TcpListener,
    service: FrontDoor,
    address: SocketAddr,
    state: AppState,
    page_cache: Arc<PageCache>,
    api_cache: Arc<ApiCache>,
    domains: Arc<CustomDomains>,
    stopping: CancellationToken,
    shutdown_timeout: Duration,
    monitoring: crate::monitoring::MonitoringConfig,
    check_metrics: Arc<CheckMetrics>,
    notifier: Arc<Notifier>,
    reminder_before: chrono::TimeDelta,
}

fn mail_from(config: &Config) -> Result<lettre::message::Mailbox, StartupError> {
    let from = &config.notifications.mail_from;
    from.parse().map_err(|_| StartupError::Notifications(format!("HERALD_MAIL_FROM \"{from}\" is not an address.")))
}

/// Password reset links and invitations go through their own connection pool, so a burst of
/// notifications never delays the person waiting for their link.
fn account_mail(config: &Config) -> Result<AccountMail, StartupError> {
    let mailer = Mailer::new(&config.notifications.mail).map_err(|error| StartupError::Notifications(error.0))?;
    Ok(AccountMail::new(mailer, mail_from(config)?))
}

fn notifier(config: &Config, state: &AppState) -> Result<Notifier, StartupError> {
    let settings = &config.notifications;
    let mailer = Mailer::new(&settings.mail).map_err(|error| StartupError::Notifications(error.0))?;
    let from = mail_from(config)?;
    tracing::info!(transport = mailer.describe(), "email transport ready");
    let channels = Channels::new(mailer, from, settings.block_private_targets, settings.telegram_api_url.clone());
    Ok(Notifier::new(state.db.clone(), channels, state.keyring.clone(), state.public_url.clone(), settings.concurrency))
}

impl Application {
    pub async fn build(config: &Config) -> Result<Application, StartupError> {
        let db = open_database(config).await?;
        Self::build_with(config, db).await
    }

    /// Builds around an already opened and migrated database.
    pub async fn build_with(config: &Config, db: DatabaseConnection) -> Result<Application, StartupError> {
        let assets = SiteAssets::load(config.site_root.as_deref()).map_err(|error| {
            StartupError::Assets(format!("Cannot read the site's files: {error}; check HERALD_SITE_ROOT."))
        })?;
        match assets.source() {
            AssetSource::Embedded => tracing::info!(files = assets.len(), "serving the site built into herald"),
            AssetSource::Directory(dir) => {
                tracing::info!(files = assets.len(), dir = %dir.display(), "serving the site from disk")
            }
            AssetSource::Missing => tracing::warn!(
                "this herald was built without its site (wasm, JS, CSS): pages render without styles or interactivity; build with `cargo leptos build --release`"
            ),
        }

        let listener = TcpListener::bind(config.listen).await.map_err(|error| {
            StartupError::Listen(format!(
                "Cannot listen on {} ({error}); stop the program using it or set HERALD_LISTEN to another address, such as 127.0.0.1:3001.",
                config.listen
            ))
        })?;
        let address = listener.local_addr().map_err(|error| StartupError::Listen(error.to_string()))?;
        let leptos_options = startup::leptos_options(address);
        let mut app_state = AppState::new(db.clone(), leptos_options.clone());
        app_state.check_intervals = config.monitoring.interval_bounds();
        app_state.keyring = config.notifications.load_keyring().map_err(StartupError::Notifications)?;
        app_state.public_url = config.public_url_or(address);
        app_state.subscription_rules.block_private_targets = config.notifications.block_private_targets;
        app_state.account_mail = Some(Arc::new(account_mail(config)?));
        let notifier = Arc::new(notifier(config, &app_state)?);
        let stopping = CancellationToken::new();
        let api_cache = Arc::new(ApiCache::new(app_state.snapshots.clone(), db.clone(), config.public_url_or(address)));
        let http_metrics = Arc::new(HttpMetrics::default());
        let check_metrics = Arc::new(CheckMetrics::default());
        let state = ServerState {
            app: app_state.clone(),
            assets: Arc::new(assets),
            leptos_options,
            db: db.clone(),
            shutdown: stopping.clone(),
            api_cache: api_cache.clone(),
            metrics_access: config.metrics.clone(),
            http_metrics: http_metrics.clone(),
            check_metrics: check_metrics.clone(),
            api_limiter: Arc::new(ApiRateLimiter::per_minute(config.api_rate_per_minute)),
            subscribe_limiter: crate::routes::subscriptions::limiter(),
        };
        let renderer = startup::renderer(state);
        let page_cache = Arc::new(PageCache::new(renderer.clone(), app_state.snapshots.clone(), db.clone()));
        let domains = Arc::new(CustomDomains::new(db));
        if let Err(error) = domains.reload().await {
            tracing::warn!(%error, "reading custom domains failed; retrying in the background");
        }
        Ok(Application {
            listener,
            service: startup::service(renderer, page_cache.clone(), api_cache.clone(), domains.clone(), http_metrics),
            address,
            state: app_state,
            page_cache,
            api_cache,
            domains,
            stopping,
            shutdown_timeout: config.shutdown_timeout,
            monitoring: config.monitoring.clone(),
            check_metrics,
            notifier,
            reminder_before: config.notifications.reminder_before,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Serves, with the background workers running beside it, until `shutdown` resolves.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let db = self.state.db.clone();
        let mut workers =
            workers::spawn(&self.state, self.page_cache, self.api_cache, self.domains, self.stopping.clone());
        workers.extend(crate::monitoring::spawn(
            &self.state,
            &self.monitoring,
            self.check_metrics.clone(),
            self.stopping.clone(),
        ));
        workers.push(crate::notifications::worker::spawn(
            self.notifier.clone(),
            self.reminder_before,
            self.stopping.clone(),
        ));
        let stopping = self.stopping.clone();
        let shutdown = async move {
            shutdown.await;
            // Live sockets never finish on their own: tell them to close so the graceful
            // shutdown does not wait for them.
            stopping.cancel();
        };
        let result = startup::serve(self.listener, self.service, shutdown, self.shutdown_timeout).await;
        self.stopping.cancel();
        for worker in workers {
            let _ = tokio::time::timeout(Duration::from_secs(5), worker).await;
        }
        if let Err(error) = db.close().await {
            tracing::warn!(%error, "closing the database pool");
        }
        result
    }
}

/// Connects and brings the schema up to date.
pub async fn open_database(config: &Config) -> Result<DatabaseConnection, StartupError> {
    tracing::info!(database = %config.database.describe(), "opening the database");
    let db = database::connect(&config.database, config.max_connections).await?;
    let applied = database::migrate(&db).await?;
    if applied > 0 {
        tracing::info!(applied, "database schema migrated");
    }
    Ok(db)
}
