//! Per-check hourly figures (runs, failures, average and 95th-percentile latency), so a
//! check's 24-hour and 7-day charts read 168 rows instead of thousands of raw results, and
//! outlive the raw results' retention.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::double_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut rollups = Table::create();
        rollups.table("check_rollups").col(id());
        owned_by_organization("check_rollups", &mut rollups);
        rollups
            .col(reference("monitor_id"))
            .foreign_key(&mut foreign_key("check_rollups", "monitor_id", "monitors", OnDelete::Cascade))
            .col(instant("hour_start"))
            .col(count("check_count", 0))
            .col(count("failure_count", 0))
            .col(double_null("latency_avg_ms"))
            .col(double_null("latency_p95_ms"));
        create_table_with_indexes(
            manager,
            rollups,
            vec![
                unique_index("check_rollups", &["monitor_id", "hour_start"]),
                index("check_rollups", &["organization_id", "hour_start"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["check_rollups"]).await
    }
}
