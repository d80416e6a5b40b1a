//! A server function whose arguments cannot be read (a missing field, a mangled form) answers
//! with [`AppError::Invalid`], but Leptos sends every error it raises itself as a 500. That
//! blames the server for the client's request, so this turns those answers into 422s.

use app::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Error bodies are a sentence or two; anything larger is not one of ours.
const LARGEST_ERROR_BODY: usize = 64 * 1024;

pub async fn unreadable_arguments_are_client_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let from_a_server_function = response.headers().contains_key(SERVER_FN_ERROR_HEADER);
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !from_a_server_function {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, LARGEST_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if matches!(serde_json::from_slice::<AppError>(&bytes), Ok(AppError::Invalid { .. })) {
        parts.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Response::from_parts(parts, Body::from(bytes))
}
