//! Incident and maintenance templates, the audit log, and the alert sources (Alertmanager,
//! Grafana, generic) that may open incidents.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer_null, json_null, string_len, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut templates = Table::create();
        templates.table("templates").col(id());
        owned_by_organization("templates", &mut templates);
        templates
            .col(code("key", 64))
            // incident or maintenance
            .col(code("kind", 16))
            .col(string_len("name", 100))
            .col(string_len("title", 200))
            .col(text("body"))
            .col(code_null("default_impact", 16))
            .col(code_null("default_status", 16))
            .col(version());
        timestamps(&mut templates);
        create_table_with_indexes(manager, templates, vec![unique_index("templates", &["organization_id", "key"])])
            .await?;

        let mut template_components = Table::create();
        template_components
            .table("template_components")
            .col(reference("template_id"))
            .foreign_key(&mut foreign_key("template_components", "template_id", "templates", OnDelete::Cascade))
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key("template_components", "component_id", "components", OnDelete::Cascade))
            .primary_key(Index::create().col("template_id").col("component_id"));
        manager.create_table(template_components).await?;

        let mut audit = Table::create();
        audit
            .table("audit_log")
            .col(id())
            // NULL for instance-level actions (creating an organization, the first admin).
            .col(reference_null("organization_id"))
            .foreign_key(&mut foreign_key("audit_log", "organization_id", "organizations", OnDelete::Cascade))
            .col(reference_null("actor_user_id"))
            .foreign_key(&mut foreign_key("audit_log", "actor_user_id", "users", OnDelete::SetNull))
            .col(reference_null("actor_api_token_id"))
            .foreign_key(&mut foreign_key("audit_log", "actor_api_token_id", "api_tokens", OnDelete::SetNull))
            // Who it was, as shown at the time (email, token name, "monitor", "system"): still
            // readable after the account or token is gone.
            .col(string_len("actor_label", 254))
            .col(code("action", 64))
            .col(code("entity_type", 32))
            .col(big_integer_null("entity_id"))
            .col(json_null("before"))
            .col(json_null("after"))
            .col(code_null("ip", 45))
            .col(instant("created_at"));
        create_table_with_indexes(
            manager,
            audit,
            vec![
                index("audit_log", &["organization_id", "created_at"]),
                index("audit_log", &["organization_id", "entity_type", "entity_id"]),
            ],
        )
        .await?;

        let mut alert_sources = Table::create();
        alert_sources.table("alert_sources").col(id());
        owned_by_organization("alert_sources", &mut alert_sources);
        alert_sources
            // alertmanager, grafana, generic
            .col(code("kind", 16))
            .col(string_len("name", 100))
            .col(code("token_prefix", 16))
            .col(code("token_hash", 64).unique_key())
            // The alert label naming the component (e.g. `component=api`).
            .col(code("component_label", 64).default("component"))
            .col(instant("created_at"))
            .col(instant_null("last_received_at"))
            .col(instant_null("revoked_at"));
        create_table_with_indexes(manager, alert_sources, vec![index("alert_sources", &["organization_id"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["alert_sources", "audit_log", "template_components", "templates"]).await
    }
}
