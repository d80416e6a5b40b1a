//! Organizations on their own domain: `status.acme.example/` is `/s/acme`. Requests whose
//! `Host` is an organization's custom domain are rewritten to that organization's paths
//! before routing; everything else (assets, server functions, health) passes unchanged.

use app::ssr::entities::organizations;
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::http::header::HOST;
use axum::middleware::Next;
use axum::response::Response;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long the domain map is trusted before it is read again.
const REFRESH: Duration = Duration::from_secs(30);

pub struct CustomDomains {
    db: DatabaseConnection,
    map: RwLock<(HashMap<String, String>, Option<Instant>)>,
}

impl CustomDomains {
    pub fn new(db: DatabaseConnection) -> CustomDomains {
        CustomDomains { db, map: RwLock::new((HashMap::new(), None)) }
    }

    /// Forgets the map, so the next request reads it again (after an organization changed).
    pub fn invalidate(&self) {
        self.map.write().unwrap_or_else(|poisoned| poisoned.into_inner()).1 = None;
    }

    async fn slug_for(&self, host: &str) -> Option<String> {
        {
            let map = self.map.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            if map.1.is_some_and(|loaded| loaded.elapsed() < REFRESH) {
                return map.0.get(host).cloned();
            }
        }
        let rows: Result<Vec<(Option<String>, String)>, _> = organizations::Entity::find()
            .select_only()
            .column(organizations::Column::CustomDomain)
            .column(organizations::Column::Slug)
            .filter(organizations::Column::CustomDomain.is_not_null())
            .into_tuple()
            .all(&self.db)
            .await;
        let mut map = self.map.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        match rows {
            Ok(rows) => {
                map.0 =
                    rows.into_iter().filter_map(|(domain, slug)| Some((domain?.to_ascii_lowercase(), slug))).collect();
                map.1 = Some(Instant::now());
            }
            // Keep serving the previous map; try again on the next request.
            Err(error) => tracing::warn!(%error, "reading custom domains failed"),
        }
        map.0.get(host).cloned()
    }
}

/// The organization path a custom-domain path stands for, or `None` to leave it alone.
pub fn rewrite(slug: &str, path: &str) -> Option<String> {
    let organization_paths =
        ["/embed", "/history", "/live", "/badge.svg", "/incidents/", "/maintenance/", "/components/"];
    if path == "/" {
        Some(format!("/s/{slug}"))
    } else if organization_paths.iter().any(|prefix| path == *prefix || path.starts_with(prefix)) {
        Some(format!("/s/{slug}{path}"))
    } else {
        None
    }
}

pub async fn route_custom_domains(
    State(domains): State<Arc<CustomDomains>>,
    mut request: Request,
    next: Next,
) -> Response {
    let host = request.headers().get(HOST).and_then(|value| value.to_str().ok()).or_else(|| request.uri().host()).map(
        |host| {
            host.rsplit_once(':')
                .filter(|(_, port)| port.parse::<u16>().is_ok())
                .map_or(host, |(name, _)| name)
                .to_ascii_lowercase()
        },
    );
    if let Some(host) = host
        && let Some(slug) = domains.slug_for(&host).await
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
