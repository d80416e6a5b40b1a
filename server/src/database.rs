//! Choosing, opening and migrating the database, with errors that say what to do.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database `DATABASE_URL` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// An SQLite file (created on first start), or `:memory:`.
    Sqlite { path: PathBuf },
    /// A PostgreSQL server; `display` is the URL without its password, safe to log.
    Postgres { url: String, display: String },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct DatabaseError(pub String);

impl DatabaseTarget {
    pub fn parse(url: &str) -> Result<DatabaseTarget, DatabaseError> {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(DatabaseError(
                    "DATABASE_URL names no SQLite file; use sqlite://herald.db (relative to the working directory) or sqlite:///var/lib/herald/herald.db.".into(),
                ));
            }
            return Ok(DatabaseTarget::Sqlite { path: PathBuf::from(path) });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let parsed = url::Url::parse(url).map_err(|error| {
                DatabaseError(format!(
                    "DATABASE_URL is not a valid PostgreSQL URL ({error}); use postgres://user:password@host:5432/database."
                ))
            })?;
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(DatabaseError(
                    "DATABASE_URL names no PostgreSQL host; use postgres://user:password@host:5432/database.".into(),
                ));
            }
            let mut display = parsed.clone();
            if display.password().is_some() {
                let _ = display.set_password(Some("***"));
            }
            return Ok(DatabaseTarget::Postgres { url: url.to_owned(), display: display.to_string() });
        }
        let scheme = url.split(':').next().unwrap_or_default();
        Err(DatabaseError(format!(
            "DATABASE_URL uses \"{scheme}\", which Herald does not support; use sqlite://herald.db (the default) or postgres://user:password@host:5432/database."
        )))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseTarget::Sqlite { .. })
    }

    /// SQLite serialises writers anyway; PostgreSQL gains from more connections.
    pub fn default_max_connections(&self) -> u32 {
        match self {
            DatabaseTarget::Sqlite { .. } => 8,
            DatabaseTarget::Postgres { .. } => 16,
        }
    }

    /// What to call the database in logs and messages (never with a password).
    pub fn describe(&self) -> String {
        match self {
            DatabaseTarget::Sqlite { path } => format!("SQLite file {}", absolute(path).display()),
            DatabaseTarget::Postgres { display, .. } => format!("PostgreSQL at {display}"),
        }
    }

    fn is_memory(&self) -> bool {
        matches!(self, DatabaseTarget::Sqlite { path } if path.as_os_str() == ":memory:")
    }
}

