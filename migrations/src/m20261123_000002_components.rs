//! What a status page shows: component groups, components, and the history of every
//! component's status as intervals — the single source of uptime figures and the heatmap.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{date_null, integer, string_len, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut groups = Table::create();
        groups.table("component_groups").col(id());
        owned_by_organization("component_groups", &mut groups);
        groups
            // Stable key for config as code: survives renames.
            .col(code("key", 64))
            .col(string_len("name", 100))
            .col(text_null("description"))
            .col(integer("position"))
            .col(flag("collapsed", false))
            .col(version());
        timestamps(&mut groups);
        create_table_with_indexes(
            manager,
            groups,
            vec![
                unique_index("component_groups", &["organization_id", "key"]),
                index("component_groups", &["organization_id", "position"]),
            ],
        )
        .await?;

        let mut components = Table::create();
        components.table("components").col(id());
        owned_by_organization("components", &mut components);
        components
            .col(reference_null("group_id"))
            .foreign_key(&mut foreign_key("components", "group_id", "component_groups", OnDelete::SetNull))
            .col(code("key", 64))
            .col(string_len("name", 100))
            .col(text_null("description"))
            .col(code("status", 32).default("operational"))
            // Who set the current status (manual, monitor, incident, maintenance, alert): a
            // person's choice outranks a monitor's.
            .col(code("status_source", 16).default("manual"))
            .col(instant("status_changed_at"))
            .col(integer("position"))
            .col(flag("showcase", true))
            .col(flag("only_show_if_degraded", false))
            .col(flag("show_uptime", true))
            .col(date_null("start_date"))
            .col(version());
        timestamps(&mut components);
        create_table_with_indexes(
            manager,
            components,
            vec![
                unique_index("components", &["organization_id", "key"]),
                index("components", &["organization_id", "position"]),
                index("components", &["group_id"]),
            ],
        )
        .await?;

        let mut intervals = Table::create();
        intervals.table("component_status_intervals").col(id());
        owned_by_organization("component_status_intervals", &mut intervals);
        intervals
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key(
                "component_status_intervals",
                "component_id",
                "components",
                OnDelete::Cascade,
            ))
            .col(code("status", 32))
            .col(code("source", 16))
            .col(instant("started_at"))
            // NULL while the component is still in this status.
            .col(instant_null("ended_at"));
        create_table_with_indexes(
            manager,
            intervals,
            vec![
                index("component_status_intervals", &["component_id", "started_at"]),
                index("component_status_intervals", &["organization_id", "started_at"]),
                index("component_status_intervals", &["organization_id", "ended_at"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["component_status_intervals", "components", "component_groups"]).await
    }
}
