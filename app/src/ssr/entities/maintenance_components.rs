//! A component covered by a maintenance.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenance_components")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub maintenance_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub component_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::maintenances::Entity",
        from = "Column::MaintenanceId",
        to = "super::maintenances::Column::Id",
        on_delete = "Cascade"
    )]
    Maintenances,
    #[sea_orm(
        belongs_to = "super::components::Entity",
        from = "Column::ComponentId",
        to = "super::components::Column::Id",
        on_delete = "Cascade"
    )]
    Components,
}

impl Related<super::maintenances::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Maintenances.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Components.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
