//! When a failed delivery is tried again, when Herald gives up on it, and when it gives up on
//! the subscriber altogether.

use chrono::{DateTime, Duration, Utc};

/// The waits between attempts: quick at first (a receiver restarting), then spread over a day
/// (a receiver down for maintenance). After the last, the delivery is dead.
const WAITS_SECONDS: [i64; 9] = [10, 30, 120, 600, 1_800, 3_600, 3 * 3_600, 6 * 3_600, 12 * 3_600];

/// How many times a delivery is attempted in all.
pub const MAX_ATTEMPTS: u32 = WAITS_SECONDS.len() as u32 + 1;

/// A webhook or chat endpoint failing for this long, with no success between, is disabled
/// and the organization told: it is gone, not restarting.
pub const DISABLE_AFTER_FAILING: Duration = Duration::days(3);

/// What to do after attempt number `attempts` (1-based) failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(DateTime<Utc>),
    GiveUp,
}

/// `permanent` failures (the receiver said the request itself is wrong: a 4xx other than
/// 408/429, an address the mail server refuses) are not retried.
pub fn after_failure(attempts: u32, permanent: bool, now: DateTime<Utc>) -> AfterFailure {
    if permanent || attempts >= MAX_ATTEMPTS {
        return AfterFailure::GiveUp;
    }
    let index = (attempts.max(1) - 1) as usize;
    AfterFailure::RetryAt(now + Duration::seconds(WAITS_SECONDS[index.min(WAITS_SECONDS.len() - 1)]))
}

/// Whether a subscriber failing since `failing_since` should be switched off now.
pub fn should_disable(failing_since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    failing_since.is_some_and(|since| now - since >= DISABLE_AFTER_FAILING)
}

/// Whether an HTTP status from a webhook or chat receiver means "do not try again".
pub fn is_permanent_http_failure(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 408 | 425 | 429)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn waits_grow_then_give_up() {
        let mut previous = Duration::zero();
        for attempt in 1..MAX_ATTEMPTS {
            let AfterFailure::RetryAt(at) = after_failure(attempt, false, now()) else {
                panic!("attempt {attempt} should be retried");
            };
            assert!(at - now() > previous, "attempt {attempt} waits longer than the one before");
            previous = at - now();
        }
        assert_eq!(after_failure(MAX_ATTEMPTS, false, now()), AfterFailure::GiveUp);
        assert_eq!(after_failure(1, true, now()), AfterFailure::GiveUp);
        assert_eq!(after_failure(1, false, now()), AfterFailure::RetryAt(now() + Duration::seconds(10)));
        // All the retries together span about a day.
        let total: i64 = WAITS_SECONDS.iter().sum();
        assert!((20 * 3600..36 * 3600).contains(&total));
    }

    #[test]
    fn endpoints_failing_for_days_are_disabled() {
        assert!(!should_disable(None, now()));
        assert!(!should_disable(Some(now() - Duration::hours(71)), now()));
        assert!(should_disable(Some(now() - Duration::hours(72)), now()));
    }

    #[test]
    fn client_errors_are_permanent_except_the_ones_that_mean_later() {
        assert!(is_permanent_http_failure(400));
        assert!(is_permanent_http_failure(404));
        assert!(is_permanent_http_failure(410));
        for status in [408, 425, 429, 500, 502, 503, 200, 302] {
            assert!(!is_permanent_http_failure(status), "{status}");
        }
    }
}
