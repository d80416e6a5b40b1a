//! Herald's database schema, as sea-orm migrations.
//!
//! The same migrations run on SQLite (the embedded default) and PostgreSQL, at server start-up
//! and from `herald migrate`. Each file is one change; a file that has shipped is never edited.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261123_000001_organizations_and_accounts;
mod m20261123_000002_components;
mod m20261123_000003_incidents;
mod m20261123_000004_maintenance;
mod m20261123_000005_monitoring;
mod m20261123_000006_subscribers_and_outbox;
mod m20261123_000007_templates_audit_alerts;
mod m20261124_000008_alerts;
mod m20261125_000009_api_token_roles;
mod m20261130_000010_monitor_state;
mod m20261130_000011_check_rollups;
mod m20261130_000012_delivery_outbox;
mod m20261130_000013_slug_redirects;
mod m20261130_000014_monitoring_watch;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_organizations_and_accounts::Migration),
            Box::new(m20261123_000002_components::Migration),
            Box::new(m20261123_000003_incidents::Migration),
            Box::new(m20261123_000004_maintenance::Migration),
            Box::new(m20261123_000005_monitoring::Migration),
            Box::new(m20261123_000006_subscribers_and_outbox::Migration),
            Box::new(m20261123_000007_templates_audit_alerts::Migration),
            Box::new(m20261124_000008_alerts::Migration),
            Box::new(m20261125_000009_api_token_roles::Migration),
            Box::new(m20261130_000010_monitor_state::Migration),
            Box::new(m20261130_000011_check_rollups::Migration),
            Box::new(m20261130_000012_delivery_outbox::Migration),
            Box::new(m20261130_000013_slug_redirects::Migration),
            Box::new(m20261130_000014_monitoring_watch::Migration),
        ]
    }
}
