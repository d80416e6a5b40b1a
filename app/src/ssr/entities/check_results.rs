//! The outcome of one check run (kept for the retention window).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "check_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub monitor_id: i64,
    /// Copied from the monitor (no foreign key), so results can be filtered without a join.
    pub organization_id: i64,
    /// The monitor's component at the time of the check (no foreign key).
    pub component_id: Option<i64>,
    pub checked_at: DateTimeUtc,
    pub outcome: String,
    pub latency_ms: Option<i32>,
    pub status_code: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::monitors::Entity",
        from = "Column::MonitorId",
        to = "super::monitors::Column::Id",
        on_delete = "Cascade"
    )]
    Monitors,
}

impl Related<super::monitors::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Monitors.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
