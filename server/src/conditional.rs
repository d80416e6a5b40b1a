//! Conditional requests: whether a client's cached copy is still current.

use axum::http::header::{self, HeaderMap, HeaderValue};

/// True when `If-None-Match` names `etag` (weak or strong) or is `*`.
pub fn if_none_match(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|candidate| {
            let candidate = candidate.trim();
            candidate == "*" || candidate.trim_start_matches("W/").as_bytes() == etag.as_bytes()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_strong_weak_lists_and_star() {
        let etag = HeaderValue::from_static("\"abc\"");
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
            if_none_match(&headers, &etag)
        };
        assert!(with("\"abc\""));
        assert!(with("W/\"abc\""));
        assert!(with("\"x\", \"abc\""));
        assert!(with("*"));
        assert!(!with("\"abcd\""));
        assert!(!with("abc"));
        assert!(!if_none_match(&HeaderMap::new(), &etag));
    }
}
