//! Incidents, the components they affect, and their timeline of updates with the component
//! status changes each update made.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_null, text, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut incidents = Table::create();
        incidents.table("incidents").col(id());
        owned_by_organization("incidents", &mut incidents);
        incidents
            .col(string_len("name", 200))
            .col(code("impact", 16))
            .col(code("status", 16))
            .col(code("source", 16).default("manual"))
            // Deduplication key of an automatic or alert incident (monitor, alert fingerprint).
            .col(string_len_null("external_key", 255))
            .col(instant("started_at"))
            .col(instant_null("identified_at"))
            .col(instant_null("monitoring_at"))
            .col(instant_null("resolved_at"))
            .col(instant("last_update_at"))
            .col(text_null("postmortem_body"))
            .col(instant_null("postmortem_published_at"))
            .col(reference_null("created_by_user_id"))
            .foreign_key(&mut foreign_key("incidents", "created_by_user_id", "users", OnDelete::SetNull))
            .col(version());
        timestamps(&mut incidents);
        let mut one_open_incident_per_key = unique_index("incidents", &["organization_id", "external_key"]);
        one_open_incident_per_key
            .name("uq_incidents_open_external_key")
            .and_where(Expr::col("resolved_at").is_null())
            .and_where(Expr::col("external_key").is_not_null());
        create_table_with_indexes(
            manager,
            incidents,
            vec![
                index("incidents", &["organization_id", "resolved_at"]),
                index("incidents", &["organization_id", "started_at"]),
                one_open_incident_per_key,
            ],
        )
        .await?;

        let mut links = Table::create();
        links
            .table("incident_components")
            .col(reference("incident_id"))
            .foreign_key(&mut foreign_key("incident_components", "incident_id", "incidents", OnDelete::Cascade))
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key("incident_components", "component_id", "components", OnDelete::Cascade))
            // The status this incident currently holds the component at; resolving derives each
            // component's status from what other open incidents and maintenances still hold.
            .col(code("component_status", 32))
            .primary_key(Index::create().col("incident_id").col("component_id"));
        create_table_with_indexes(manager, links, vec![index("incident_components", &["component_id"])]).await?;

        let mut updates = Table::create();
        updates.table("incident_updates").col(id());
        owned_by_organization("incident_updates", &mut updates);
        updates
            .col(reference("incident_id"))
            .foreign_key(&mut foreign_key("incident_updates", "incident_id", "incidents", OnDelete::Cascade))
            .col(code("status", 16))
            .col(text("body"))
            .col(flag("notify_subscribers", true))
            .col(reference_null("created_by_user_id"))
            .foreign_key(&mut foreign_key("incident_updates", "created_by_user_id", "users", OnDelete::SetNull))
            .col(string_len_null("created_by_label", 254))
            // The time the update is shown at: now for a live update, the past for a backfill.
            .col(instant("display_at"));
        timestamps(&mut updates);
        create_table_with_indexes(manager, updates, vec![index("incident_updates", &["incident_id", "display_at"])])
            .await?;

        let mut changes = Table::create();
        changes
            .table("incident_update_components")
            .col(id())
            .col(reference("incident_update_id"))
            .foreign_key(&mut foreign_key(
                "incident_update_components",
                "incident_update_id",
                "incident_updates",
                OnDelete::Cascade,
            ))
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key(
                "incident_update_components",
                "component_id",
                "components",
                OnDelete::Cascade,
            ))
            .col(code("old_status", 32))
            .col(code("new_status", 32));
        create_table_with_indexes(manager, changes, vec![index("incident_update_components", &["incident_update_id"])])
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["incident_update_components", "incident_updates", "incident_components", "incidents"])
            .await
    }
}
