//! Notifications get delivered. The outbox of migration 6 was never written to; it is made
//! again so a delivery may carry no event (a confirmation or test message) and says what it is
//! for. Events get a mark once their deliveries are queued; the events already recorded are
//! marked as done, so nobody is told today about last month's incidents.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{json_null, string_len, text_null};

fn named_index(name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table("notification_outbox");
    for column in columns {
        index.col(*column);
    }
    index
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("notification_outbox").to_owned()).await?;
        let mut outbox = Table::create();
        outbox.table("notification_outbox").col(id());
        owned_by_organization("notification_outbox", &mut outbox);
        outbox
            .col(reference_null("event_id"))
            .foreign_key(&mut foreign_key("notification_outbox", "event_id", "events", OnDelete::Cascade))
            .col(reference("subscriber_id"))
            .foreign_key(&mut foreign_key("notification_outbox", "subscriber_id", "subscribers", OnDelete::Cascade))
            .col(code("channel", 16))
            // event, confirmation, test
            .col(code("purpose", 16))
            // One delivery per (event, subscriber, purpose): a retry or restart reuses it, and
            // receivers see it as `webhook-id` / `Message-ID` to drop a repeat.
            .col(string_len("idempotency_key", 128).unique_key())
            // pending, sending, sent, failed (will retry), dead (gave up)
            .col(code("state", 16).default("pending"))
            .col(count("attempts", 0))
            .col(instant("next_attempt_at"))
            // A worker's lease: another worker may take the row over once it has expired.
            .col(instant_null("locked_until"))
            .col(text_null("last_error"))
            .col(json_null("payload"))
            .col(instant("created_at"))
            .col(instant_null("sent_at"));
        create_table_with_indexes(
            manager,
            outbox,
            // Named apart from migration 6's: SQLite connections that ran those statements
            // may hold them prepared, and running one again found the old index "existing".
            vec![
                named_index("idx_outbox_due", &["state", "next_attempt_at"]),
                named_index("idx_outbox_subscriber", &["subscriber_id", "created_at"]),
                named_index("idx_outbox_event", &["event_id"]),
            ],
        )
        .await?;

        manager
            .alter_table(Table::alter().table("events").add_column(instant_null("fanned_out_at")).to_owned())
            .await?;
        manager.get_connection().execute_unprepared("UPDATE events SET fanned_out_at = occurred_at").await?;
        manager.create_index(index("events", &["fanned_out_at", "id"])).await
    }

    // The outbox keeps its new shape: it holds everything the old one could.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_events_fanned_out_at_id").table("events").to_owned()).await?;
        manager.alter_table(Table::alter().table("events").drop_column("fanned_out_at").to_owned()).await?;
        Ok(())
    }
}
