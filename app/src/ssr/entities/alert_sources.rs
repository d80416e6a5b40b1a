//! An endpoint that receives alerts (Alertmanager, Grafana, generic).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_sources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// alertmanager, grafana, generic
    pub kind: String,
    pub name: String,
    /// The first characters of the token, shown so people can tell sources apart.
    pub token_prefix: String,
    pub token_hash: String,
    /// The alert label naming the component (e.g. `component=api`).
    pub component_label: String,
    pub created_at: DateTimeUtc,
    pub last_received_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
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
}

impl Related<super::organizations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organizations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
