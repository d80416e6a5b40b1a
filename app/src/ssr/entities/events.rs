//! Something that happened, in order: the source of notifications and live catch-up.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub kind: String,
    pub payload: Json,
    pub occurred_at: DateTimeUtc,
    /// When the deliveries it causes were queued; `None` until the fan-out has run.
    pub fanned_out_at: Option<DateTimeUtc>,
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
    #[sea_orm(has_many = "super::notification_outbox::Entity")]
    NotificationOutbox,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::notification_outbox::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::NotificationOutbox.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
