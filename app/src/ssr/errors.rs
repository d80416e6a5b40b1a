//! Turning server-side failures into [`AppError`]s without losing their cause.

use crate::error::AppError;
use std::fmt::Display;

/// Logs an unexpected failure with what was being done, and hides it from the client.
///
/// `.map_err(internal("loading the status page"))?`
pub fn internal<E: Display>(doing: &'static str) -> impl FnOnce(E) -> AppError {
    move |error| {
        tracing::error!(error = %error, "failed while {doing}");
        AppError::Internal
    }
}

/// Gives the HTTP response the status that matches the outcome (404, 422, ...), whether the
/// result is answering a server-function call or feeding a page being rendered.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_status(error);
    }
    result
}

/// For server functions behind an `ActionForm`. A browser without JavaScript posts the form
/// as HTML and Leptos answers with a redirect back to the form, carrying the error in the URL;
/// an error status would replace that redirect, so it is set only for script callers.
pub fn respond_to_form<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        let plain_form_post = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        });
        if !plain_form_post {
            set_status(error);
        }
    }
    result
}

fn set_status(error: &AppError) {
    if let (Some(response), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.http_status()),
    ) {
        response.set_status(status);
    }
}
