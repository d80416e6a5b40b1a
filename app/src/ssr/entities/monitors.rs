//! A check (HTTP, TCP, DNS, heartbeat) with its scheduling state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "monitors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub component_id: Option<i64>,
    pub key: String,
    pub name: String,
    pub kind: String,
    /// Kind-specific settings (URL, method, headers, expected status, host, port, record…).
    pub config: Json,
    pub interval_seconds: i32,
    pub timeout_ms: i32,
    pub degraded_latency_ms: Option<i32>,
    pub failure_status: String,
    /// Quick re-checks after a first failure before the failure counts.
    pub confirmations: i32,
    /// Consecutive confirmed failures before an automatic incident opens.
    pub incident_threshold: i32,
    pub recovery_minutes: i32,
    pub auto_incident: bool,
    pub paused: bool,
    pub heartbeat_token_hash: Option<String>,
    pub next_run_at: DateTimeUtc,
    pub last_checked_at: Option<DateTimeUtc>,
    pub last_outcome: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub last_error: Option<String>,
    pub consecutive_failures: i32,
    pub consecutive_successes: i32,
    pub failing_since: Option<DateTimeUtc>,
    pub recovered_since: Option<DateTimeUtc>,
    pub version: i32,
    /// The status this monitor gives its component.
    pub status: String,
    pub flap_transitions: i32,
    pub flap_window_started_at: Option<DateTimeUtc>,
    pub flapping_since: Option<DateTimeUtc>,
    pub last_latency_ms: Option<i32>,
    pub last_ping_at: Option<DateTimeUtc>,
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
        belongs_to = "super::components::Entity",
        from = "Column::ComponentId",
        to = "super::components::Column::Id",
        on_delete = "SetNull"
    )]
    Components,
    #[sea_orm(has_many = "super::check_results::Entity")]
    CheckResults,
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

impl Related<super::check_results::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CheckResults.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
