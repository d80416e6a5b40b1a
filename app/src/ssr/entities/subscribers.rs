//! Someone (or something) told about incidents and maintenance.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "subscribers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// email, webhook, slack, discord, teams, telegram
    pub channel: String,
    /// The address, URL or chat id, normalised so one target subscribes once.
    #[sea_orm(column_type = "Text")]
    pub target: String,
    /// Webhook signing secret or Telegram bot token, encrypted at rest.
    #[sea_orm(column_type = "Text")]
    pub secret_ciphertext: Option<String>,
    /// all, incidents, maintenance
    pub topic: String,
    pub locale: String,
    pub confirmed_at: Option<DateTimeUtc>,
    pub confirmation_token_hash: Option<String>,
    pub confirmation_sent_at: Option<DateTimeUtc>,
    /// Reached from every message: unsubscribe and preferences without an account.
    pub manage_token_hash: String,
    /// How the subscription was made: public, dashboard, import, api.
    pub source: String,
    pub failing_since: Option<DateTimeUtc>,
    pub disabled_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub disabled_reason: Option<String>,
    pub last_delivery_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        on_delete = "Cascade"
    )]
    Organizations,
    #[sea_orm(has_many = "super::subscriber_components::Entity")]
    SubscriberComponents,
    #[sea_orm(has_many = "super::notification_outbox::Entity")]
    NotificationOutbox,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::subscriber_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SubscriberComponents.def()
    }
}

impl Related<super::notification_outbox::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::NotificationOutbox.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        super::subscriber_components::Relation::Components.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::subscriber_components::Relation::Subscribers.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
