//! Organization pages served from memory.
//!
//! A status page gets its peak traffic exactly when something breaks, so a view must cost
//! neither a database query nor a render nor a compression. Each page is rendered once per
//! change (through the very same Leptos router that would render it per request), compressed
//! once with gzip and brotli, and kept with its validators. When the organization changes, the
//! pages people were looking at are re-rendered in the background while the previous bytes are
//! still served; pages nobody asked for lately are simply dropped.

use crate::api_cache::ApiCache;
use crate::compressed::{Compressed, LastModified};
use crate::custom_domain::CustomDomains;
use crate::metrics::HttpMetrics;
use app::locale::{LOCALE_HEADER, requested, requested_in};
use app::ssr::snapshots::Snapshots;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use herald::Locale;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tower::ServiceExt;

/// Pages not asked for within this long are dropped at the next change instead of re-rendered.
const KEEP_UNVISITED: Duration = Duration::from_secs(600);
/// History pages beyond this one are not kept (six years at three months a page).
const MAX_CACHED_HISTORY_PAGE: u32 = 24;
/// A rendered page larger than this is served but not kept.
const LARGEST_CACHED_PAGE: usize = 4 * 1024 * 1024;

/// Which cached page a request is for: its canonical path (with only the query parameters
/// that change the page) and its language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub slug: String,
    pub path_and_query: String,
    pub locale: Locale,
}

impl PageKey {
    /// The organization page a request asks for, if it is one the cache serves.
    pub fn for_request(path: &str, query: Option<&str>, locale: Option<Locale>) -> Option<(PageKey, bool)> {
        let rest = path.strip_prefix("/s/")?;
        let mut segments = rest.split('/');
        let slug = segments.next().filter(|slug| !slug.is_empty())?;
        let tail: Vec<&str> = segments.collect();
        let param = |name: &str| {
            query.and_then(|query| {
                query
                    .split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value)
            })
        };
        let canonical_tail = match tail.as_slice() {
            [] | [""] => String::new(),
            ["embed"] => match param("theme") {
                Some(theme @ ("dark" | "light")) => format!("/embed?theme={theme}"),
                _ => "/embed".to_owned(),
            },
            ["history"] => match param("page").and_then(|page| page.parse::<u32>().ok()).filter(|page| *page > 1) {
                // Arbitrary page numbers must not each become a cache entry: far pages are
                // rendered per request (they are rarely read).
                Some(page) if page > MAX_CACHED_HISTORY_PAGE => return None,
                Some(page) => format!("/history?page={page}"),
                None => "/history".to_owned(),
            },
            ["incidents", id] | ["maintenance", id] if id.parse::<u64>().is_ok() => format!("/{}/{id}", tail[0]),
            _ => return None,
        };
        let key = PageKey {
            slug: slug.to_owned(),
            path_and_query: format!("/s/{slug}{canonical_tail}"),
            locale: locale.unwrap_or(Locale::DEFAULT),
        };
        Some((key, locale.is_some()))
    }
}

pub struct CachedPage {
    organization_id: i64,
    status: StatusCode,
    last_modified: LastModified,
    /// The embed may be framed anywhere; every other page only by itself.
    content_security_policy: HeaderValue,
    body: Compressed,
    last_hit: AtomicI64,
}

pub struct PageCache {
    renderer: Router,
    snapshots: Snapshots,
    db: DatabaseConnection,
    pages: RwLock<HashMap<PageKey, Arc<CachedPage>>>,
    rendering: Mutex<HashMap<PageKey, Arc<tokio::sync::Mutex<()>>>>,
}

impl PageCache {
    pub fn new(renderer: Router, snapshots: Snapshots, db: DatabaseConnection) -> PageCache {
        PageCache { renderer, snapshots, db, pages: RwLock::new(HashMap::new()), rendering: Mutex::new(HashMap::new()) }
    }

    fn cached(&self, key: &PageKey) -> Option<Arc<CachedPage>> {
        self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(key).cloned()
    }

