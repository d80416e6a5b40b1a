//! A response body kept in memory in every encoding a client may ask for, with its validator:
//! compressed once when it changes instead of on every request.

use crate::conditional::if_none_match;
use axum::body::Body;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;

pub struct Compressed {
    pub identity: Bytes,
    pub gzip: Bytes,
    pub brotli: Bytes,
    /// A strong validator of the uncompressed bytes.
    pub etag: HeaderValue,
}

impl Compressed {
    /// Compresses `bytes` off the async threads.
    pub async fn new(bytes: Bytes) -> Result<Compressed, tokio::task::JoinError> {
        tokio::task::spawn_blocking(move || Compressed::now(bytes)).await
    }

    pub fn now(bytes: Bytes) -> Compressed {
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .unwrap_or(HeaderValue::from_static("\"0\""));
        Compressed { gzip: gzip(&bytes), brotli: brotli(&bytes), identity: bytes, etag }
    }

    /// The body for a request's `Accept-Encoding`, and the `Content-Encoding` to send with it.
    pub fn for_request(&self, request_headers: &HeaderMap) -> (Bytes, Option<&'static str>) {
        let accepted = request_headers.get(header::ACCEPT_ENCODING).and_then(|value| value.to_str().ok()).unwrap_or("");
        if crate::assets::accepts(accepted, "br") {
            (self.brotli.clone(), Some("br"))
        } else if crate::assets::accepts(accepted, "gzip") {
            (self.gzip.clone(), Some("gzip"))
        } else {
            (self.identity.clone(), None)
        }
    }
}

impl Compressed {
    /// The answer to a GET or HEAD: 304 when the client's copy is current, else the body in
    /// the encoding it accepts; with the validators either way. Callers add their own
    /// caching and security headers.
    pub fn respond(
        &self,
        request_headers: &HeaderMap,
        last_modified: &LastModified,
        status: StatusCode,
        content_type: &'static str,
        head_only: bool,
    ) -> Response {
        let not_modified = if_none_match(request_headers, &self.etag)
            || (request_headers.get(header::IF_NONE_MATCH).is_none()
                && not_modified_since(request_headers, last_modified.at));
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let (body, encoding) = self.for_request(request_headers);
            let length = body.len();
            let mut response = Response::new(if head_only { Body::empty() } else { Body::from(body) });
            *response.status_mut() = status;
            let headers = response.headers_mut();
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::LAST_MODIFIED, last_modified.header.clone());
        response
    }
}

/// When a body last changed, with its `Last-Modified` value formatted once.
pub struct LastModified {
    pub at: DateTime<Utc>,
    header: HeaderValue,
}

impl LastModified {
    pub fn new(at: DateTime<Utc>) -> LastModified {
        let header = HeaderValue::from_str(&at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
            .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"));
        LastModified { at, header }
    }
}

fn not_modified_since(headers: &HeaderMap, last_modified: DateTime<Utc>) -> bool {
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| DateTime::parse_from_rfc2822(value).ok())
        .is_some_and(|since| last_modified.timestamp() <= since.timestamp())
}

fn gzip(bytes: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::best());
    if encoder.write_all(bytes).is_err() {
        return Bytes::copy_from_slice(bytes);
    }
    encoder.finish().map(Bytes::from).unwrap_or_else(|_| Bytes::copy_from_slice(bytes))
}

fn brotli(bytes: &[u8]) -> Bytes {
    let mut output = Vec::with_capacity(bytes.len() / 4);
    let params = brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() };
    match brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut output, &params) {
        Ok(_) => Bytes::from(output),
        Err(_) => Bytes::copy_from_slice(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn every_encoding_round_trips() {
        let page = "<p>All systems operational</p>".repeat(200);
        let compressed = Compressed::now(Bytes::from(page.clone()));
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&compressed.gzip[..]).read_to_string(&mut unzipped).unwrap_or_default();
        assert_eq!(unzipped, page);
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut std::io::Cursor::new(&compressed.brotli[..]), &mut unbrotli).unwrap_or_default();
        assert_eq!(unbrotli, page.as_bytes());
        assert!(compressed.brotli.len() < page.len() / 10);
    }

    #[test]
    fn the_encoding_follows_accept_encoding() {
        let compressed = Compressed::now(Bytes::from_static(b"{\"status\":\"ok\"}"));
        let with = |accepted: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(accepted).unwrap_or(HeaderValue::from_static("")),
            );
            compressed.for_request(&headers).1
        };
        assert_eq!(with("gzip, deflate, br"), Some("br"));
        assert_eq!(with("gzip"), Some("gzip"));
        assert_eq!(with("identity"), None);
        assert_eq!(compressed.for_request(&HeaderMap::new()).1, None);
    }

    #[test]
    fn the_validator_follows_the_content() {
        let a = Compressed::now(Bytes::from_static(b"one"));
        let b = Compressed::now(Bytes::from_static(b"two"));
        assert_ne!(a.etag, b.etag);
        assert_eq!(a.etag, Compressed::now(Bytes::from_static(b"one")).etag);
    }
}
