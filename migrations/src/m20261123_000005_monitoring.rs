//! Monitoring: checks (HTTP, TCP, DNS, heartbeat) with their scheduling state, raw results
//! (kept for a retention window) and the hourly/daily roll-ups that keep 90-day and 400-day
//! figures cheap.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, double_null, integer, integer_null, json, string_len, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut monitors = Table::create();
        monitors.table("monitors").col(id());
        owned_by_organization("monitors", &mut monitors);
        monitors
            .col(reference_null("component_id"))
            .foreign_key(&mut foreign_key("monitors", "component_id", "components", OnDelete::SetNull))
            .col(code("key", 64))
            .col(string_len("name", 100))
            .col(code("kind", 16))
            // Kind-specific settings (URL, method, headers, expected status, host, port, record…).
            .col(json("config"))
            .col(integer("interval_seconds"))
            .col(integer("timeout_ms"))
            .col(integer_null("degraded_latency_ms"))
            .col(code("failure_status", 32).default("major_outage"))
            // Quick re-checks after a first failure before the failure counts.
            .col(count("confirmations", 3))
            // Consecutive confirmed failures before an automatic incident opens.
            .col(count("incident_threshold", 3))
            .col(count("recovery_minutes", 5))
            .col(flag("auto_incident", true))
            .col(flag("paused", false))
            .col(code_null("heartbeat_token_hash", 64).unique_key())
            .col(instant("next_run_at"))
            .col(instant_null("last_checked_at"))
            .col(code_null("last_outcome", 16))
            .col(text_null("last_error"))
            .col(count("consecutive_failures", 0))
            .col(count("consecutive_successes", 0))
            .col(instant_null("failing_since"))
            .col(instant_null("recovered_since"))
            .col(version());
        timestamps(&mut monitors);
        create_table_with_indexes(
            manager,
            monitors,
            vec![
                unique_index("monitors", &["organization_id", "key"]),
                index("monitors", &["component_id"]),
                // The scheduler's scan for due checks across all organizations.
                index("monitors", &["paused", "next_run_at"]),
            ],
        )
        .await?;

        let mut results = Table::create();
        results
            .table("check_results")
            .col(id())
            .col(reference("monitor_id"))
            .foreign_key(&mut foreign_key("check_results", "monitor_id", "monitors", OnDelete::Cascade))
            .col(reference("organization_id"))
            .col(reference_null("component_id"))
            .col(instant("checked_at"))
            .col(code("outcome", 16))
            .col(integer_null("latency_ms"))
            .col(integer_null("status_code"))
            .col(text_null("error"));
        create_table_with_indexes(
            manager,
            results,
            vec![
                index("check_results", &["monitor_id", "checked_at"]),
                // Retention purges in batches by age.
                index("check_results", &["checked_at"]),
            ],
        )
        .await?;

        let mut rollups = Table::create();
        rollups.table("uptime_rollups").col(id());
        owned_by_organization("uptime_rollups", &mut rollups);
        rollups
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key("uptime_rollups", "component_id", "components", OnDelete::Cascade))
            // "hour" or "day"; a day starts at local midnight in the organization's time zone.
            .col(code("period", 4))
            .col(instant("bucket_start"))
            .col(big_integer("operational_ms").default(0))
            .col(big_integer("degraded_ms").default(0))
            .col(big_integer("partial_ms").default(0))
            .col(big_integer("major_ms").default(0))
            .col(big_integer("maintenance_ms").default(0))
            .col(big_integer("no_data_ms").default(0))
            .col(count("check_count", 0))
            .col(count("failure_count", 0))
            .col(double_null("latency_avg_ms"))
            .col(double_null("latency_p95_ms"))
            .col(instant("updated_at"));
        create_table_with_indexes(
            manager,
            rollups,
            vec![
                unique_index("uptime_rollups", &["component_id", "period", "bucket_start"]),
                index("uptime_rollups", &["organization_id", "period", "bucket_start"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["uptime_rollups", "check_results", "monitors"]).await
    }
}
