//! An organization that changed its address is still reached at the old one: a request to an
//! old address that would be a 404 is redirected to the same path at the new address, so
//! links in emails, feed readers, embeds, badges and bookmarks keep working.

use crate::startup::ServerState;
use app::ssr::repositories as repo;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Where a slug sits in a path: the prefix before it, the slug, and the rest after it.
fn slug_in(path: &str) -> Option<(&'static str, &str, &str)> {
    for prefix in ["/s/", "/dashboard/", "/api/"] {
        let Some(rest) = path.strip_prefix(prefix) else { continue };
        let (slug, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        // `/api/v1/…` is the admin API, not an organization.
        if slug.is_empty() || (prefix == "/api/" && slug == "v1") {
            return None;
        }
        return Some((prefix, slug, tail));
    }
    None
}

pub async fn follow_moved_organizations(State(state): State<ServerState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let Some((prefix, slug, tail)) = slug_in(uri.path()) else { return response };
    let organization = match repo::organizations::moved_from(&state.db, slug).await {
        Ok(Some(organization)) => organization,
        Ok(None) => return response,
        Err(error) => {
            tracing::warn!(%error, "looking up a former address failed");
            return response;
        }
    };
    let query = uri.query().map(|query| format!("?{query}")).unwrap_or_default();
    let location = format!("{prefix}{}{tail}{query}", organization.slug);
    let Ok(location) = HeaderValue::from_str(&location) else { return response };
    // 301 is what feed readers and crawlers know best; other methods keep theirs with 308.
    let status = if method == Method::GET || method == Method::HEAD {
        StatusCode::MOVED_PERMANENTLY
    } else {
        StatusCode::PERMANENT_REDIRECT
    };
    (status, [(header::LOCATION, location)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::slug_in;

    #[test]
    fn the_slug_is_found_where_organizations_are_addressed() {
        assert_eq!(slug_in("/s/acme"), Some(("/s/", "acme", "")));
        assert_eq!(slug_in("/s/acme/history.rss"), Some(("/s/", "acme", "/history.rss")));
        assert_eq!(slug_in("/dashboard/acme/settings"), Some(("/dashboard/", "acme", "/settings")));
        assert_eq!(slug_in("/api/acme/status"), Some(("/api/", "acme", "/status")));
        for elsewhere in ["/", "/s/", "/dashboard", "/api/v1/components", "/login", "/pkg/herald.js"] {
            assert_eq!(slug_in(elsewhere), None, "{elsewhere}");
        }
    }
}
