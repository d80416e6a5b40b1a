//! The public JSON documents, kept in memory per organization.
//!
//! Aggregators and bots poll `summary.json` every few seconds from everywhere at once, and
//! hardest during an outage. Each organization's documents are built once per change (after
//! its page snapshot, so both always agree), compressed once, and answered with validators
//! before routing, like the cached pages.

use crate::compressed::{Compressed, LastModified};
use app::error::AppError;
use app::ssr::public_api::{self, ApiDocument};
use app::ssr::snapshots::Snapshots;
use app::ssr::status_page;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sea_orm::{DatabaseConnection, EntityTrait};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Clients may reuse a document this long without asking; then they revalidate (a 304).
const CACHE_CONTROL: &str = "public, max-age=10";

pub struct CachedDocuments {
    organization_id: i64,
    last_modified: LastModified,
    documents: HashMap<ApiDocument, Compressed>,
}

pub struct ApiCache {
    snapshots: Snapshots,
    db: DatabaseConnection,
    public_url: String,
    by_slug: RwLock<HashMap<String, Arc<CachedDocuments>>>,
    /// One build at a time: a burst of first requests builds each organization once.
    building: tokio::sync::Mutex<()>,
}

/// Which document a path asks for: `/s/:slug/api/v2/…` (Statuspage's) or `/api/:slug/…`
/// (Herald's own). `Err(slug)` for a path under an organization's API that names no document.
pub fn requested(path: &str) -> Option<Result<(&str, ApiDocument), &str>> {
    if let Some(rest) = path.strip_prefix("/s/") {
        let (slug, name) = rest.split_once("/api/v2/")?;
        if slug.is_empty() || slug.contains('/') {
            return None;
        }
        return Some(ApiDocument::statuspage(name).map(|document| (slug, document)).ok_or(slug));
    }
    let (slug, name) = path.strip_prefix("/api/")?.split_once('/')?;
    if slug.is_empty() {
        return None;
    }
    Some(ApiDocument::herald(name).map(|document| (slug, document)).ok_or(slug))
}

impl ApiCache {
    pub fn new(snapshots: Snapshots, db: DatabaseConnection, public_url: String) -> ApiCache {
        ApiCache { snapshots, db, public_url, by_slug: RwLock::new(HashMap::new()), building: Default::default() }
    }

    pub fn cached(&self, slug: &str) -> Option<Arc<CachedDocuments>> {
        self.by_slug.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(slug).cloned()
    }

    /// The documents of `slug`, built on first use. Unknown slugs are a 404 and are not kept.
    pub async fn get(&self, slug: &str) -> Result<Arc<CachedDocuments>, AppError> {
        if let Some(documents) = self.cached(slug) {
            return Ok(documents);
        }
        let _building = self.building.lock().await;
        if let Some(documents) = self.cached(slug) {
            return Ok(documents);
        }
        let organization = status_page::organization(&self.db, slug).await?;
        let documents = Arc::new(self.build(&organization).await?);
        self.store(&organization.slug, documents.clone());
        Ok(documents)
    }

    async fn build(
        &self,
        organization: &app::ssr::entities::organizations::Model,
    ) -> Result<CachedDocuments, AppError> {
        let snapshot = self.snapshots.get(&self.db, &organization.slug).await?;
        let built = public_api::build(&self.db, organization, &snapshot.page, &self.public_url).await?;
        let last_modified = LastModified::new(built.updated_at);
        let documents = tokio::task::spawn_blocking(move || {
            built
                .documents
                .into_iter()
                .map(|(document, json)| (document, Compressed::now(Bytes::from(json))))
                .collect::<HashMap<_, _>>()
        })
        .await
        .map_err(app::ssr::internal("compressing API documents"))?;
        Ok(CachedDocuments { organization_id: organization.id, last_modified, documents })
    }

