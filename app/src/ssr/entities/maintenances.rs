//! A scheduled maintenance window.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenances")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub status: String,
    pub scheduled_start: DateTimeUtc,
    pub scheduled_end: DateTimeUtc,
    pub auto_start: bool,
    pub auto_complete: bool,
    pub started_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    /// When the "starting soon" reminder went out; at most once per maintenance.
    pub reminder_sent_at: Option<DateTimeUtc>,
    pub created_by_user_id: Option<i64>,
    pub version: i32,
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
        belongs_to = "super::users::Entity",
        from = "Column::CreatedByUserId",
        to = "super::users::Column::Id",
        on_delete = "SetNull"
    )]
    Users,
    #[sea_orm(has_many = "super::maintenance_updates::Entity")]
    MaintenanceUpdates,
    #[sea_orm(has_many = "super::maintenance_components::Entity")]
    MaintenanceComponents,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::maintenance_updates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MaintenanceUpdates.def()
    }
}

impl Related<super::maintenance_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MaintenanceComponents.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        super::maintenance_components::Relation::Components.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::maintenance_components::Relation::Maintenances.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
