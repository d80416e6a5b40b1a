//! A component status change made by an incident update.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "incident_update_components")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub incident_update_id: i64,
    pub component_id: i64,
    pub old_status: String,
    pub new_status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::incident_updates::Entity",
        from = "Column::IncidentUpdateId",
        to = "super::incident_updates::Column::Id",
        on_delete = "Cascade"
    )]
    IncidentUpdates,
    #[sea_orm(
        belongs_to = "super::components::Entity",
        from = "Column::ComponentId",
        to = "super::components::Column::Id",
        on_delete = "Cascade"
    )]
    Components,
}

impl Related<super::incident_updates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IncidentUpdates.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Components.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
