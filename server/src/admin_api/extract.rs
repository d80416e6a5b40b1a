//! Reading requests strictly: JSON bodies and query strings whose unknown fields, wrong
//! types and out-of-range values are refused with 422 naming the field, malformed JSON with
//! 400, other media types with 415 and oversized bodies with 413.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// The largest request body the admin API reads; a configuration document is the biggest.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok())) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let body = read_body(request, state).await?;
        parse_json(&body).map(ApiJson)
    }
}

fn is_json(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else { return false };
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

pub async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("The body is larger than the {} KiB this API accepts.", MAX_BODY_BYTES / 1024),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed_body", format!("The body could not be read: {rejection}"))
        }
    })
}

pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_data() {
            field_error(&path, &without_position(&inner.to_string()))
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("The body is not valid JSON: {inner}."))
        }
    })?;
    deserializer.end().map_err(|error| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("The body has more after its JSON: {error}."))
    })?;
    Ok(value)
}

/// Strict query strings, read like bodies.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| field_error(&error.path().to_string(), &error.into_inner().to_string()))
    }
}

fn form_urlencoded_parse(query: &str) -> url::form_urlencoded::Parse<'_> {
    url::form_urlencoded::parse(query.as_bytes())
}

/// serde's messages end with where in the text the problem was; the field path says it better.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// A 422 naming the field. serde reports unknown and missing fields at their parent, with the
/// name in the message; the name is moved into the path.
fn field_error(path: &str, message: &str) -> ApiError {
    let parent = if path == "." { String::new() } else { path.to_owned() };
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next());
    let field = match named {
        // serde_path_to_error already has an unknown field in the path; a missing one is not.
        Some(name) if parent == name || parent.ends_with(&format!(".{name}")) => Some(parent),
        Some(name) if parent.is_empty() => Some(name.to_owned()),
        Some(name) => Some(format!("{parent}.{name}")),
        None if parent.is_empty() => None,
        None => Some(parent),
    };
    let message = match (&field, message.starts_with("unknown field")) {
        (Some(field), true) => format!("{field} is not a field here ({message})."),
        (Some(field), false) => format!("{field}: {message}."),
        (None, _) => format!("{message}."),
    };
    ApiError::invalid(field, message)
}

/// A numeric id from the path; anything else names nothing, so it is a 404.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(text) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found", "This path names nothing."))?;
        text.parse::<i64>().map(Id).map_err(|_| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("\"{text}\" is not an id; ids are whole numbers."),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        count: u8,
    }

    fn refused(json: &str) -> ApiError {
        parse_json::<Body>(json.as_bytes()).expect_err("refused")
    }

    #[test]
    fn errors_name_the_field_at_any_depth() {
        let error = refused(r#"{"name": "x", "items": [{"count": 1}, {"count": 300}]}"#);
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.field.as_deref(), Some("items[1].count"));
        assert!(!error.message.contains("line"), "{}", error.message);

        let error = refused(r#"{"name": "x", "items": [], "extra": 1}"#);
        assert_eq!(error.field.as_deref(), Some("extra"));
        assert!(error.message.starts_with("extra is not a field here"), "{}", error.message);

        let error = refused(r#"{"name": "x", "items": [{"count": 1, "colour": "red"}]}"#);
        assert_eq!(error.field.as_deref(), Some("items[0].colour"));

        let error = refused(r#"{"items": []}"#);
        assert_eq!(error.field.as_deref(), Some("name"));

        let error = refused(r#"{"name": 5, "items": []}"#);
        assert_eq!(error.field.as_deref(), Some("name"));
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        for body in [r#"{"name": "#, "not json", r#"{"name": "x", "items": []} trailing"#] {
            let error = refused(body);
            assert_eq!(error.status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(error.code, "malformed_json");
        }
    }

    #[test]
    fn json_media_types_are_recognised() {
        assert!(is_json(Some("application/json")));
        assert!(is_json(Some("Application/JSON; charset=utf-8")));
        assert!(is_json(Some("application/merge-patch+json")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(None));
    }
}
