//! What a monitor remembers between results beyond its counters: the status it gives its
//! component, its flapping bookkeeping, its last latency, and when a heartbeat last pinged.
//! One column per statement: SQLite adds only one column per ALTER TABLE.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::integer_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn added() -> Vec<ColumnDef> {
    vec![
        code("status", 32).default("no_data").to_owned(),
        count("flap_transitions", 0),
        instant_null("flap_window_started_at"),
        instant_null("flapping_since"),
        integer_null("last_latency_ms"),
        instant_null("last_ping_at"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in added() {
            manager.alter_table(Table::alter().table("monitors").add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in added() {
            let name = column.get_column_name();
            manager.alter_table(Table::alter().table("monitors").drop_column(Alias::new(name)).to_owned()).await?;
        }
        Ok(())
    }
}
