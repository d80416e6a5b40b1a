//! The admin API's one error shape: `{"error": {"code", "message", "field"}}` with the status
//! that matches, for every failure from a bad token to a stale edit.

use app::error::AppError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
}

/// What every error response carries.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: unauthorized, forbidden, not_found, invalid, conflict,
    /// malformed_json, unsupported_media_type, payload_too_large, rate_limited, internal.
    pub code: String,
    /// For people.
    pub message: String,
    /// The request field the error is about, as a path such as `components[0].status`.
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None, retry_after: None }
    }

    pub fn invalid(field: Option<String>, message: impl Into<String>) -> ApiError {
        ApiError { field, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message) }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = error.to_string();
        match error {
            AppError::Invalid { field, .. } => ApiError::invalid(field, message),
            AppError::NotFound(_) => ApiError::new(status, "not_found", message),
            AppError::Conflict(_) => ApiError::new(status, "conflict", message),
            AppError::Unauthorized(_) => ApiError::new(status, "unauthorized", message),
            AppError::Forbidden(_) => ApiError::new(status, "forbidden", message),
            AppError::RateLimited(_) => ApiError::new(status, "rate_limited", message),
            AppError::Internal | AppError::Transport(_) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", AppError::Internal.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            ErrorBody { error: ErrorDetail { code: self.code.to_owned(), message: self.message, field: self.field } };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"herald\""));
        }
        if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body is never read, so the connection cannot carry another request.
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// The failures every authenticated route can answer with, for the spec.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum CommonErrors {
    /// No token, or one that is unknown, revoked or expired.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token's role or scope does not allow this.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// A field is missing, unknown, of the wrong type or out of range; `field` names it.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// Too many requests with this token; wait for `Retry-After` seconds.
    #[response(status = 429)]
    RateLimited(ErrorBody),
}
