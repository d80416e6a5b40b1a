//! An incident with its derived timeline timestamps.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub impact: String,
    pub status: String,
    pub source: String,
    /// Deduplication key of an automatic or alert incident (monitor, alert fingerprint); at
    /// most one unresolved incident per organization has a given key.
    pub external_key: Option<String>,
    pub started_at: DateTimeUtc,
    pub identified_at: Option<DateTimeUtc>,
    pub monitoring_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub last_update_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub postmortem_body: Option<String>,
    pub postmortem_published_at: Option<DateTimeUtc>,
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
    #[sea_orm(has_many = "super::incident_updates::Entity")]
    IncidentUpdates,
    #[sea_orm(has_many = "super::incident_components::Entity")]
    IncidentComponents,
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

impl Related<super::incident_updates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IncidentUpdates.def()
    }
}

impl Related<super::incident_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IncidentComponents.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        super::incident_components::Relation::Components.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::incident_components::Relation::Incidents.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
