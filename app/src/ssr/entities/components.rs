//! A part of the service whose status the page shows.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "components")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// `None` when the component is in no group (also once its group is deleted).
    pub group_id: Option<i64>,
    /// Stable key for config as code: survives renames.
    pub key: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub status: String,
    /// Who set the current status (manual, monitor, incident, maintenance, alert): a person's
    /// choice outranks a monitor's.
    pub status_source: String,
    pub status_changed_at: DateTimeUtc,
    pub position: i32,
    pub showcase: bool,
    pub only_show_if_degraded: bool,
    pub show_uptime: bool,
    pub start_date: Option<Date>,
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
        belongs_to = "super::component_groups::Entity",
        from = "Column::GroupId",
        to = "super::component_groups::Column::Id",
        on_delete = "SetNull"
    )]
    ComponentGroups,
    #[sea_orm(has_many = "super::component_status_intervals::Entity")]
    ComponentStatusIntervals,
    #[sea_orm(has_many = "super::incident_components::Entity")]
    IncidentComponents,
    #[sea_orm(has_many = "super::incident_update_components::Entity")]
    IncidentUpdateComponents,
    #[sea_orm(has_many = "super::maintenance_components::Entity")]
    MaintenanceComponents,
    #[sea_orm(has_many = "super::monitors::Entity")]
    Monitors,
    #[sea_orm(has_many = "super::subscriber_components::Entity")]
    SubscriberComponents,
    #[sea_orm(has_many = "super::template_components::Entity")]
    TemplateComponents,
    #[sea_orm(has_many = "super::uptime_rollups::Entity")]
    UptimeRollups,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::component_groups::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ComponentGroups.def()
    }
}

impl Related<super::component_status_intervals::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ComponentStatusIntervals.def()
    }
}

impl Related<super::incident_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IncidentComponents.def()
    }
}

impl Related<super::incident_update_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::IncidentUpdateComponents.def()
    }
}

impl Related<super::maintenance_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MaintenanceComponents.def()
    }
}

impl Related<super::monitors::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Monitors.def()
    }
}

impl Related<super::subscriber_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SubscriberComponents.def()
    }
}

impl Related<super::template_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TemplateComponents.def()
    }
}

impl Related<super::uptime_rollups::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UptimeRollups.def()
    }
}

/// The incidents affecting this component, through `incident_components`.
impl Related<super::incidents::Entity> for Entity {
    fn to() -> RelationDef {
        super::incident_components::Relation::Incidents.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::incident_components::Relation::Components.def().rev())
    }
}

/// The maintenances covering this component, through `maintenance_components`.
impl Related<super::maintenances::Entity> for Entity {
    fn to() -> RelationDef {
        super::maintenance_components::Relation::Maintenances.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::maintenance_components::Relation::Components.def().rev())
    }
}

/// The subscribers who asked to hear about this component, through `subscriber_components`.
impl Related<super::subscribers::Entity> for Entity {
    fn to() -> RelationDef {
        super::subscriber_components::Relation::Subscribers.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::subscriber_components::Relation::Components.def().rev())
    }
}

/// The templates that pre-select this component, through `template_components`.
impl Related<super::templates::Entity> for Entity {
    fn to() -> RelationDef {
        super::template_components::Relation::Templates.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::template_components::Relation::Components.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
