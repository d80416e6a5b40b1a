//! A reusable incident or maintenance text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub key: String,
    /// incident or maintenance
    pub kind: String,
    pub name: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub default_impact: Option<String>,
    pub default_status: Option<String>,
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
    #[sea_orm(has_many = "super::template_components::Entity")]
    TemplateComponents,
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl Related<super::template_components::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TemplateComponents.def()
    }
}

impl Related<super::components::Entity> for Entity {
    fn to() -> RelationDef {
        super::template_components::Relation::Components.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::template_components::Relation::Templates.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
