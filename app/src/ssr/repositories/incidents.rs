use crate::ssr::entities::{incident_updates, incidents};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The organization's unresolved incidents, newest first.
pub async fn open_for_organization(
    db: &impl ConnectionTrait,
    organization_id: i64,
) -> Result<Vec<incidents::Model>, DbErr> {
    incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization_id))
        .filter(incidents::Column::ResolvedAt.is_null())
        .order_by_desc(incidents::Column::StartedAt)
        .all(db)
        .await
}

/// `(organization_id, impact)` of every unresolved incident of the given organizations.
pub async fn open_impacts_of(db: &impl ConnectionTrait, organization_ids: &[i64]) -> Result<Vec<(i64, String)>, DbErr> {
    incidents::Entity::find()
        .select_only()
        .column(incidents::Column::OrganizationId)
        .column(incidents::Column::Impact)
        .filter(incidents::Column::OrganizationId.is_in(organization_ids.iter().copied()))
        .filter(incidents::Column::ResolvedAt.is_null())
        .into_tuple()
        .all(db)
        .await
}

/// The most recent update of each given incident.
pub async fn latest_updates(
    db: &impl ConnectionTrait,
    incident_ids: &[i64],
) -> Result<Vec<incident_updates::Model>, DbErr> {
    let all = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .order_by_desc(incident_updates::Column::DisplayAt)
        .order_by_desc(incident_updates::Column::Id)
        .all(db)
        .await?;
    let mut seen = std::collections::HashSet::new();
    Ok(all.into_iter().filter(|update| seen.insert(update.incident_id)).collect())
}
