//! Data access as plain functions over a connection or transaction. Each returns entity
//! models; turning them into what a page shows happens in the use cases.

pub mod audit;
pub mod components;
pub mod incidents;
pub mod instance;
pub mod maintenances;
pub mod memberships;
pub mod organizations;
pub mod users;

use herald::UnknownValue;
use std::str::FromStr;

/// Reads an enum stored as text. A value the code does not know means the database was
/// written by something else; that is an internal error, reported with the table and value.
pub fn stored<T: FromStr<Err = UnknownValue>>(value: &str) -> Result<T, crate::error::AppError> {
    value.parse::<T>().map_err(super::internal("reading a stored enum value"))
}

/// Starts a transaction that will write. On SQLite it takes the write lock at `BEGIN`
/// (IMMEDIATE): a transaction that first reads and then writes would otherwise fail with
/// "database is locked" when another writer committed in between, instead of waiting its turn.
pub async fn begin_write(db: &sea_orm::DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
