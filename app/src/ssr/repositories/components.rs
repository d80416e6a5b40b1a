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

/// One top-level entry of a page, in page order.
pub enum PageEntry<'m> {
    Component(&'m components::Model),
    /// A group and its members in their order (possibly none).
    Group(&'m component_groups::Model, Vec<&'m components::Model>),
}

/// The page's order: ungrouped components and groups share one ordering by position
/// (components first on a tie, then by id); each group's members follow in their own order. A
/// component whose group is gone counts as ungrouped.
pub fn page_order<'m>(
    groups: &'m [component_groups::Model],
    components: &'m [components::Model],
) -> Vec<PageEntry<'m>> {
    let group_of =
        |component: &components::Model| component.group_id.filter(|id| groups.iter().any(|group| group.id == *id));
    let mut top: Vec<((i32, u8, i64), PageEntry<'m>)> = components
        .iter()
        .filter(|component| group_of(component).is_none())
        .map(|component| ((component.position, 0, component.id), PageEntry::Component(component)))
        .collect();
    for group in groups {
        let mut members: Vec<&components::Model> =
            components.iter().filter(|component| group_of(component) == Some(group.id)).collect();
        members.sort_by_key(|member| (member.position, member.id));
        top.push(((group.position, 1, group.id), PageEntry::Group(group, members)));
    }
    top.sort_by_key(|(order, _)| *order);
    top.into_iter().map(|(_, entry)| entry).collect()
}
