//! Incident and maintenance templates: list, read, create, edit, delete.

use super::{Paged, check_version, owned_components, record_audit, to_json, unique_or_internal};
use crate::error::AppError;
use crate::ssr::caller::Caller;
use crate::ssr::entities::{template_components, templates};
use crate::ssr::incidents::MAX_MESSAGE_CHARS;
use crate::ssr::internal;
use crate::ssr::repositories::{begin_write, stored};
use chrono::{DateTime, Utc};
use herald::{Impact, IncidentStatus, Name, PageRequest, Permission, Slug, TemplateKind, Title};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TemplateView {
    pub id: i64,
    pub key: String,
    pub kind: TemplateKind,
    pub name: String,
    /// The incident or maintenance title it pre-fills.
    pub title: String,
    /// The first message it pre-fills (Markdown).
    pub body: String,
    pub impact: Option<Impact>,
    pub status: Option<IncidentStatus>,
    /// Components it pre-selects.
    pub component_ids: Vec<i64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TemplateFilter {
    /// Only incident or only maintenance templates.
    #[param(inline)]
    pub kind: Option<TemplateKind>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTemplate {
    pub key: String,
    pub kind: TemplateKind,
    pub name: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub impact: Option<Impact>,
    #[serde(default)]
    pub status: Option<IncidentStatus>,
    #[serde(default)]
    pub component_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateChanges {
    pub name: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<Impact>)]
    pub impact: Option<Option<Impact>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<IncidentStatus>)]
    pub status: Option<Option<IncidentStatus>>,
    /// Replaces the pre-selected components.
    pub component_ids: Option<Vec<i64>>,
    pub version: Option<i32>,
}