    pub fn len(&self) -> usize {
        self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The page for `key`: from memory, or rendered once however many ask at the same time.
    /// `Err` carries a response that must not be kept (a 404, an error page).
    async fn page(&self, key: &PageKey) -> Result<Arc<CachedPage>, Response> {
        if let Some(page) = self.cached(key) {
            return Ok(page);
        }
        let lock = {
            let mut rendering = self.rendering.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            rendering.entry(key.clone()).or_default().clone()
        };
        let _rendering = lock.lock().await;
        if let Some(page) = self.cached(key) {
            return Ok(page);
        }
        let page = self.render(key).await;
        self.rendering.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(key);
        let page = page?;
        self.pages.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(key.clone(), page.clone());
        Ok(page)
    }

    async fn render(&self, key: &PageKey) -> Result<Arc<CachedPage>, Response> {
        let request = Request::builder()
            .method(Method::GET)
            .uri(&key.path_and_query)
            .header(header::ACCEPT, "text/html")
            .header(LOCALE_HEADER, key.locale.as_str())
            .body(Body::empty())
            .map_err(|error| failure("building a render request", error))?;
        let started = Utc::now();
        let response =
            self.renderer.clone().oneshot(request).await.map_err(|error| failure("rendering a page", error))?;
        let (parts, body) = response.into_parts();
        let html = axum::body::to_bytes(body, LARGEST_CACHED_PAGE * 2)
            .await
            .map_err(|error| failure("reading a rendered page", error))?;
        if parts.status != StatusCode::OK || html.len() > LARGEST_CACHED_PAGE {
            return Err(Response::from_parts(parts, Body::from(html)));
        }
        let Some(snapshot) = self.snapshots.cached(&key.slug) else {
            // Rendering an organization page builds its snapshot; without one the page is not
            // an organization's (or it vanished meanwhile): serve it, keep nothing.
            return Err(Response::from_parts(parts, Body::from(html)));
        };
        let body = Compressed::new(html).await.map_err(|error| failure("compressing a page", error))?;
        Ok(Arc::new(CachedPage {
            organization_id: snapshot.organization_id,
            status: parts.status,
            last_modified: LastModified::new(started),
            content_security_policy: HeaderValue::from_static(if key.path_and_query.contains("/embed") {
                "frame-ancestors *"
            } else {
                "frame-ancestors 'self'"
            }),
            body,
            last_hit: AtomicI64::new(Utc::now().timestamp()),
        }))
    }

    /// After an organization changed: re-render the pages people were reading, drop the rest.
    pub async fn refresh(&self, organization_id: i64) {
        let now = Utc::now().timestamp();
        let keys: Vec<(PageKey, bool)> = {
            let pages = self.pages.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            pages
                .iter()
                .filter(|(_, page)| page.organization_id == organization_id)
                .map(|(key, page)| {
                    (key.clone(), now - page.last_hit.load(Ordering::Relaxed) <= KEEP_UNVISITED.as_secs() as i64)
                })
                .collect()
        };
        for (key, visited) in keys {
            if !visited {
                self.pages.write().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&key);
                continue;
            }
            match self.render(&key).await {
                Ok(page) => {
                    page.last_hit.store(now, Ordering::Relaxed);
                    self.pages.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(key, page);
                }
                // Gone (an incident deleted, the organization renamed): stop serving it.
                Err(_) => {
                    self.pages.write().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&key);
                }
            }
        }
    }

    fn respond(&self, page: &CachedPage, request_headers: &HeaderMap, head_only: bool) -> Response {
        page.last_hit.store(Utc::now().timestamp(), Ordering::Relaxed);
        let mut response =
            page.body.respond(request_headers, &page.last_modified, page.status, "text/html; charset=utf-8", head_only);
        let headers = response.headers_mut();
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding, accept-language"));
        // Browsers revalidate (a 304 is nearly free); shared caches may hold a page a few seconds.
        headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=0, s-maxage=5, must-revalidate"));
        headers.insert(header::CONTENT_SECURITY_POLICY, page.content_security_policy.clone());
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
        response
    }
}

fn failure(doing: &'static str, error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "page cache failed while {doing}");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The page for a request when everything needed to answer it is already in memory: the
/// cached bytes and, unless the request names a language, the organization's default. `None`
/// sends the request down the ordinary path, which renders, caches and answers it.
fn serve_from_memory(cache: &PageCache, request: &Request, path: &str) -> Option<Response> {
    let head_only = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head_only {
        return None;
    }
    let locale = requested_in(request.headers(), request.uri());
    let (mut key, explicit) = PageKey::for_request(path, request.uri().query(), locale)?;
    if !explicit {
        key.locale = cache.snapshots.cached(&key.slug)?.page.organization.default_locale;
    }
    let page = cache.cached(&key)?;
    Some(cache.respond(&page, request.headers(), head_only))
}

/// The server's outermost service. Cached organization pages are answered right here, before
/// routing, middleware or logging, because a page view during an outage must cost as little
/// as nginx serving a file; everything else goes to the full application.
#[derive(Clone)]
pub struct FrontDoor {
    cache: Arc<PageCache>,
    api: Arc<ApiCache>,
    domains: Arc<CustomDomains>,
    application: Router,
    metrics: Arc<HttpMetrics>,
}

impl FrontDoor {
    pub fn new(
        cache: Arc<PageCache>,
        api: Arc<ApiCache>,
        domains: Arc<CustomDomains>,
        application: Router,
        metrics: Arc<HttpMetrics>,
    ) -> FrontDoor {
        FrontDoor { cache, api, domains, application, metrics }
    }

    fn serve_from_memory(&self, request: &Request) -> Option<Response> {
        let path = request.uri().path();
        let rewritten;
        let path = match self.domains.slug_for(request) {
            Some(slug) => {
                rewritten = crate::custom_domain::rewrite(&slug, path)?;
                rewritten.as_str()
            }
            None => path,
        };
        serve_from_memory(&self.cache, request, path)
            .or_else(|| self.api.serve_from_memory(request.method(), path, request.headers()))
    }
}

impl tower::Service<Request> for FrontDoor {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = futures::future::Either<
        std::future::Ready<Result<Response, std::convert::Infallible>>,
        tower::util::Oneshot<Router, Request>,
    >;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match self.serve_from_memory(&request) {
            Some(response) => {
                self.metrics.served_from_memory(response.status());
                futures::future::Either::Left(std::future::ready(Ok(response)))
            }
            None => futures::future::Either::Right(self.application.clone().oneshot(request)),
        }
    }
}

