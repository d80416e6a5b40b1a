//! Subscribers and durable delivery: the event log, and the notification outbox written in
//! the same transaction as the change that caused it, so nothing is lost or sent twice.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{json, json_null, string_len, text, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut subscribers = Table::create();
        subscribers.table("subscribers").col(id());
        owned_by_organization("subscribers", &mut subscribers);
        subscribers
            // email, webhook, slack, discord, teams, telegram
            .col(code("channel", 16))
            // The address, URL or chat id, normalised so one target subscribes once.
            .col(text("target"))
            // Webhook signing secret or Telegram bot token, encrypted at rest.
            .col(text_null("secret_ciphertext"))
            // all, incidents, maintenance
            .col(code("topic", 16).default("all"))
            .col(code("locale", 8).default("en"))
            .col(instant_null("confirmed_at"))
            .col(code_null("confirmation_token_hash", 64).unique_key())
            .col(instant_null("confirmation_sent_at"))
            // Reached from every message: unsubscribe and preferences without an account.
            .col(code("manage_token_hash", 64).unique_key())
            // public, dashboard, import, api
            .col(code("source", 16).default("public"))
            .col(instant_null("failing_since"))
            .col(instant_null("disabled_at"))
            .col(text_null("disabled_reason"))
            .col(instant_null("last_delivery_at"));
        timestamps(&mut subscribers);
        create_table_with_indexes(
            manager,
            subscribers,
            vec![
                unique_index("subscribers", &["organization_id", "channel", "target"]),
                index("subscribers", &["organization_id", "confirmed_at"]),
            ],
        )
        .await?;

        let mut filters = Table::create();
        filters
            .table("subscriber_components")
            .col(reference("subscriber_id"))
            .foreign_key(&mut foreign_key("subscriber_components", "subscriber_id", "subscribers", OnDelete::Cascade))
            .col(reference("component_id"))
            .foreign_key(&mut foreign_key("subscriber_components", "component_id", "components", OnDelete::Cascade))
            .primary_key(Index::create().col("subscriber_id").col("component_id"));
        create_table_with_indexes(manager, filters, vec![index("subscriber_components", &["component_id"])]).await?;

        // Everything that happened, in order: the source of notifications, webhooks and the
        // live hub's catch-up after a reconnect.
        let mut events = Table::create();
        events.table("events").col(id());
        owned_by_organization("events", &mut events);
        events.col(code("kind", 64)).col(json("payload")).col(instant("occurred_at"));
        create_table_with_indexes(manager, events, vec![index("events", &["organization_id", "occurred_at"])]).await?;

        let mut outbox = Table::create();
        outbox.table("notification_outbox").col(id());
        owned_by_organization("notification_outbox", &mut outbox);
        outbox
            .col(reference("event_id"))
            .foreign_key(&mut foreign_key("notification_outbox", "event_id", "events", OnDelete::Cascade))
            .col(reference("subscriber_id"))
            .foreign_key(&mut foreign_key("notification_outbox", "subscriber_id", "subscribers", OnDelete::Cascade))
            .col(code("channel", 16))
            // One delivery per (event, subscriber, purpose): a retry or restart reuses it.
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
            vec![
                index("notification_outbox", &["state", "next_attempt_at"]),
                index("notification_outbox", &["subscriber_id", "created_at"]),
                index("notification_outbox", &["event_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["notification_outbox", "events", "subscriber_components", "subscribers"]).await
    }
}
