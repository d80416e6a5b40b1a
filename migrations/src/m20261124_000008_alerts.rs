//! The alerts alert sources have delivered, one row per source and fingerprint: what lets a
//! repeated delivery be recognised, and an incident resolve only once every alert about its
//! component has.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut alerts = Table::create();
        alerts.table("alerts").col(id());
        owned_by_organization("alerts", &mut alerts);
        alerts
            .col(reference("alert_source_id"))
            .foreign_key(&mut foreign_key("alerts", "alert_source_id", "alert_sources", OnDelete::Cascade))
            .col(string_len("fingerprint", 255))
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key("alerts", "component_id", "components", OnDelete::Cascade))
            // firing or resolved
            .col(code("state", 16))
            .col(string_len("title", 200))
            .col(string_len_null("severity", 32))
            .col(instant("first_fired_at"))
            .col(instant("last_received_at"));
        create_table_with_indexes(
            manager,
            alerts,
            vec![
                unique_index("alerts", &["alert_source_id", "fingerprint"]),
                index("alerts", &["organization_id", "component_id", "state"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["alerts"]).await
    }
}
