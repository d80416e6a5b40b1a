//! The site's static files (`/pkg/herald.wasm`, `/pkg/herald.js`, `/pkg/herald.css`,
//! `/favicon.svg`, ...), held in memory with their pre-compressed variants and served with
//! validators, so a request costs a hash lookup and never a compression.

use crate::conditional::if_none_match;
use axum::body::Body;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use bytes::Bytes;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_site.rs"));
}

#[derive(Debug, Clone)]
struct Asset {
    content_type: &'static str,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
}

/// Where the site's files came from, for the start-up log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetSource {
    Embedded,
    Directory(PathBuf),
    /// Neither embedded nor found on disk: pages render, but without styles or hydration.
    Missing,
}

#[derive(Debug, Clone)]
pub struct SiteAssets {
    files: HashMap<String, Asset>,
    source: AssetSource,
}

impl SiteAssets {
    /// The site from `override_dir` when given (development: cargo-leptos rebuilds it on
    /// disk), else the copy embedded at build time, else `target/site` below the working
    /// directory (a plain `cargo build`).
    pub fn load(override_dir: Option<&Path>) -> std::io::Result<SiteAssets> {
        if let Some(dir) = override_dir {
            return Self::from_directory(dir);
        }
        if !embedded::EMBEDDED_FILES.is_empty() {
            return Ok(Self::from_files(
                embedded::EMBEDDED_FILES.iter().map(|(path, bytes)| ((*path).to_owned(), Bytes::from_static(bytes))),
                AssetSource::Embedded,
            ));
        }
        let fallback = Path::new("target/site");
        if fallback.is_dir() {
            return Self::from_directory(fallback);
        }
        Ok(Self::from_files(std::iter::empty(), AssetSource::Missing))
    }

    pub fn source(&self) -> &AssetSource {
        &self.source
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn from_directory(dir: &Path) -> std::io::Result<SiteAssets> {
        let mut files = Vec::new();
        read_tree(dir, dir, &mut files)?;
        Ok(Self::from_files(files, AssetSource::Directory(dir.to_path_buf())))
    }

    fn from_files(files: impl IntoIterator<Item = (String, Bytes)>, source: AssetSource) -> SiteAssets {
        let files: HashMap<String, Bytes> = files.into_iter().collect();
        let mut assets = HashMap::new();
        for (path, bytes) in &files {
            if path.ends_with(".gz") || path.ends_with(".br") {
                continue;
            }
            let mut hasher = DefaultHasher::new();
            bytes.hash(&mut hasher);
            let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
                .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
            assets.insert(
                format!("/{path}"),
                Asset {
                    content_type: content_type(path),
                    etag,
                    identity: bytes.clone(),
                    gzip: files.get(&format!("{path}.gz")).cloned(),
                    brotli: files.get(&format!("{path}.br")).cloned(),
                },
            );
        }
        SiteAssets { files: assets, source }
    }

    /// The response for `path`, or `None` when no such file exists.
    pub fn respond(&self, path: &str, request_headers: &HeaderMap) -> Option<Response<Body>> {
        let asset = self.files.get(path)?;
        let mut response = if if_none_match(request_headers, &asset.etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let accepted =
                request_headers.get(header::ACCEPT_ENCODING).and_then(|value| value.to_str().ok()).unwrap_or("");
            let (body, encoding) = match (&asset.brotli, &asset.gzip) {
                (Some(brotli), _) if accepts(accepted, "br") => (brotli.clone(), Some("br")),
                (_, Some(gzip)) if accepts(accepted, "gzip") => (gzip.clone(), Some("gzip")),
                _ => (asset.identity.clone(), None),
            };
            let mut response = Response::new(Body::from(body));
            if let Some(encoding) = encoding {
                response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, asset.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        // File names carry no hash, so browsers revalidate; the ETag makes that a cheap 304.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
        Some(response)
    }
}

fn read_tree(root: &Path, dir: &Path, files: &mut Vec<(String, Bytes)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            read_tree(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            files.push((relative.to_string_lossy().replace('\\', "/"), Bytes::from(std::fs::read(&path)?)));
        }
    }
    Ok(())
}

/// Whether an `Accept-Encoding` value allows `coding` (and does not refuse it with `q=0`).
pub(crate) fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut pieces = part.split(';');
        let name = pieces.next().unwrap_or("").trim();
        let refused = pieces.any(|parameter| {
            let parameter = parameter.trim().replace(' ', "");
            parameter == "q=0" || parameter == "q=0.0" || parameter == "q=0.00" || parameter == "q=0.000"
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn site() -> SiteAssets {
        SiteAssets::from_files(
            [
                ("pkg/herald.css".to_owned(), Bytes::from_static(b"body{}")),
                ("pkg/herald.css.br".to_owned(), Bytes::from_static(b"BR")),
                ("pkg/herald.css.gz".to_owned(), Bytes::from_static(b"GZ")),
                ("favicon.svg".to_owned(), Bytes::from_static(b"<svg/>")),
            ],
            AssetSource::Embedded,
        )
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    async fn body(response: Response<Body>) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec()
    }

    #[tokio::test]
    async fn picks_the_best_precompressed_variant_the_client_accepts() {
        let site = site();
        let br = site.respond("/pkg/herald.css", &headers(&[("accept-encoding", "gzip, deflate, br")])).unwrap();
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(body(br).await, b"BR");

        let gzip = site.respond("/pkg/herald.css", &headers(&[("accept-encoding", "gzip, br;q=0")])).unwrap();
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(body(gzip).await, b"GZ");

        let plain = site.respond("/pkg/herald.css", &HeaderMap::new()).unwrap();
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(body(plain).await, b"body{}");
    }

    #[tokio::test]
    async fn a_matching_etag_gets_an_empty_304() {
        let site = site();
        let first = site.respond("/favicon.svg", &HeaderMap::new()).unwrap();
        let etag = first.headers()[header::ETAG].clone();
        let mut conditional = HeaderMap::new();
        conditional.insert(header::IF_NONE_MATCH, etag.clone());
        let second = site.respond("/favicon.svg", &conditional).unwrap();
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(second.headers()[header::ETAG], etag);
        assert!(body(second).await.is_empty());
    }

    #[test]
    fn unknown_paths_and_compressed_twins_are_not_served_directly() {
        let site = site();
        assert!(site.respond("/pkg/missing.js", &HeaderMap::new()).is_none());
        assert!(site.respond("/pkg/herald.css.br", &HeaderMap::new()).is_none());
        assert_eq!(site.len(), 2);
    }

    #[test]
    fn accept_encoding_parsing_respects_refusals() {
        assert!(accepts("gzip, br", "br"));
        assert!(accepts("GZIP", "gzip"));
        assert!(!accepts("gzip;q=0", "gzip"));
        assert!(!accepts("br; q=0.0", "br"));
        assert!(accepts("br;q=0.5", "br"));
        assert!(!accepts("", "br"));
        assert!(!accepts("brotli", "br"));
    }
}
