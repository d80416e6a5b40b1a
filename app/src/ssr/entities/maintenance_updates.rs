//! One entry of a maintenance's timeline.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenance_updates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub maintenance_id: i64,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub notify_subscribers: bool,
    pub created_by_user_id: Option<i64>,
    pub created_by_label: Option<String>,
    /// When the update is shown as posted: now for a live update, the past for a backfill.
    pub display_at: DateTimeUtc,
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
    #[sea_orm(
        belongs_to = "super::maintenances::Entity",
        from = "Column::MaintenanceId",
        to = "super::maintenances::Column::Id",
        on_delete = "Cascade"
    )]
    Maintenances,
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::CreatedByUserId",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::maintenances::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Maintenances.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