/// Opens a connection pool, checking first what usually goes wrong so the message can say how
/// to fix it.
pub async fn connect(target: &DatabaseTarget, max_connections: u32) -> Result<DatabaseConnection, DatabaseError> {
    let mut options = match target {
        DatabaseTarget::Sqlite { path } => {
            if !target.is_memory() {
                check_sqlite_file(path)?;
            }
            let url = if target.is_memory() {
                "sqlite::memory:".to_owned()
            } else {
                format!("sqlite://{}?mode=rwc", path.display())
            };
            let mut options = ConnectOptions::new(url);
            options.map_sqlx_sqlite_opts(|sqlite| {
                // WAL lets readers work while a writer commits; the busy timeout makes writers
                // queue instead of failing with "database is locked".
                sqlite
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
            if target.is_memory() {
                // Every connection to :memory: would be a separate, empty database.
                options.max_connections(1).min_connections(1);
            } else {
                options.max_connections(max_connections);
            }
            options
        }
        DatabaseTarget::Postgres { url, .. } => {
            let mut options = ConnectOptions::new(url.clone());
            options.max_connections(max_connections).min_connections(1);
            options
        }
    };
    options.connect_timeout(Duration::from_secs(5)).acquire_timeout(Duration::from_secs(10)).sqlx_logging(false);

    let connection = sea_orm::Database::connect(options).await.map_err(|error| explain(target, &error))?;
    // Opening is lazy in places; a real statement proves the database answers and, for
    // SQLite, that the file can be written (WAL needs its side files).
    connection
        .execute_unprepared(if target.is_sqlite() { "PRAGMA user_version = 0" } else { "SELECT 1" })
        .await
        .map_err(|error| explain(target, &error))?;
    Ok(connection)
}

/// Brings the schema up to date. On PostgreSQL a transaction-scoped advisory lock makes
/// replicas that start together migrate one after the other instead of racing.
pub async fn migrate(db: &DatabaseConnection) -> Result<usize, DatabaseError> {
    let failed = |error: DbErr| DatabaseError(format!("Applying database migrations failed: {error}."));
    let lock = if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        let txn = db.begin().await.map_err(failed)?;
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(7249136110)").await.map_err(failed)?;
        Some(txn)
    } else {
        None
    };
    let pending = Migrator::get_pending_migrations(db).await.map_err(failed)?.len();
    if pending > 0 {
        Migrator::up(db, None).await.map_err(failed)?;
    }
    if let Some(txn) = lock {
        txn.commit().await.map_err(failed)?;
    }
    Ok(pending)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn check_sqlite_file(path: &Path) -> Result<(), DatabaseError> {
    let file = absolute(path);
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(DatabaseError(format!(
            "The directory {} for the SQLite database does not exist; create it, or set DATABASE_URL=sqlite:///path/to/herald.db.",
            dir.display()
        )));
    }
    let opened = if file.exists() {
        std::fs::OpenOptions::new().read(true).write(true).open(&file).map(|_| ())
    } else {
        // Create it now (SQLite would anyway) to learn whether the directory is writable.
        std::fs::OpenOptions::new().write(true).create_new(true).open(&file).map(|_| ())
    };
    opened.map_err(|error| {
        let what = if file.exists() {
            format!("The SQLite database file {} cannot be opened for writing ({error})", file.display())
        } else {
            format!("The SQLite database file {} cannot be created in {} ({error})", file.display(), dir.display())
        };
        DatabaseError(format!(
            "{what}; make it writable for the user running herald, or set DATABASE_URL=sqlite:///a/writable/dir/herald.db."
        ))
    })
}

/// One sentence for a connection failure, by its usual causes.
fn explain(target: &DatabaseTarget, error: &DbErr) -> DatabaseError {
    let detail = error.to_string();
    let lower = detail.to_lowercase();
    let message = match target {
        DatabaseTarget::Sqlite { .. }
            if lower.contains("readonly") || lower.contains("read-only") || lower.contains("unable to open") =>
        {
            format!(
                "The {} cannot be written ({detail}); give the user running herald write access to the file and its directory, or set DATABASE_URL to a writable location.",
                target.describe()
            )
        }
        DatabaseTarget::Sqlite { .. } => format!("The {} could not be opened: {detail}.", target.describe()),
        DatabaseTarget::Postgres { .. }
            if lower.contains("password authentication failed") || lower.contains("28p01") =>
        {
            format!("{} refused the user name or password in DATABASE_URL; check the credentials.", target.describe())
        }
        DatabaseTarget::Postgres { .. } if lower.contains("does not exist") && lower.contains("database") => format!(
            "The database named in DATABASE_URL does not exist on {}; create it (createdb) or correct the name.",
            target.describe()
        ),
        DatabaseTarget::Postgres { .. }
            if lower.contains("connection refused")
                || lower.contains("timed out")
                || lower.contains("failed to lookup")
                || lower.contains("name or service not known")
                || lower.contains("pool timed out") =>
        {
            format!(
                "Cannot reach {} ({detail}); check that PostgreSQL is running and that DATABASE_URL has the right host and port.",
                target.describe()
            )
        }
        DatabaseTarget::Postgres { .. } => format!("Connecting to {} failed: {detail}.", target.describe()),
    };
    DatabaseError(message)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sqlite_urls_in_their_usual_spellings() {
        for (url, path) in [
            ("sqlite://herald.db", "herald.db"),
            ("sqlite:herald.db", "herald.db"),
            ("sqlite:///var/lib/herald/herald.db", "/var/lib/herald/herald.db"),
            ("sqlite://data/herald.db?mode=rwc", "data/herald.db"),
            ("sqlite::memory:", ":memory:"),
        ] {
            assert_eq!(
                DatabaseTarget::parse(url).unwrap(),
                DatabaseTarget::Sqlite { path: PathBuf::from(path) },
                "{url}"
            );
        }
    }

    #[test]
    fn postgres_urls_keep_their_password_out_of_messages() {
        let target = DatabaseTarget::parse("postgres://herald:s3cret@db:5432/herald").unwrap();
        assert!(!target.describe().contains("s3cret"));
        assert!(target.describe().contains("db:5432"));
        assert!(DatabaseTarget::parse("postgresql://db/herald").is_ok());
    }

    #[test]
    fn malformed_urls_are_explained() {
        for (url, hint) in [
            ("mysql://localhost/herald", "\"mysql\""),
            ("sqlite://", "names no SQLite file"),
            ("postgres://", "names no PostgreSQL host"),
            ("postgres://[::1", "not a valid PostgreSQL URL"),
            ("herald.db", "sqlite://herald.db"),
        ] {
            let message = DatabaseTarget::parse(url).unwrap_err().to_string();
            assert!(message.contains(hint), "{url}: {message}");
            assert!(message.contains("DATABASE_URL"), "{url}: {message}");
        }
    }

    #[tokio::test]
    async fn a_missing_directory_is_reported_before_sqlite_is_tried() {
        let target = DatabaseTarget::parse("sqlite:///definitely/not/here/herald.db").unwrap();
        let error = connect(&target, 2).await.unwrap_err().to_string();
        assert!(error.contains("does not exist"), "{error}");
    }

    #[tokio::test]
    async fn an_unreachable_postgres_is_named_with_its_address() {
        // Port 9 (discard) is closed on loopback: the connection is refused at once.
        let target = DatabaseTarget::parse("postgres://herald:pw@127.0.0.1:9/herald").unwrap();
        let error = connect(&target, 2).await.unwrap_err().to_string();
        assert!(error.starts_with("Cannot reach PostgreSQL at"), "{error}");
        assert!(!error.contains("pw@"), "{error}");
    }
}
