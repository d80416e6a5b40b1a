//! An alert an alert source delivered, by its fingerprint, and whether it is still firing.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub alert_source_id: i64,
    pub fingerprint: String,
    pub component_id: i64,
    /// firing or resolved
    pub state: String,
    pub title: String,
    pub severity: Option<String>,
    /// When it last started firing.
    pub first_fired_at: DateTimeUtc,
    pub last_received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::alert_sources::Entity",
        from = "Column::AlertSourceId",
        to = "super::alert_sources::Column::Id",
        on_delete = "Cascade"
    )]
    AlertSources,
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id",
        on_delete = "Cascade"
    )]
    Organizations,
    #[sea_orm(
        belongs_to = "super::components::Entity",
        from = "Column::ComponentId",
        to = "super::components::Column::Id",
        on_delete = "Cascade"
    )]
    Components,
}

impl Related<super::alert_sources::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AlertSources.def()
    }
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Components.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
