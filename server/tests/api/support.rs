//! Starting Herald for a test: a fresh database per test, the server on port 0.

use app::ssr::entities::{components, organizations};
use app::ssr::operations::{self, ComponentChoice};
use app::ssr::repositories::organizations::{self as organization_rows, NewOrganization};
use chrono::Utc;
use herald::{ComponentStatus, Locale, Name, Slug, TimeZoneName};
use herald_server::application::{Application, open_database};
use herald_server::config::{Config, LogFormat};
use herald_server::database::DatabaseTarget;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

pub const POSTGRES_ENV: &str = "HERALD_TEST_DATABASE_URL";
/// The `/metrics` token every test server is started with.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";
/// The instance key tests run with, so they can derive manage tokens themselves.
pub const TEST_SECRET_KEY: &str = "test-secret-key-0123456789abcdefghijklmnop";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDatabase {
    pub target: DatabaseTarget,
    /// Keeps the SQLite file's directory alive.
    _dir: Option<tempfile::TempDir>,
    /// The PostgreSQL database to drop, with the admin URL to drop it from.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// `None` when the backend is not available here (PostgreSQL without its env var).
    pub async fn create(backend: Backend) -> Option<TestDatabase> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let path = dir.path().join("herald.db");
                Some(TestDatabase { target: DatabaseTarget::Sqlite { path }, _dir: Some(dir), postgres: None })
            }
            Backend::Postgres => {
                let admin_url = std::env::var(POSTGRES_ENV).ok().filter(|url| !url.is_empty())?;
                let name = format!("herald_test_{}", uuid_like());
                let admin = Database::connect(&admin_url).await.expect("connect to HERALD_TEST_DATABASE_URL");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create a test database");
                admin.close().await.ok();
                let mut url = url::Url::parse(&admin_url).expect("HERALD_TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                let target = DatabaseTarget::parse(url.as_str()).expect("a PostgreSQL target");
                Some(TestDatabase { target, _dir: None, postgres: Some((admin_url, name)) })
            }
        }
    }

    pub fn url(&self) -> String {
        match &self.target {
            DatabaseTarget::Sqlite { path } => format!("sqlite://{}", path.display()),
            DatabaseTarget::Postgres { url, .. } => url.clone(),
        }
    }

    pub fn config(&self) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().expect("an address"),
            database: self.target.clone(),
            log_filter: "warn".into(),
            log_format: LogFormat::Text,
            site_root: None,
            max_connections: 4,
            shutdown_timeout: Duration::from_secs(5),
            public_url: None,
            metrics: herald_server::metrics::MetricsAccess::Token(METRICS_TOKEN.into()),
            api_rate_per_minute: herald_server::config::DEFAULT_API_RATE_PER_MINUTE,
            // Checks every second, so monitoring tests take seconds.
            monitoring: herald_server::monitoring::MonitoringConfig { min_interval_seconds: 1, ..Default::default() },
            notifications: herald_server::notifications::NotificationConfig::with_secret(TEST_SECRET_KEY),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else { return };
        // Drop cannot await; a short-lived runtime on its own thread does the cleanup.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await.ok()?;
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}_{}_{}", std::process::id(), nanos % 1_000_000_000_000, COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A running Herald.
pub struct TestApp {
    pub address: SocketAddr,
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    /// How this app was configured; a replica (or a restart) uses the same database.
    pub config: Config,
    /// Dropped with the app: removes the test database.
    _database: TestDatabase,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Stops this server (its workers too), leaving the database for a restart.
    pub fn stop_server(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("the server answers")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// A running Herald whose configuration the test adjusts first.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let database = TestDatabase::create(backend).await?;
    let mut config = database.config();
    configure(&mut config);
    let db = open_database(&config).await.expect("open and migrate the test database");
    let (address, stop) = start(&config, db.clone()).await;
    Some(TestApp { address, db, client: client(), config, _database: database, stop: Some(stop) })
}

/// Another server on the same database, as a second replica is: its own pool, hub, snapshots
/// and page cache. Stops when the returned sender is dropped.
pub async fn spawn_replica(app: &TestApp) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let db = open_database(&app.config).await.expect("open the shared database");
    start(&app.config, db).await
}

async fn start(config: &Config, db: DatabaseConnection) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let application = Application::build_with(config, db).await.expect("build the application");
    let address = application.address();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(application.run_until(async move {
        let _ = stopped.await;
    }));
    (address, stop)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("an HTTP client")
}

/// Runs the test body once per available database: `on_each_database!(name, |app| async move { ... })`
/// makes `name::sqlite` and `name::postgres`. Without HERALD_TEST_DATABASE_URL the PostgreSQL
/// variant says so on stderr and checks nothing.
#[macro_export]
macro_rules! on_each_database {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: $crate::support::TestApp) {
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::spawn_app($crate::support::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                body(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::support::spawn_app($crate::support::Backend::Postgres).await {
                    Some(app) => body(app).await,
                    None => eprintln!("skipped: set {} to run this test on PostgreSQL", $crate::support::POSTGRES_ENV),
                }
            }
        }
    };
}

/// Another organization with one operational component `api`, beside whatever the test made.
pub async fn insert_organization_with_api(db: &DatabaseConnection, slug: &str) -> organizations::Model {
    let now = Utc::now();
    let new = NewOrganization {
        slug: Slug::parse(slug).expect("a valid slug"),
        name: Name::parse(format!("{slug} Inc")).expect("a valid name"),
        tagline: None,
        website_url: None,
        brand_colour: None,
        default_locale: Locale::En,
        time_zone: TimeZoneName::parse("UTC").expect("a valid time zone"),
    };
    let organization = organization_rows::insert(db, new, now).await.expect("insert an organization");
    insert_component(db, organization.id, "api", "Their API").await;
    organization
}

/// An operational component of an organization.
pub async fn insert_component(
    db: &DatabaseConnection,
    organization_id: i64,
    key: &str,
    name: &str,
) -> components::Model {
    let now = Utc::now();
    let position = components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .count(db)
        .await
        .expect("count components");
    components::ActiveModel {
        organization_id: Set(organization_id),
        key: Set(key.into()),
        name: Set(name.into()),
        status: Set("operational".into()),
        status_source: Set("manual".into()),
        status_changed_at: Set(now),
        position: Set(i32::try_from(position).expect("few components")),
        showcase: Set(true),
        only_show_if_degraded: Set(false),
        show_uptime: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("insert a component")
}

/// Gives the demo organization a custom domain, and makes a change so that servers reread
/// their domain maps now rather than within 30 s (the settings change #4 will record would).
pub async fn give_demo_a_domain(db: &DatabaseConnection, domain: &str) {
    let demo = organizations::Entity::find()
        .filter(organizations::Column::Slug.eq("demo"))
        .one(db)
        .await
        .expect("query organizations")
        .expect("the demo exists");
    let mut demo: organizations::ActiveModel = demo.into();
    demo.custom_domain = Set(Some(domain.into()));
    demo.update(db).await.expect("set the custom domain");
    let choice = ComponentChoice { key: "search".into(), status: Some(ComponentStatus::Operational) };
    operations::set_component_status(db, "demo", &choice, Utc::now()).await.expect("change a status");
}

/// Polls `probe` until it returns `Some`, or fails the test after `limit`, saying what waited.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(started.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
