//! Component groups: list, read, create, edit, delete (members stay, ungrouped).

use super::components::MAX_DESCRIPTION_CHARS;
use super::{
    Paged, check_version, commit_and_wake, optional_text, page_changed, present, record_audit, to_json,
    unique_or_internal,
};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::component_groups;
use crate::ssr::hub::Hub;
use crate::ssr::internal;
use crate::ssr::repositories::begin_write;
use chrono::{DateTime, Utc};
use herald::{Name, PageRequest, Permission, Slug};
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
    /// Shown folded on the page until opened.
    pub collapsed: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<component_groups::Model> for GroupView {
    fn from(row: component_groups::Model) -> GroupView {
        GroupView {
            id: row.id,
            key: row.key,
            name: row.name,
            description: row.description,
            position: row.position,
            collapsed: row.collapsed,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GroupFilter {
    /// At most this many (1–200, default 50).
    pub limit: Option<u64>,
    /// Skip this many.
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub collapsed: bool,
    /// Default: after every other group and ungrouped component.
    #[serde(default)]
    pub position: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupChanges {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub collapsed: Option<bool>,
    pub position: Option<i32>,
    pub version: Option<i32>,
}

async fn find(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<component_groups::Model, AppError> {
    component_groups::Entity::find_by_id(id)
        .filter(component_groups::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("loading a group"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no group {id}.")))
}

fn name(text: &str) -> Result<String, AppError> {
    Name::parse(text).map(Name::into_string).map_err(|error| AppError::invalid("name", error.to_string()))
}

pub async fn list(db: &DatabaseConnection, caller: &Caller, filter: GroupFilter) -> Result<Paged<GroupView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let query =
        component_groups::Entity::find().filter(component_groups::Column::OrganizationId.eq(caller.organization_id));
    let total = query.clone().count(db).await.map_err(internal("counting groups"))?;
    let rows = query
        .order_by_asc(component_groups::Column::Position)
        .order_by_asc(component_groups::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing groups"))?;
    Ok(Paged::new(rows.into_iter().map(GroupView::from).collect(), page, total))
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<GroupView, AppError> {
    caller.may_read(Permission::Read)?;
    Ok(find(db, caller, id).await?.into())
}

pub async fn create(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    new: NewGroup,
    now: DateTime<Utc>,
) -> Result<GroupView, AppError> {
    caller.may_change(Permission::Edit)?;
    let key = Slug::parse(&new.key).map_err(|error| AppError::invalid("key", error.to_string()))?;
    let name = name(&new.name)?;
    let description = optional_text("description", new.description, MAX_DESCRIPTION_CHARS)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let position = match new.position {
        Some(position) => position,
        None => component_groups::Entity::find()
            .select_only()
            .column_as(Expr::col(component_groups::Column::Position).max(), "last")
            .filter(component_groups::Column::OrganizationId.eq(caller.organization_id))
            .into_tuple::<Option<i32>>()
            .one(&txn)
            .await
            .map_err(internal("finding the last position"))?
            .flatten()
            .map_or(0, |last| last.saturating_add(1)),
    };
    let row = component_groups::ActiveModel {
        organization_id: Set(caller.organization_id),
        key: Set(key.to_string()),
        name: Set(name),
        description: Set(description),
        position: Set(position),
        collapsed: Set(new.collapsed),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unique_or_internal(
        "key",
        "Another group of this organization already has this key.",
        "creating a group",
    ))?;
    let view = GroupView::from(row);
    record_audit(&txn, caller, "group.created", ("group", view.id), None, to_json(&view), now).await?;
    page_changed(&txn, caller, "group", now).await?;
    commit_and_wake(txn, hub, "committing a new group").await?;
    Ok(view)
}

pub async fn update(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    changes: GroupChanges,
    now: DateTime<Utc>,
) -> Result<GroupView, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    check_version(changes.version, current.version, "group")?;
    let before = GroupView::from(current.clone());
    let mut row = component_groups::ActiveModel {
        id: Set(current.id),
        version: Set(current.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(text) = &changes.name {
        row.name = Set(name(text)?);
    }
    if let Some(description) = changes.description {
        row.description = Set(optional_text("description", description, MAX_DESCRIPTION_CHARS)?);
    }
    if let Some(collapsed) = changes.collapsed {
        row.collapsed = Set(collapsed);
    }
    if let Some(position) = changes.position {
        row.position = Set(position);
    }
    let view = GroupView::from(row.update(&txn).await.map_err(internal("updating a group"))?);
    record_audit(&txn, caller, "group.updated", ("group", id), to_json(&before), to_json(&view), now).await?;
    page_changed(&txn, caller, "group", now).await?;
    commit_and_wake(txn, hub, "committing a group change").await?;
    Ok(view)
}

/// Deletes a group; its components stay, ungrouped.
pub async fn delete(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    let before = GroupView::from(current.clone());
    component_groups::Entity::delete_by_id(current.id).exec(&txn).await.map_err(internal("deleting a group"))?;
    record_audit(&txn, caller, "group.deleted", ("group", id), to_json(&before), None, now).await?;
    page_changed(&txn, caller, "group", now).await?;
    commit_and_wake(txn, hub, "committing a group deletion").await?;
    Ok(())
}
