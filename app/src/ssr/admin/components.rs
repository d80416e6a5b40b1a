//! Components: list, read, create, edit, delete, and set a status by hand.

use super::{
    Paged, check_version, commit_and_wake, optional_text, page_changed, present, record_audit, to_json,
    unique_or_internal,
};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::component_status::{self, StatusSource};
use crate::ssr::entities::{component_groups, components};
use crate::ssr::hub::Hub;
use crate::ssr::internal;
use crate::ssr::repositories::{begin_write, stored};
use chrono::{DateTime, NaiveDate, Utc};
use herald::{ComponentStatus, Name, PageRequest, Permission, Slug};
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

pub const MAX_DESCRIPTION_CHARS: usize = 1000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComponentView {
    pub id: i64,
    /// Stable key used by config as code and alert labels.
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub group_id: Option<i64>,
    pub status: ComponentStatus,
    /// Who set the current status: manual, incident, maintenance, monitor or alert.
    pub status_source: String,
    pub status_changed_at: DateTime<Utc>,
    /// Order within its group (or among ungrouped components and groups).
    pub position: i32,
    pub showcase: bool,
    pub only_show_if_degraded: bool,
    pub show_uptime: bool,
    pub start_date: Option<NaiveDate>,
    /// Send it back when editing to be told if someone else changed the component meanwhile.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ComponentView {
    pub fn of(row: components::Model) -> Result<ComponentView, AppError> {
        Ok(ComponentView {
            status: stored(&row.status)?,
            id: row.id,
            key: row.key,
            name: row.name,
            description: row.description,
            group_id: row.group_id,
            status_source: row.status_source,
            status_changed_at: row.status_changed_at,
            position: row.position,
            showcase: row.showcase,
            only_show_if_degraded: row.only_show_if_degraded,
            show_uptime: row.show_uptime,
            start_date: row.start_date,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComponentFilter {
    /// Only components in this group.
    pub group_id: Option<i64>,
    /// Only components in this status.
    #[param(inline)]
    pub status: Option<ComponentStatus>,
    /// The component with this key.
    pub key: Option<String>,
    /// At most this many (1–200, default 50).
    pub limit: Option<u64>,
    /// Skip this many.
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComponent {
    /// Lowercase letters, digits and dashes; unique in the organization.
    pub key: String,
    /// 1–100 characters.
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub group_id: Option<i64>,
    /// Shown on the page; default true.
    #[serde(default)]
    pub showcase: Option<bool>,
    #[serde(default)]
    pub only_show_if_degraded: bool,
    /// Default true.
    #[serde(default)]
    pub show_uptime: Option<bool>,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Default: after the others in its group.
    #[serde(default)]
    pub position: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentChanges {
    pub name: Option<String>,
    /// `null` or "" removes it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `null` takes the component out of its group.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub group_id: Option<Option<i64>>,
    pub showcase: Option<bool>,
    pub only_show_if_degraded: Option<bool>,
    pub show_uptime: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub start_date: Option<Option<NaiveDate>>,
    pub position: Option<i32>,
    /// The version you edited; a different current version is a conflict (409).
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    pub status: ComponentStatus,
}

pub(crate) async fn find(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<components::Model, AppError> {
    components::Entity::find_by_id(id)
        .filter(components::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("loading a component"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no component {id}.")))
}

async fn check_group(db: &impl ConnectionTrait, caller: &Caller, group_id: Option<i64>) -> Result<(), AppError> {
    let Some(group_id) = group_id else { return Ok(()) };
    let found = component_groups::Entity::find_by_id(group_id)
        .filter(component_groups::Column::OrganizationId.eq(caller.organization_id))
        .count(db)
        .await
        .map_err(internal("checking a group"))?;
    if found == 0 {
        return Err(AppError::invalid("group_id", format!("There is no group {group_id}.")));
    }
    Ok(())
}

fn name(text: &str) -> Result<String, AppError> {
    Name::parse(text).map(Name::into_string).map_err(|error| AppError::invalid("name", error.to_string()))
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: ComponentFilter,
) -> Result<Paged<ComponentView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let mut query = components::Entity::find().filter(components::Column::OrganizationId.eq(caller.organization_id));
    if let Some(group_id) = filter.group_id {
        query = query.filter(components::Column::GroupId.eq(group_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(components::Column::Status.eq(status.as_str()));
    }
    if let Some(key) = &filter.key {
        query = query.filter(components::Column::Key.eq(key.as_str()));
    }
    let total = query.clone().count(db).await.map_err(internal("counting components"))?;
    let rows = query
        .order_by_asc(components::Column::Position)
        .order_by_asc(components::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing components"))?;
    let data = rows.into_iter().map(ComponentView::of).collect::<Result<_, _>>()?;
    Ok(Paged::new(data, page, total))
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<ComponentView, AppError> {
    caller.may_read(Permission::Read)?;
    ComponentView::of(find(db, caller, id).await?)
}

pub async fn create(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    new: NewComponent,
    now: DateTime<Utc>,
) -> Result<ComponentView, AppError> {
    caller.may_change(Permission::Edit)?;
    let key = Slug::parse(&new.key).map_err(|error| AppError::invalid("key", error.to_string()))?;
    let name = name(&new.name)?;
    let description = optional_text("description", new.description, MAX_DESCRIPTION_CHARS)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    check_group(&txn, caller, new.group_id).await?;
    let position = match new.position {
        Some(position) => position,
        None => {
            let last: Option<i32> = components::Entity::find()
                .select_only()
                .column_as(Expr::col(components::Column::Position).max(), "last")
                .filter(components::Column::OrganizationId.eq(caller.organization_id))
                .filter(match new.group_id {
                    Some(group_id) => components::Column::GroupId.eq(group_id),
                    None => components::Column::GroupId.is_null(),
                })
                .into_tuple::<Option<i32>>()
                .one(&txn)
                .await
                .map_err(internal("finding the last position"))?
                .flatten();
            last.map_or(0, |last| last.saturating_add(1))
        }
    };
    let row = components::ActiveModel {
        organization_id: Set(caller.organization_id),
        group_id: Set(new.group_id),
        key: Set(key.to_string()),
        name: Set(name),
        description: Set(description),
        status: Set(ComponentStatus::Operational.as_str().to_owned()),
        status_source: Set(StatusSource::Manual.as_str().to_owned()),
        status_changed_at: Set(now),
        position: Set(position),
        showcase: Set(new.showcase.unwrap_or(true)),
        only_show_if_degraded: Set(new.only_show_if_degraded),
        show_uptime: Set(new.show_uptime.unwrap_or(true)),
        start_date: Set(new.start_date),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unique_or_internal(
        "key",
        "Another component of this organization already has this key.",
        "creating a component",
    ))?;
    let view = ComponentView::of(row)?;
    record_audit(&txn, caller, "component.created", ("component", view.id), None, to_json(&view), now).await?;
    page_changed(&txn, caller, "component", now).await?;
    commit_and_wake(txn, hub, "committing a new component").await?;
    Ok(view)
}

pub async fn update(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    changes: ComponentChanges,
    now: DateTime<Utc>,
) -> Result<ComponentView, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    check_version(changes.version, current.version, "component")?;
    let before = ComponentView::of(current.clone())?;
    let mut row = components::ActiveModel {
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
    if let Some(group_id) = changes.group_id {
        check_group(&txn, caller, group_id).await?;
        row.group_id = Set(group_id);
    }
    if let Some(showcase) = changes.showcase {
        row.showcase = Set(showcase);
    }
    if let Some(only) = changes.only_show_if_degraded {
        row.only_show_if_degraded = Set(only);
    }
    if let Some(show) = changes.show_uptime {
        row.show_uptime = Set(show);
    }
    if let Some(start_date) = changes.start_date {
        row.start_date = Set(start_date);
    }
    if let Some(position) = changes.position {
        row.position = Set(position);
    }
    let row = row.update(&txn).await.map_err(internal("updating a component"))?;
    let view = ComponentView::of(row)?;
    record_audit(&txn, caller, "component.updated", ("component", id), to_json(&before), to_json(&view), now).await?;
    page_changed(&txn, caller, "component", now).await?;
    commit_and_wake(txn, hub, "committing a component change").await?;
    Ok(view)
}

/// Deletes a component with its history and its links to incidents and maintenance.
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
    let before = ComponentView::of(current.clone())?;
    components::Entity::delete_by_id(current.id).exec(&txn).await.map_err(internal("deleting a component"))?;
    record_audit(&txn, caller, "component.deleted", ("component", id), to_json(&before), None, now).await?;
    page_changed(&txn, caller, "component", now).await?;
    commit_and_wake(txn, hub, "committing a component deletion").await?;
    Ok(())
}

/// Sets a status by hand; an open incident or active maintenance that holds the component
/// still counts when it next changes.
pub async fn set_status(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    caller: &Caller,
    id: i64,
    request: StatusChangeRequest,
    now: DateTime<Utc>,
) -> Result<ComponentView, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = find(&txn, caller, id).await?;
    let changes =
        component_status::set(&txn, caller.organization_id, &[(current.id, request.status)], StatusSource::Manual, now)
            .await
            .map_err(internal("setting a component's status"))?;
    if !changes.is_empty() {
        record_audit(
            &txn,
            caller,
            "component.status_changed",
            ("component", id),
            Some(serde_json::json!({ "status": current.status })),
            Some(serde_json::json!({ "status": request.status })),
            now,
        )
        .await?;
    }
    let view = ComponentView::of(find(&txn, caller, id).await?)?;
    commit_and_wake(txn, hub, "committing a status change").await?;
    Ok(view)
}
