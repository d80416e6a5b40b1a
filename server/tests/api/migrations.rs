use crate::support::{Backend, TestDatabase};
use herald_server::database;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

const TABLES: &[&str] = &[
    "instance",
    "organizations",
    "users",
    "memberships",
    "invitations",
    "sessions",
    "password_resets",
    "login_attempts",
    "api_tokens",
    "component_groups",
    "components",
    "component_status_intervals",
    "incidents",
    "incident_components",
    "incident_updates",
    "incident_update_components",
    "maintenances",
    "maintenance_components",
    "maintenance_updates",
    "monitors",
    "check_results",
    "check_rollups",
    "uptime_rollups",
    "subscribers",
    "subscriber_components",
    "events",
    "notification_outbox",
    "templates",
    "template_components",
    "audit_log",
    "alert_sources",
    "alerts",
    "slug_redirects",
    "monitoring_watch",
];

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'"
        }
        _ => "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'seaql_migrations'",
    };
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    let mut names: Vec<String> = rows.iter().map(|row| row.try_get::<String>("", "name").unwrap()).collect();
    names.sort();
    names
}

async fn up_down_up(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        eprintln!("skipped: set {} to run this test on PostgreSQL", crate::support::POSTGRES_ENV);
        return;
    };
    let db = database::connect(&test_db.target, 4).await.unwrap();

    let applied = database::migrate(&db).await.unwrap();
    assert_eq!(applied, Migrator::migrations().len());
    let mut expected: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
    expected.sort();
    assert_eq!(tables(&db).await, expected);

    assert_eq!(database::migrate(&db).await.unwrap(), 0, "a second run has nothing to do");

    Migrator::down(&db, None).await.unwrap();
    assert!(tables(&db).await.is_empty(), "every table is dropped by the down migrations");

    assert_eq!(database::migrate(&db).await.unwrap(), Migrator::migrations().len());
    assert_eq!(tables(&db).await, expected);
}

#[tokio::test]
async fn migrations_go_up_down_and_up_on_sqlite() {
    up_down_up(Backend::Sqlite).await;
}

#[tokio::test]
async fn migrations_go_up_down_and_up_on_postgres() {
    up_down_up(Backend::Postgres).await;
}

/// Two replicas starting together against one PostgreSQL must not both try to migrate.
#[tokio::test]
async fn concurrent_migrations_on_postgres_serialise() {
    let Some(test_db) = TestDatabase::create(Backend::Postgres).await else {
        eprintln!("skipped: set {} to run this test on PostgreSQL", crate::support::POSTGRES_ENV);
        return;
    };
    let first = database::connect(&test_db.target, 4).await.unwrap();
    let second = database::connect(&test_db.target, 4).await.unwrap();
    let (a, b) = tokio::join!(database::migrate(&first), database::migrate(&second));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, Migrator::migrations().len(), "exactly one replica applied the migrations");
    assert!(a == 0 || b == 0);
}
