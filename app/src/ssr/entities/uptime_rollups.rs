//! Time per status of one component in one hour or day (organization-local day).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "uptime_rollups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub component_id: i64,
    /// `hour` or `day`; a day starts at local midnight in the organization's time zone.
    pub period: String,
    pub bucket_start: DateTimeUtc,
    /// Milliseconds of the bucket the component spent in each status.
    pub operational_ms: i64,
    pub degraded_ms: i64,
    pub partial_ms: i64,
    pub major_ms: i64,
    pub maintenance_ms: i64,
    pub no_data_ms: i64,
    pub check_count: i32,
    pub failure_count: i32,
    pub latency_avg_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
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
        belongs_to = "super::components::Entity",
        from = "Column::ComponentId",
        to = "super::components::Column::Id",
        on_delete = "Cascade"
    )]
    Components,
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
