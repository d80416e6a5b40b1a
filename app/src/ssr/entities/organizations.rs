//! A tenant: one public status page and everything behind it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub tagline: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub logo_url: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub website_url: Option<String>,
    pub brand_colour: Option<String>,
    pub custom_domain: Option<String>,
    pub default_locale: String,
    pub time_zone: String,
    /// Whether `/` lists this organization; a tenant may prefer to be found only by link.
    pub listed: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::alert_sources::Entity")]
    AlertSources,
    #[sea_orm(has_many = "super::api_tokens::Entity")]
    ApiTokens,
    #[sea_orm(has_many = "super::audit_log::Entity")]
    AuditLog,
    #[sea_orm(has_many = "super::component_groups::Entity")]
    ComponentGroups,
    #[sea_orm(has_many = "super::components::Entity")]
    Components,
    #[sea_orm(has_many = "super::events::Entity")]
    Events,
    #[sea_orm(has_many = "super::incidents::Entity")]
    Incidents,
    #[sea_orm(has_many = "super::invitations::Entity")]
    Invitations,
    #[sea_orm(has_many = "super::maintenances::Entity")]
    Maintenances,
    #[sea_orm(has_many = "super::memberships::Entity")]
    Memberships,
    #[sea_orm(has_many = "super::monitors::Entity")]
    Monitors,
    #[sea_orm(has_many = "super::subscribers::Entity")]
    Subscribers,
    #[sea_orm(has_many = "super::templates::Entity")]
    Templates,
}

impl Related<super::alert_sources::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AlertSources.def()
    }
}

impl Related<super::api_tokens::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ApiTokens.def()
    }
}

impl Related<super::audit_log::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AuditLog.def()
    }
}

impl Related<super::component_groups::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ComponentGroups.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Components.def()
    }
}

impl Related<super::events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Events.def()
    }
}

impl Related<super::incidents::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Incidents.def()
    }
}

impl Related<super::invitations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invitations.def()
    }
}

impl Related<super::maintenances::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Maintenances.def()
    }
}

impl Related<super::memberships::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Memberships.def()
    }
}

impl Related<super::monitors::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Monitors.def()
    }
}

impl Related<super::subscribers::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Subscribers.def()
    }
}

impl Related<super::templates::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Templates.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
