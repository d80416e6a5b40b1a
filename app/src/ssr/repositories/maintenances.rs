use crate::ssr::entities::maintenances;
use herald::MaintenanceStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// Organizations (among the given ones) with a maintenance in progress or being verified.
pub async fn organizations_in_maintenance(
    db: &impl ConnectionTrait,
    organization_ids: &[i64],
) -> Result<Vec<i64>, DbErr> {
    let active = [MaintenanceStatus::InProgress, MaintenanceStatus::Verifying].map(|s| s.as_str());
    maintenances::Entity::find()
        .select_only()
        .column(maintenances::Column::OrganizationId)
        .distinct()
        .filter(maintenances::Column::OrganizationId.is_in(organization_ids.iter().copied()))
        .filter(maintenances::Column::Status.is_in(active))
        .into_tuple()
        .all(db)
        .await
}
