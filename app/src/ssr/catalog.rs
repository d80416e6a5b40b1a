//! The dashboard's components page: the page's order as the editor rearranges it, and the
//! reading of its form fields.

use super::dashboard::signed_in;
use super::internal;
use super::repositories::components::{PageEntry, for_organization, page_order};
use super::repositories::stored;
use crate::api::catalog::{Catalog, CatalogComponent, CatalogEntry, CatalogGroup, GroupChoice, Place};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{Name, Permission, Slug};
use sea_orm::DatabaseConnection;

pub async fn catalog(db: &DatabaseConnection, slug: &str, now: DateTime<Utc>) -> Result<Catalog, AppError> {
    let (caller, organization) = signed_in(db, slug, now).await?;
    caller.may_read(Permission::Read)?;
    let (groups, components) =
        for_organization(db, caller.organization_id).await.map_err(internal("loading the components"))?;
    let order = page_order(&groups, &components);
    let place = |index: usize, count: usize| Place { first: index == 0, last: index + 1 == count };
    let component = |row: &super::entities::components::Model, place: Place| -> Result<CatalogComponent, AppError> {
        Ok(CatalogComponent {
            status: stored(&row.status)?,
            id: row.id,
            key: row.key.clone(),
            name: row.name.clone(),
            description: row.description.clone().unwrap_or_default(),
            group_id: row.group_id,
            showcase: row.showcase,
            only_show_if_degraded: row.only_show_if_degraded,
            show_uptime: row.show_uptime,
            version: row.version,
            place,
        })
    };
    let count = order.len();
    let mut entries = Vec::with_capacity(count);
    for (index, entry) in order.iter().enumerate() {
        entries.push(match entry {
            PageEntry::Component(row) => CatalogEntry::Component(component(row, place(index, count))?),
            PageEntry::Group(group, members) => CatalogEntry::Group(
                CatalogGroup {
                    id: group.id,
                    key: group.key.clone(),
                    name: group.name.clone(),
                    description: group.description.clone().unwrap_or_default(),
                    collapsed: group.collapsed,
                    version: group.version,
                    place: place(index, count),
                },
                members
                    .iter()
                    .enumerate()
                    .map(|(position, member)| component(member, place(position, members.len())))
                    .collect::<Result<_, _>>()?,
            ),
        });
    }
    let groups = groups.iter().map(|group| GroupChoice { id: group.id, name: group.name.clone() }).collect();
    Ok(Catalog { organization, entries, groups })
}

/// The key a new record is created with: the one typed, or one made from the name, or, for
/// a name that gives none (`東京`, `Q`), `<kind>-<a number from the clock>`. The name is
/// checked first, so an empty form is told about the name rather than the key.
pub fn key_for(key: &str, name: &str, kind: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    Name::parse(name).map_err(|error| AppError::invalid("name", error.to_string()))?;
    if !key.trim().is_empty() {
        return Ok(key.trim().to_owned());
    }
    Ok(Slug::suggest(name)
        .map(|slug| slug.to_string())
        .unwrap_or_else(|| format!("{kind}-{}", now.timestamp_millis().unsigned_abs())))
}

/// A choice from a list of ids, where the empty choice means none.
pub fn optional_id(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| AppError::invalid(field, "Choose one from the list."))
}

/// A destructive form's "I mean it" box.
pub fn confirmed(confirm: Option<String>, message: &str) -> Result<(), AppError> {
    match confirm {
        Some(_) => Ok(()),
        None => Err(AppError::invalid("confirm", message)),
    }
}
