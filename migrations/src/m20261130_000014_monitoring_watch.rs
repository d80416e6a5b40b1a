//! When monitoring last ran on any replica. A restart after a long stop finds the time nobody
//! was checking, so that time shows as no data instead of as whatever components said last.

use crate::columns::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut watch = Table::create();
        // One row, id 1.
        watch
            .table("monitoring_watch")
            .col(ColumnDef::new("id").integer().not_null().primary_key())
            .col(instant("seen_at"));
        create_table_with_indexes(manager, watch, vec![]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["monitoring_watch"]).await
    }
}
