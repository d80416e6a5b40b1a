//! The session cookie on the current request and response (inside server functions).

use super::accounts::{SESSION_COOKIE, SESSION_LIFETIME};
use http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use http::{HeaderValue, request::Parts};

fn parts() -> Option<Parts> {
    leptos::prelude::use_context::<Parts>()
}

/// The session token the browser sent with the current request, if any.
pub fn token() -> Option<String> {
    token_in(&parts()?.headers)
}

/// The session token among a request's cookies.
pub fn token_in(headers: &http::HeaderMap) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_owned())
        })
    })
}

/// Behind a TLS-terminating proxy the browser speaks https; the cookie must then never travel
/// over plain http.
fn secure() -> bool {
    parts().is_some_and(|parts| {
        parts.headers.get("x-forwarded-proto").and_then(|value| value.to_str().ok()) == Some("https")
            || parts
                .headers
                .get("forwarded")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.contains("proto=https"))
    })
}

fn set(value: &str) {
    if let (Some(response), Ok(header)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(value))
    {
        response.append_header(SET_COOKIE, header);
    }
}

pub fn start(token: &str) {
    let secure = if secure() { "; Secure" } else { "" };
    set(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION_LIFETIME.num_seconds()
    ));
}

pub fn clear() {
    let secure = if secure() { "; Secure" } else { "" };
    set(&format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"));
}

/// The client's address as the nearest proxy reports it (Herald runs behind one in production);
/// used only to throttle sign-in attempts.
pub fn client_address() -> Option<String> {
    let parts = parts()?;
    let header = |name: &str| parts.headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    header("x-real-ip")
        .or_else(|| header("x-forwarded-for").and_then(|list| list.split(',').next()).map(str::trim))
        .filter(|address| !address.is_empty() && address.len() <= 64)
        .map(str::to_owned)
}

/// This site's address as the browser sees it (`https://status.example.com`), for links a
/// person copies and sends, such as an invitation.
pub fn origin() -> Option<String> {
    let parts = parts()?;
    let host = parts.headers.get(http::header::HOST)?.to_str().ok()?;
    let valid =
        !host.is_empty() && host.len() <= 255 && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    valid.then(|| format!("{}://{host}", if secure() { "https" } else { "http" }))
}

pub fn user_agent() -> Option<String> {
    parts()?.headers.get(USER_AGENT).and_then(|value| value.to_str().ok()).map(str::to_owned)
}

/// Where to go after signing in: only a path on this site, never another host.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path.to_owned(),
        _ => "/dashboard".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{local_path, token_in};

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::COOKIE, "theme=dark; herald_session=hrls_abc; x=1".parse().unwrap());
        assert_eq!(token_in(&headers).as_deref(), Some("hrls_abc"));
        let mut empty = http::HeaderMap::new();
        empty.append(http::header::COOKIE, "herald_session=; other=herald_session".parse().unwrap());
        assert_eq!(token_in(&empty), None);
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/dashboard/acme")), "/dashboard/acme");
        for unsafe_next in
            [None, Some("https://evil.example"), Some("//evil.example"), Some("/\\evil.example"), Some("")]
        {
            assert_eq!(local_path(unsafe_next), "/dashboard", "{unsafe_next:?}");
        }
    }
}
