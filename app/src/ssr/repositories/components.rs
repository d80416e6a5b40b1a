use crate::ssr::entities::{component_groups, components};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Every group and component of an organization, each list in display order.
pub async fn for_organization(
    db: &impl ConnectionTrait,
    organization_id: i64,
) -> Result<(Vec<component_groups::Model>, Vec<components::Model>), DbErr> {
    let groups = component_groups::Entity::find()
        .filter(component_groups::Column::OrganizationId.eq(organization_id))
        .order_by_asc(component_groups::Column::Position)
        .order_by_asc(component_groups::Column::Id)
        .all(db)
        .await?;
    let components = components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .order_by_asc(components::Column::Position)
        .order_by_asc(components::Column::Id)
        .all(db)
        .await?;
    Ok((groups, components))
}

/// `(organization_id, status)` of every component of the given organizations: enough to
/// work out each one's overall indicator without loading whole rows.
pub async fn statuses_of(db: &impl ConnectionTrait, organization_ids: &[i64]) -> Result<Vec<(i64, String)>, DbErr> {
    components::Entity::find()
        .select_only()
        .column(components::Column::OrganizationId)
        .column(components::Column::Status)
        .filter(components::Column::OrganizationId.is_in(organization_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}
