//! Moving a component or group one step up or down the page. Groups and ungrouped components
//! share the top-level order; a group's members have their own. A move rewrites the siblings'
//! positions as 0, 1, 2… in one transaction, so gaps and ties left by imports disappear.

use super::{commit_and_wake, page_changed, record_audit};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::{component_groups, components};
use crate::ssr::hub::Hub;
use crate::ssr::internal;
use crate::ssr::repositories::begin_write;
use crate::ssr::repositories::components::{PageEntry, for_organization, page_order};
use chrono::{DateTime, Utc};
use herald::{Direction, Permission, moved};
use sea_orm::{ActiveModelTrait, Set};

/// What moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Component(i64),
    Group(i64),
}

impl Entry {
    fn describe(self) -> (&'static str, i64) {
        match self {
            Entry::Component(id) => ("component", id),
            Entry::Group(id) => ("group", id),
        }
    }
}

pub async fn move_entry(
    db: &sea_orm::DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    entry: Entry,
    direction: Direction,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let (groups, all_components) =
        for_organization(&txn, caller.organization_id).await.map_err(internal("loading the page's order"))?;
    let order = page_order(&groups, &all_components);
    let top: Vec<Entry> = order
        .iter()
        .map(|entry| match entry {
            PageEntry::Component(component) => Entry::Component(component.id),
            PageEntry::Group(group, _) => Entry::Group(group.id),
        })
        .collect();
    // The siblings the entry moves among: the top level, or the members of its group.
    let siblings: Vec<Entry> = if top.contains(&entry) {
        top
    } else {
        order
            .iter()
            .find_map(|top_entry| match top_entry {
                PageEntry::Group(_, members) if members.iter().any(|member| Entry::Component(member.id) == entry) => {
                    Some(members.iter().map(|member| Entry::Component(member.id)).collect())
                }
                _ => None,
            })
            .unwrap_or_default()
    };
    let (kind, id) = entry.describe();
    let Some(new_order) = moved(&siblings, &entry, direction) else {
        return Err(AppError::NotFound(format!("There is no {kind} {id}.")));
    };
    // Already first (or last): nothing changes, and nothing is recorded.
    if new_order == siblings {
        return Ok(());
    }
    let before = position_of(&groups, &all_components, entry);
    for (index, sibling) in new_order.iter().enumerate() {
        let position = index as i32;
        if position_of(&groups, &all_components, *sibling) == Some(position) {
            continue;
        }
        match *sibling {
            Entry::Component(component_id) => {
                let version = all_components.iter().find(|row| row.id == component_id).map_or(1, |row| row.version);
                components::ActiveModel {
                    id: Set(component_id),
                    position: Set(position),
                    version: Set(version + 1),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .update(&txn)
                .await
                .map_err(internal("moving a component"))?;
            }
            Entry::Group(group_id) => {
                let version = groups.iter().find(|row| row.id == group_id).map_or(1, |row| row.version);
                component_groups::ActiveModel {
                    id: Set(group_id),
                    position: Set(position),
                    version: Set(version + 1),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .update(&txn)
                .await
                .map_err(internal("moving a group"))?;
            }
        }
    }
    let after = new_order.iter().position(|sibling| *sibling == entry).map(|index| index as i32);
    record_audit(
        &txn,
        caller,
        &format!("{kind}.moved"),
        (kind, id),
        Some(serde_json::json!({ "position": before })),
        Some(serde_json::json!({ "position": after, "direction": direction.as_str() })),
        now,
    )
    .await?;
    page_changed(&txn, caller, kind, now).await?;
    commit_and_wake(txn, hub, "committing a move").await
}

fn position_of(groups: &[component_groups::Model], components: &[components::Model], entry: Entry) -> Option<i32> {
    match entry {
        Entry::Component(id) => components.iter().find(|row| row.id == id).map(|row| row.position),
        Entry::Group(id) => groups.iter().find(|row| row.id == id).map(|row| row.position),
    }
}
