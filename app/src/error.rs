//! The one error type that crosses the wire between server functions and the page.
//!
//! It carries only what a person may read: the server logs the real cause of an internal
//! failure and sends [`AppError::Internal`] with nothing more.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or belongs to another organization: the two are
    /// indistinguishable on purpose).
    #[error("{0}")]
    NotFound(String),
    /// A value the person typed is not acceptable; `field` names the form field it belongs to.
    #[error("{message}")]
    Invalid { field: Option<String>, message: String },
    /// The request clashes with the current state (a duplicate, a stale edit, setup already done).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts; the message says when to try again.
    #[error("{0}")]
    RateLimited(String),
    /// Something failed on the server; the cause is in the server's log, not here.
    #[error("Something went wrong on our side and it has been logged. Please try again in a moment.")]
    Internal,
    /// The request never reached the server function or its answer could not be read.
    #[error("The server could not be reached or sent an unreadable answer ({0}). Check your connection and try again.")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid { field: Some(field.to_owned()), message: message.into() }
    }

    /// The message to show next to `field`, when this error is about that field.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { field: Some(f), message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// Whether the error concerns no particular field and so belongs at the top of a form.
    pub fn is_general(&self) -> bool {
        !matches!(self, AppError::Invalid { field: Some(_), .. })
    }

    pub fn http_status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Invalid { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::RateLimited(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                AppError::Invalid { field: None, message: format!("The form was incomplete: {message}") }
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_are_found_only_for_their_field() {
        let error = AppError::invalid("slug", "A slug may only contain lowercase letters");
        assert_eq!(error.message_for("slug").as_deref(), Some("A slug may only contain lowercase letters"));
        assert_eq!(error.message_for("name"), None);
        assert!(!error.is_general());
        assert!(AppError::Internal.is_general());
    }

    #[test]
    fn every_error_maps_to_a_distinct_meaningful_status() {
        assert_eq!(AppError::NotFound("x".into()).http_status(), 404);
        assert_eq!(AppError::invalid("f", "m").http_status(), 422);
        assert_eq!(AppError::Conflict("x".into()).http_status(), 409);
        assert_eq!(AppError::Unauthorized("x".into()).http_status(), 401);
        assert_eq!(AppError::Forbidden("x".into()).http_status(), 403);
        assert_eq!(AppError::RateLimited("x".into()).http_status(), 429);
        assert_eq!(AppError::Internal.http_status(), 500);
    }

    #[test]
    fn internal_errors_say_nothing_about_the_cause() {
        let text = AppError::Internal.to_string();
        assert!(text.contains("logged"));
        assert!(!text.to_lowercase().contains("sql"));
    }
}
