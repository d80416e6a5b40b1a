//! `Authorization: Bearer hrlt_…` → the [`Caller`] every handler acts as, and the per-token
//! rate limit that keeps one runaway script from starving everyone else.

use super::error::ApiError;
use crate::startup::ServerState;
use app::ssr::api_tokens;
use app::ssr::caller::{Caller, Via};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use chrono::Utc;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;

/// Requests per minute per token, each replica counting its own. Only tokens that
/// authenticated get a bucket, so memory is bounded by the number of real tokens.
pub struct ApiRateLimiter {
    limiter: DefaultKeyedRateLimiter<i64>,
    clock: DefaultClock,
}

impl ApiRateLimiter {
    pub fn per_minute(requests: u32) -> ApiRateLimiter {
        let quota = Quota::per_minute(NonZeroU32::new(requests).unwrap_or(NonZeroU32::MIN));
        ApiRateLimiter { limiter: DefaultKeyedRateLimiter::keyed(quota), clock: DefaultClock::default() }
    }

    /// `Err(seconds to wait)` when the token has used up its quota.
    fn admit(&self, token_id: i64) -> Result<(), u64> {
        self.limiter.check_key(&token_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

/// The authenticated caller of an admin API request.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<ServerState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                let (scheme, token) = value.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Send an API token as Authorization: Bearer hrlt_…; an Admin makes one in the dashboard or with `herald api-token create`.",
                )
            })?;
        let caller = api_tokens::authenticate(&state.db, token, Utc::now()).await?;
        if let Via::Token { id, .. } = &caller.via
            && let Err(seconds) = state.api_limiter.admit(*id)
        {
            return Err(ApiError {
                retry_after: Some(seconds.max(1)),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("This token has made too many requests; try again in {} s.", seconds.max(1)),
                )
            });
        }
        Ok(ApiCaller(caller))
    }
}
