//! Organizations on their own domain: `status.acme.example/` is `/s/acme`. Requests whose
//! `Host` is an organization's custom domain are rewritten to that organization's paths
//! before routing; everything else (assets, server functions, health) passes unchanged.

use app::ssr::entities::organizations;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::http::header::HOST;
use axum::middleware::Next;
use axum::response::Response;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How often the domain map is read again even when no change was seen (a domain set directly
/// in the database, or by another replica whose events this one missed).
pub const RELOAD_EVERY: Duration = Duration::from_secs(30);

/// The custom domains, held in memory and reloaded in the background: a request never waits for
/// the database, and a change does not send every request in flight to reread the map at once.
pub struct CustomDomains {
    db: DatabaseConnection,
    map: RwLock<HashMap<String, String>>,
}

impl CustomDomains {
    pub fn new(db: DatabaseConnection) -> CustomDomains {
        CustomDomains { db, map: RwLock::new(HashMap::new()) }
    }

    /// Reads the map from the database; on failure the previous one stays in use.
    pub async fn reload(&self) -> Result<(), DbErr> {
        let rows: Vec<(Option<String>, String)> = organizations::Entity::find()
            .select_only()
            .column(organizations::Column::CustomDomain)
            .column(organizations::Column::Slug)
            .filter(organizations::Column::CustomDomain.is_not_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let map = rows.into_iter().filter_map(|(domain, slug)| Some((domain?.to_ascii_lowercase(), slug))).collect();
        *self.map.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = map;
        Ok(())
    }

    /// The organization whose custom domain the request is for, if any.
    pub fn slug_for(&self, request: &Request) -> Option<String> {
        let map = self.map.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        if map.is_empty() {
            return None;
        }
        host(request).and_then(|host| map.get(&host).cloned())
    }
}

/// The organization path a custom-domain path stands for, or `None` to leave it alone.
pub fn rewrite(slug: &str, path: &str) -> Option<String> {
    let organization_paths = [
        "/embed",
        "/history",
        "/live",
        "/badge.svg",
        "/incidents/",
        "/maintenance/",
        "/maintenance.ics",
        "/components/",
        "/api/v2/",
        "/subscribe",
    ];
    if path == "/" {
        Some(format!("/s/{slug}"))
    } else if organization_paths.iter().any(|prefix| path == *prefix || path.starts_with(prefix)) {
        Some(format!("/s/{slug}{path}"))
    } else {
        None
    }
}

/// The request's host name, lower-case, without a port.
fn host(request: &Request) -> Option<String> {
    let host = request.headers().get(HOST).and_then(|value| value.to_str().ok()).or_else(|| request.uri().host())?;
    let name = host.rsplit_once(':').filter(|(_, port)| port.parse::<u16>().is_ok()).map_or(host, |(name, _)| name);
    Some(name.to_ascii_lowercase())
}

pub async fn route_custom_domains(
    State(domains): State<Arc<CustomDomains>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(slug) = domains.slug_for(&request)
        && let Some(path) = rewrite(&slug, request.uri().path())
    {
        let path_and_query = match request.uri().query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        if let Ok(uri) = path_and_query.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn organization_paths_move_under_the_slug_and_the_rest_stays() {
        assert_eq!(rewrite("acme", "/").as_deref(), Some("/s/acme"));
        assert_eq!(rewrite("acme", "/history").as_deref(), Some("/s/acme/history"));
        assert_eq!(rewrite("acme", "/incidents/4").as_deref(), Some("/s/acme/incidents/4"));
        assert_eq!(rewrite("acme", "/badge.svg").as_deref(), Some("/s/acme/badge.svg"));
        assert_eq!(rewrite("acme", "/live").as_deref(), Some("/s/acme/live"));
        assert_eq!(rewrite("acme", "/pkg/herald.css"), None);
        assert_eq!(rewrite("acme", "/api/get_status_page123"), None);
        assert_eq!(rewrite("acme", "/healthz"), None);
        assert_eq!(rewrite("acme", "/s/acme"), None, "the long form keeps working");
        assert_eq!(
            rewrite("acme", "/historyx"),
            Some("/s/acme/historyx".to_owned()),
            "unknown subpaths 404 inside the organization"
        );
    }
}
