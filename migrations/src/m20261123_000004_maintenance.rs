//! Scheduled maintenance: the window, its automatic transitions, the components it covers and
//! its own timeline of updates.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_null, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut maintenances = Table::create();
        maintenances.table("maintenances").col(id());
        owned_by_organization("maintenances", &mut maintenances);
        maintenances
            .col(string_len("name", 200))
            .col(code("status", 16))
            .col(instant("scheduled_start"))
            .col(instant("scheduled_end"))
            .col(flag("auto_start", true))
            .col(flag("auto_complete", true))
            .col(instant_null("started_at"))
            .col(instant_null("completed_at"))
            .col(instant_null("cancelled_at"))
            .col(instant_null("reminder_sent_at"))
            .col(reference_null("created_by_user_id"))
            .foreign_key(&mut foreign_key("maintenances", "created_by_user_id", "users", OnDelete::SetNull))
            .col(version());
        timestamps(&mut maintenances);
        create_table_with_indexes(
            manager,
            maintenances,
            vec![
                index("maintenances", &["organization_id", "scheduled_start"]),
                // The scheduler's scan across all organizations.
                index("maintenances", &["status", "scheduled_start"]),
            ],
        )
        .await?;

        let mut links = Table::create();
        links
            .table("maintenance_components")
            .col(reference("maintenance_id"))
            .foreign_key(&mut foreign_key(
                "maintenance_components",
                "maintenance_id",
                "maintenances",
                OnDelete::Cascade,
            ))
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key("maintenance_components", "component_id", "components", OnDelete::Cascade))
            .primary_key(Index::create().col("maintenance_id").col("component_id"));
        create_table_with_indexes(manager, links, vec![index("maintenance_components", &["component_id"])]).await?;

        let mut updates = Table::create();
        updates.table("maintenance_updates").col(id());
        owned_by_organization("maintenance_updates", &mut updates);
        updates
            .col(reference("maintenance_id"))
            .foreign_key(&mut foreign_key("maintenance_updates", "maintenance_id", "maintenances", OnDelete::Cascade))
            .col(code("status", 16))
            .col(text("body"))
            .col(flag("notify_subscribers", true))
            .col(reference_null("created_by_user_id"))
            .foreign_key(&mut foreign_key("maintenance_updates", "created_by_user_id", "users", OnDelete::SetNull))
            .col(string_len_null("created_by_label", 254))
            .col(instant("display_at"));
        timestamps(&mut updates);
        create_table_with_indexes(
            manager,
            updates,
            vec![index("maintenance_updates", &["maintenance_id", "display_at"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["maintenance_updates", "maintenance_components", "maintenances"]).await
    }
}