/// The middleware: organization pages from the cache, everything else to the router.
pub async fn serve_cached(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let head_only = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head_only {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let requested_locale = requested(&parts);
    let Some((mut key, explicit)) = PageKey::for_request(parts.uri.path(), parts.uri.query(), requested_locale) else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    if !explicit {
        // Nobody said which language: the organization's own (an unknown slug gets its 404
        // page from the router, uncached).
        match cache.snapshots.get(&cache.db, &key.slug).await {
            Ok(snapshot) => key.locale = snapshot.page.organization.default_locale,
            Err(_) => return next.run(Request::from_parts(parts, body)).await,
        }
    }
    match cache.page(&key).await {
        Ok(page) => cache.respond(&page, &parts.headers, head_only),
        Err(uncached) => uncached,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str, query: Option<&str>) -> Option<String> {
        PageKey::for_request(path, query, Some(Locale::En)).map(|(key, _)| key.path_and_query)
    }

    #[test]
    fn only_organization_pages_are_cached_under_canonical_keys() {
        assert_eq!(key("/s/demo", None).as_deref(), Some("/s/demo"));
        assert_eq!(key("/s/demo/", None).as_deref(), Some("/s/demo"));
        assert_eq!(
            key("/s/demo", Some("utm_source=x&lang=de")).as_deref(),
            Some("/s/demo"),
            "unknown parameters are ignored"
        );
        assert_eq!(key("/s/demo/embed", Some("theme=dark")).as_deref(), Some("/s/demo/embed?theme=dark"));
        assert_eq!(key("/s/demo/embed", Some("theme=<script>")).as_deref(), Some("/s/demo/embed"));
        assert_eq!(key("/s/demo/history", Some("page=2")).as_deref(), Some("/s/demo/history?page=2"));
        assert_eq!(key("/s/demo/history", Some("page=1")).as_deref(), Some("/s/demo/history"));
        assert_eq!(key("/s/demo/history", Some("page=-4")).as_deref(), Some("/s/demo/history"));
        assert_eq!(key("/s/demo/history", Some("page=99999999999999")).as_deref(), Some("/s/demo/history"));
        assert_eq!(key("/s/demo/history", Some("page=24")).as_deref(), Some("/s/demo/history?page=24"));
        assert_eq!(key("/s/demo/history", Some("page=25")), None, "far pages are not cached");
        assert_eq!(key("/s/demo/incidents/12", None).as_deref(), Some("/s/demo/incidents/12"));
        assert_eq!(key("/s/demo/incidents/abc", None), None);
        assert_eq!(key("/s/demo/live", None), None);
        assert_eq!(key("/s/demo/badge.svg", None), None);
        assert_eq!(key("/s/", None), None);
        assert_eq!(key("/pkg/herald.css", None), None);
        assert_eq!(key("/", None), None);
    }

    #[test]
    fn the_language_is_part_of_the_key() {
        let (english, _) = PageKey::for_request("/s/demo", None, Some(Locale::En)).unwrap_or_else(|| panic!("a key"));
        let (german, explicit) =
            PageKey::for_request("/s/demo", None, Some(Locale::De)).unwrap_or_else(|| panic!("a key"));
        assert!(explicit);
        assert_ne!(english, german);
        let (_, explicit) = PageKey::for_request("/s/demo", None, None).unwrap_or_else(|| panic!("a key"));
        assert!(!explicit, "no language asked for: the organization's default applies");
    }
}
