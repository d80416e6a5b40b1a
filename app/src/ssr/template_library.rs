//! The dashboard's templates page, and the reading of the fields its forms share with the
//! maintenance planner.

use super::admin::templates::{self, TemplateFilter};
use super::dashboard::{all_components, signed_in};
use crate::api::templates::{TemplateItem, TemplateLibrary};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::TemplateKind;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;

/// The most templates one page of the list holds; an organization has a handful.
const PAGE: u64 = 200;

pub async fn library(db: &DatabaseConnection, slug: &str, now: DateTime<Utc>) -> Result<TemplateLibrary, AppError> {
    let (caller, organization) = signed_in(db, slug, now).await?;
    let components = all_components(db, &caller).await?;
    let mut templates = Vec::new();
    let mut offset = Some(0);
    while let Some(next) = offset {
        let filter = TemplateFilter { kind: None, limit: Some(PAGE), offset: Some(next) };
        let page = templates::list(db, &caller, filter).await?;
        templates.extend(page.data.into_iter().map(|template| TemplateItem {
            id: template.id,
            key: template.key,
            kind: template.kind,
            name: template.name,
            title: template.title,
            body: template.body,
            impact: template.impact,
            status: template.status,
            component_ids: template.component_ids,
            version: template.version,
        }));
        offset = page.pagination.next_offset;
    }
    templates.sort_by(|a, b| {
        (a.kind != TemplateKind::Incident, a.name.to_lowercase())
            .cmp(&(b.kind != TemplateKind::Incident, b.name.to_lowercase()))
    });
    Ok(TemplateLibrary { organization, components, templates })
}

pub fn template_kind(text: &str) -> Result<TemplateKind, AppError> {
    match text.trim() {
        "incident" => Ok(TemplateKind::Incident),
        "maintenance" => Ok(TemplateKind::Maintenance),
        _ => Err(AppError::invalid("kind", "A template is for an incident or for maintenance.")),
    }
}

/// A select whose empty option means "no default".
pub fn optional_choice<T: std::str::FromStr<Err = herald::UnknownValue>>(
    field: &str,
    text: Option<&str>,
) -> Result<Option<T>, AppError> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => {
            text.parse().map(Some).map_err(|error: herald::UnknownValue| AppError::invalid(field, error.to_string()))
        }
    }
}

/// The ids of the ticked `components[<id>]` boxes, in order.
pub fn checked_ids(fields: Option<HashMap<String, String>>) -> Result<Vec<i64>, AppError> {
    let mut ids = fields
        .unwrap_or_default()
        .into_keys()
        .map(|id| {
            id.parse::<i64>().map_err(|_| AppError::invalid("components", format!("\"{id}\" is not a component.")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}