async fn view(db: &impl ConnectionTrait, row: templates::Model) -> Result<TemplateView, AppError> {
    let component_ids: Vec<i64> = template_components::Entity::find()
        .select_only()
        .column(template_components::Column::ComponentId)
        .filter(template_components::Column::TemplateId.eq(row.id))
        .order_by_asc(template_components::Column::ComponentId)
        .into_tuple()
        .all(db)
        .await
        .map_err(internal("loading a template's components"))?;
    Ok(TemplateView {
        kind: match row.kind.as_str() {
            "maintenance" => TemplateKind::Maintenance,
            _ => TemplateKind::Incident,
        },
        impact: row.default_impact.as_deref().map(stored).transpose()?,
        status: row.default_status.as_deref().map(stored).transpose()?,
        id: row.id,
        key: row.key,
        name: row.name,
        title: row.title,
        body: row.body,
        component_ids,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

pub(crate) async fn find(db: &impl ConnectionTrait, caller: &Caller, id: i64) -> Result<TemplateView, AppError> {
    let row = templates::Entity::find_by_id(id)
        .filter(templates::Column::OrganizationId.eq(caller.organization_id))
        .one(db)
        .await
        .map_err(internal("loading a template"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no template {id}.")))?;
    view(db, row).await
}

fn checked_text<T>(field: &str, parsed: Result<T, herald::TextError>) -> Result<T, AppError> {
    parsed.map_err(|error| AppError::invalid(field, error.to_string()))
}

fn checked_body(body: &str) -> Result<String, AppError> {
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::invalid("body", format!("A body may have at most {MAX_MESSAGE_CHARS} characters.")));
    }
    Ok(body.trim().to_owned())
}

async fn link_components(
    db: &impl ConnectionTrait,
    caller: &Caller,
    template_id: i64,
    component_ids: &[i64],
) -> Result<(), AppError> {
    let ids = owned_components(db, caller, component_ids, "component_ids").await?;
    template_components::Entity::delete_many()
        .filter(template_components::Column::TemplateId.eq(template_id))
        .exec(db)
        .await
        .map_err(internal("clearing a template's components"))?;
    for component_id in ids {
        template_components::ActiveModel { template_id: Set(template_id), component_id: Set(component_id) }
            .insert(db)
            .await
            .map_err(internal("linking a template's component"))?;
    }
    Ok(())
}

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: TemplateFilter,
) -> Result<Paged<TemplateView>, AppError> {
    caller.may_read(Permission::Read)?;
    let page =
        PageRequest::new(filter.limit, filter.offset).map_err(|error| AppError::invalid("limit", error.to_string()))?;
    let mut query = templates::Entity::find().filter(templates::Column::OrganizationId.eq(caller.organization_id));
    if let Some(kind) = filter.kind {
        query = query.filter(templates::Column::Kind.eq(kind.as_str()));
    }
    let total = query.clone().count(db).await.map_err(internal("counting templates"))?;
    let rows = query
        .order_by_asc(templates::Column::Name)
        .order_by_asc(templates::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await
        .map_err(internal("listing templates"))?;
    let mut data = Vec::with_capacity(rows.len());
    for row in rows {
        data.push(view(db, row).await?);
    }
    Ok(Paged::new(data, page, total))
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> Result<TemplateView, AppError> {
    caller.may_read(Permission::Read)?;
    find(db, caller, id).await
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    new: NewTemplate,
    now: DateTime<Utc>,
) -> Result<TemplateView, AppError> {
    caller.may_change(Permission::Edit)?;
    let key = Slug::parse(&new.key).map_err(|error| AppError::invalid("key", error.to_string()))?;
    let name = checked_text("name", Name::parse(&new.name))?;
    let title = checked_text("title", Title::parse(&new.title))?;
    let body = checked_body(&new.body)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let row = templates::ActiveModel {
        organization_id: Set(caller.organization_id),
        key: Set(key.to_string()),
        kind: Set(new.kind.as_str().to_owned()),
        name: Set(name.into_string()),
        title: Set(title.into_string()),
        body: Set(body),
        default_impact: Set(new.impact.map(|impact| impact.as_str().to_owned())),
        default_status: Set(new.status.map(|status| status.as_str().to_owned())),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unique_or_internal(
        "key",
        "Another template of this organization already has this key.",
        "creating a template",
    ))?;
    link_components(&txn, caller, row.id, &new.component_ids).await?;
    let created = view(&txn, row).await?;
    record_audit(&txn, caller, "template.created", ("template", created.id), None, to_json(&created), now).await?;
    txn.commit().await.map_err(internal("committing a new template"))?;
    Ok(created)
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    changes: TemplateChanges,
    now: DateTime<Utc>,
) -> Result<TemplateView, AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let before = find(&txn, caller, id).await?;
    check_version(changes.version, before.version, "template")?;
    let mut row = templates::ActiveModel {
        id: Set(id),
        version: Set(before.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(name) = &changes.name {
        row.name = Set(checked_text("name", Name::parse(name))?.into_string());
    }
    if let Some(title) = &changes.title {
        row.title = Set(checked_text("title", Title::parse(title))?.into_string());
    }
    if let Some(body) = &changes.body {
        row.body = Set(checked_body(body)?);
    }
    if let Some(impact) = changes.impact {
        row.default_impact = Set(impact.map(|impact| impact.as_str().to_owned()));
    }
    if let Some(status) = changes.status {
        row.default_status = Set(status.map(|status| status.as_str().to_owned()));
    }
    let row = row.update(&txn).await.map_err(internal("updating a template"))?;
    if let Some(component_ids) = &changes.component_ids {
        link_components(&txn, caller, id, component_ids).await?;
    }
    let after = view(&txn, row).await?;
    record_audit(&txn, caller, "template.updated", ("template", id), to_json(&before), to_json(&after), now).await?;
    txn.commit().await.map_err(internal("committing a template change"))?;
    Ok(after)
}

pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    caller.may_change(Permission::Edit)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let before = find(&txn, caller, id).await?;
    templates::Entity::delete_by_id(id).exec(&txn).await.map_err(internal("deleting a template"))?;
    record_audit(&txn, caller, "template.deleted", ("template", id), to_json(&before), None, now).await?;
    txn.commit().await.map_err(internal("committing a template deletion"))?;
    Ok(())
}