    fn store(&self, slug: &str, documents: Arc<CachedDocuments>) {
        let mut by_slug = self.by_slug.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        // A renamed organization leaves its old slug behind.
        by_slug.retain(|_, cached| cached.organization_id != documents.organization_id);
        by_slug.insert(slug.to_owned(), documents);
    }

    /// After an organization changed: rebuild its documents if anyone asked for them.
    pub async fn refresh(&self, organization_id: i64) {
        let cached = {
            let by_slug = self.by_slug.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            by_slug.values().any(|documents| documents.organization_id == organization_id)
        };
        if !cached {
            return;
        }
        let _building = self.building.lock().await;
        let organization = match app::ssr::entities::organizations::Entity::find_by_id(organization_id)
            .one(&self.db)
            .await
        {
            Ok(Some(organization)) => organization,
            Ok(None) => {
                let mut by_slug = self.by_slug.write().unwrap_or_else(|poisoned| poisoned.into_inner());
                by_slug.retain(|_, documents| documents.organization_id != organization_id);
                return;
            }
            Err(error) => {
                tracing::warn!(organization_id, %error, "reloading an organization for its API documents failed; serving the previous ones");
                return;
            }
        };
        match self.build(&organization).await {
            Ok(documents) => self.store(&organization.slug, Arc::new(documents)),
            Err(error) => {
                tracing::warn!(organization_id, %error, "rebuilding API documents failed; serving the previous ones")
            }
        }
    }

    /// Answers a request for an already cached document, or `None` to go the ordinary way.
    pub fn serve_from_memory(&self, method: &Method, path: &str, request_headers: &HeaderMap) -> Option<Response> {
        if method != Method::GET && method != Method::HEAD {
            return None;
        }
        let Ok((slug, document)) = requested(path)? else { return None };
        let documents = self.cached(slug)?;
        Some(respond(&documents, document, request_headers, method == Method::HEAD))
    }
}

pub fn respond(
    documents: &CachedDocuments,
    document: ApiDocument,
    request_headers: &HeaderMap,
    head_only: bool,
) -> Response {
    let Some(body) = documents.documents.get(&document) else {
        return error(StatusCode::NOT_FOUND, "not_found", "There is no such document.");
    };
    let mut response =
        body.respond(request_headers, &documents.last_modified, StatusCode::OK, "application/json", head_only);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    cors(headers);
    response
}

/// Anyone may read public status from any origin.
fn cors(headers: &mut HeaderMap) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("etag, last-modified"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
}

/// `{"error": {"code", "message"}}`, the shape every Herald API error has.
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message } }).to_string();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    cors(headers);
    response
}

/// The answer to a browser's CORS preflight.
pub fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    cors(headers);
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("if-none-match, if-modified-since, cache-control"),
    );
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuspage_and_herald_paths_name_their_documents() {
        assert_eq!(requested("/s/acme/api/v2/summary.json"), Some(Ok(("acme", ApiDocument::Summary))));
        assert_eq!(
            requested("/s/acme/api/v2/scheduled-maintenances/upcoming.json"),
            Some(Ok(("acme", ApiDocument::UpcomingMaintenances)))
        );
        assert_eq!(requested("/api/acme/status"), Some(Ok(("acme", ApiDocument::HeraldStatus))));
        assert_eq!(requested("/api/acme/snapshot"), Some(Ok(("acme", ApiDocument::HeraldSnapshot))));
        assert_eq!(requested("/s/acme/api/v2/pages.json"), Some(Err("acme")), "unknown documents are the API's 404");
        assert_eq!(requested("/api/acme/nothing"), Some(Err("acme")));
        assert_eq!(requested("/s/acme"), None);
        assert_eq!(requested("/s//api/v2/summary.json"), None);
        assert_eq!(requested("/s/a/b/api/v2/summary.json"), None);
        assert_eq!(requested("/api/acme"), None);
        assert_eq!(requested("/pkg/herald.js"), None);
    }
}
