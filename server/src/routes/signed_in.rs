//! The dashboard and account pages need a signed-in person: without a valid session the
//! browser is sent to sign in (and brought back afterwards), before any page renders.

use crate::startup::ServerState;
use app::ssr::{accounts, session_cookie};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

const PROTECTED: [&str; 2] = ["/dashboard", "/account"];

fn protected(path: &str) -> bool {
    PROTECTED
        .iter()
        .any(|prefix| path == *prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/')))
}

pub async fn require_session(State(state): State<ServerState>, request: Request, next: Next) -> Response {
    if !protected(request.uri().path()) {
        return next.run(request).await;
    }
    let signed_in = match session_cookie::token_in(request.headers()) {
        Some(token) => matches!(accounts::session_user(&state.db, &token, Utc::now()).await, Ok(Some(_))),
        None => false,
    };
    if signed_in {
        return next.run(request).await;
    }
    let back: String = url::form_urlencoded::byte_serialize(request.uri().path().as_bytes()).collect();
    Redirect::to(&format!("/login?next={back}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::protected;

    #[test]
    fn only_the_dashboard_and_account_pages_are_protected() {
        for path in ["/dashboard", "/dashboard/acme", "/account"] {
            assert!(protected(path), "{path}");
        }
        for path in ["/", "/login", "/s/acme", "/dashboards", "/accounting"] {
            assert!(!protected(path), "{path}");
        }
    }
}
