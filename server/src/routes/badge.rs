//! `GET /s/:slug/badge.svg` and `GET /s/:slug/components/:component/badge.svg`: Shields-style
//! status badges, drawn from the in-memory snapshot (no database query).

use crate::conditional::if_none_match;
use crate::startup::ServerState;
use app::i18n;
use app::model::{ComponentRow, Section};
use app::ssr::badge::{self, Badge, BadgeStyle};
use axum::extract::{Path, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use herald::{ComponentStatus, Indicator, Locale};
use serde::Deserialize;
use std::hash::{DefaultHasher, Hash, Hasher};

#[derive(Debug, Default, Deserialize)]
pub struct BadgeQuery {
    style: Option<String>,
    label: Option<String>,
    lang: Option<String>,
}

fn indicator_colour(indicator: Indicator) -> &'static str {
    match indicator {
        Indicator::None => "#2da44e",
        Indicator::Minor => "#bf8700",
        Indicator::Major => "#e36209",
        Indicator::Critical => "#cf222e",
        Indicator::Maintenance => "#0969da",
    }
}

fn status_colour(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::NoData => "#9f9f9f",
        other => indicator_colour(other.indicator()),
    }
}

#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn organization_badge(
    Path(slug): Path<String>,
    Query(query): Query<BadgeQuery>,
    State(state): State<ServerState>,
    headers: HeaderMap,
) -> Response {
    let snapshot = match state.app.snapshots.get(&state.app.db, &slug).await {
        Ok(snapshot) => snapshot,
        Err(error) => return not_found(&error.to_string()),
    };
    let page = &snapshot.page;
    let locale = locale(&query, page.organization.default_locale);
    let label = query.label.clone().unwrap_or_else(|| page.organization.name.clone());
    let message = i18n::headline(locale, page.indicator);
    svg(&headers, &label, message, indicator_colour(page.indicator), &query)
}

#[tracing::instrument(skip_all, fields(slug = %slug, component = %component))]
pub async fn component_badge(
    Path((slug, component)): Path<(String, String)>,
    Query(query): Query<BadgeQuery>,
    State(state): State<ServerState>,
    headers: HeaderMap,
) -> Response {
    let snapshot = match state.app.snapshots.get(&state.app.db, &slug).await {
        Ok(snapshot) => snapshot,
        Err(error) => return not_found(&error.to_string()),
    };
    let page = &snapshot.page;
    let mut rows = page.sections.iter().flat_map(|section| match section {
        Section::Component(row) => std::slice::from_ref(row).iter(),
        Section::Group(group) => group.components.iter(),
    });
    let found: Option<&ComponentRow> = rows.find(|row| row.key == component || row.id.to_string() == component);
    let Some(row) = found else {
        return not_found("There is no such component on this status page.");
    };
    let locale = locale(&query, page.organization.default_locale);
    let label = query.label.clone().unwrap_or_else(|| row.name.clone());
    svg(&headers, &label, i18n::component_status(locale, row.status), status_colour(row.status), &query)
}

fn locale(query: &BadgeQuery, default: Locale) -> Locale {
    query.lang.as_deref().and_then(Locale::parse_tag).unwrap_or(default)
}

fn not_found(message: &str) -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message.to_owned()).into_response()
}

fn svg(request: &HeaderMap, label: &str, message: &str, colour: &str, query: &BadgeQuery) -> Response {
    let body = badge::render(&Badge { label, message, colour, style: BadgeStyle::parse(query.style.as_deref()) });
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let mut response =
        if if_none_match(request, &etag) { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8"));
    // Short: a badge in a README should turn red within a minute of an outage.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=30"));
    headers.insert(header::ETAG, etag);
    response
}
