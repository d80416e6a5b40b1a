//! Judging what a probe saw: a status code, a body, a latency, DNS answers — into an outcome
//! and, when it failed, a reason a person can act on.

use super::check::{DnsTarget, HttpTarget};
use super::tracker::CheckOutcome;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How much of a response body a keyword check reads; the rest is never downloaded.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: CheckOutcome,
    /// Why it failed (or why it is slow).
    pub error: Option<String>,
}

impl Verdict {
    pub fn down(reason: impl Into<String>) -> Verdict {
        Verdict { outcome: CheckOutcome::Down, error: Some(reason.into()) }
    }

    /// Up, or slow when `latency` passed the degraded threshold.
    pub fn answered(latency: Duration, degraded_after: Option<Duration>) -> Verdict {
        match degraded_after {
            Some(threshold) if latency > threshold => Verdict {
                outcome: CheckOutcome::Slow,
                error: Some(format!(
                    "Answered in {} ms, slower than the {} ms threshold.",
                    latency.as_millis(),
                    threshold.as_millis()
                )),
            },
            _ => Verdict { outcome: CheckOutcome::Up, error: None },
        }
    }
}

/// The body a keyword check read: its text (lossily decoded) and whether it was cut short.
#[derive(Debug, Clone, Copy)]
pub struct ReadBody<'a> {
    pub text: &'a str,
    pub truncated: bool,
}

pub fn judge_http(
    target: &HttpTarget,
    status: u16,
    body: Option<ReadBody<'_>>,
    latency: Duration,
    degraded_after: Option<Duration>,
) -> Verdict {
    if !target.expected_status.contains(status) {
        return Verdict::down(format!(
            "HTTP {status}, expected {}–{}.",
            target.expected_status.min, target.expected_status.max
        ));
    }
    let text = body.map_or("", |body| body.text);
    let scope = if body.is_some_and(|body| body.truncated) { " in the first MiB of the body" } else { " in the body" };
    if let Some(keyword) = &target.body_contains
        && !text.contains(keyword.as_str())
    {
        return Verdict::down(format!("HTTP {status}, but \"{keyword}\" was not found{scope}."));
    }
    if let Some(keyword) = &target.body_not_contains
        && text.contains(keyword.as_str())
    {
        return Verdict::down(format!("HTTP {status}, but \"{keyword}\" was found{scope}."));
    }
    Verdict::answered(latency, degraded_after)
}

/// What the certificate's end of validity means: expired is down, close to it is slow with
/// a warning, anything else says nothing (`None`). `warn_days` 0 never warns.
pub fn judge_certificate(not_after: DateTime<Utc>, now: DateTime<Utc>, warn_days: u32) -> Option<Verdict> {
    let date = not_after.format("%Y-%m-%d");
    if not_after <= now {
        return Some(Verdict::down(format!("The TLS certificate expired on {date}.")));
    }
    let left = (not_after - now).num_days();
    if warn_days == 0 || left >= i64::from(warn_days) {
        return None;
    }
    let when = match left {
        0 => "within a day".to_owned(),
        1 => "in 1 day".to_owned(),
        days => format!("in {days} days"),
    };
    Some(Verdict {
        outcome: CheckOutcome::Slow,
        error: Some(format!("The TLS certificate expires {when}, on {date}.")),
    })
}

/// The worse of two verdicts; the first when they are as bad.
pub fn worse(first: Verdict, second: Option<Verdict>) -> Verdict {
    let rank = |outcome: CheckOutcome| match outcome {
        CheckOutcome::Up => 0,
        CheckOutcome::Slow => 1,
        CheckOutcome::Down => 2,
    };
    match second {
        Some(second) if rank(second.outcome) > rank(first.outcome) => second,
        _ => first,
    }
}

/// DNS names compare without case and without the root's trailing dot.
fn dns_name(text: &str) -> String {
    text.trim().trim_end_matches('.').to_ascii_lowercase()
}

pub fn judge_dns(
    target: &DnsTarget,
    answers: &[String],
    latency: Duration,
    degraded_after: Option<Duration>,
) -> Verdict {
    if answers.is_empty() {
        return Verdict::down(format!("No {} record for {}.", target.record_type, target.host));
    }
    if let Some(expected) = &target.expected {
        let wanted = dns_name(expected);
        if !answers.iter().any(|answer| dns_name(answer) == wanted) {
            let mut shown: Vec<&str> = answers.iter().map(String::as_str).take(5).collect();
            if answers.len() > 5 {
                shown.push("…");
            }
            return Verdict::down(format!(
                "{} {} answered {}, not {expected}.",
                target.record_type,
                target.host,
                shown.join(", ")
            ));
        }
    }
    Verdict::answered(latency, degraded_after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::check::{CheckKind, CheckTarget, DnsRecordType};
    use serde_json::json;

    fn http(settings: serde_json::Value) -> HttpTarget {
        match CheckTarget::parse(CheckKind::Http, settings) {
            Ok(CheckTarget::Http(http)) => http,
            other => panic!("{other:?}"),
        }
    }

    const FAST: Duration = Duration::from_millis(20);

    #[test]
    fn status_codes_outside_the_range_fail() {
        let target = http(json!({"url": "https://a.example"}));
        assert_eq!(judge_http(&target, 200, None, FAST, None).outcome, CheckOutcome::Up);
        let verdict = judge_http(&target, 503, None, FAST, None);
        assert_eq!(verdict, Verdict::down("HTTP 503, expected 200–299."));
        let redirects_ok = http(json!({"url": "https://a.example", "expected_status": {"min": 200, "max": 399}}));
        assert_eq!(judge_http(&redirects_ok, 302, None, FAST, None).outcome, CheckOutcome::Up);
    }

    #[test]
    fn keywords_are_searched_in_what_was_read() {
        let target =
            http(json!({"url": "https://a.example", "body_contains": "\"ok\"", "body_not_contains": "maintenance"}));
        let body = |text| Some(ReadBody { text, truncated: false });
        assert_eq!(judge_http(&target, 200, body(r#"{"status":"ok"}"#), FAST, None).outcome, CheckOutcome::Up);
        assert_eq!(
            judge_http(&target, 200, body("{}"), FAST, None).error.as_deref(),
            Some("HTTP 200, but \"\"ok\"\" was not found in the body.")
        );
        assert_eq!(
            judge_http(&target, 200, body(r#""ok" maintenance"#), FAST, None).error.as_deref(),
            Some("HTTP 200, but \"maintenance\" was found in the body.")
        );
        let cut = Some(ReadBody { text: "x", truncated: true });
        assert!(judge_http(&target, 200, cut, FAST, None).error.unwrap_or_default().contains("first MiB"));
    }

    #[test]
    fn slow_answers_are_degraded_with_the_numbers() {
        let target = http(json!({"url": "https://a.example"}));
        let verdict = judge_http(&target, 200, None, Duration::from_millis(1500), Some(Duration::from_secs(1)));
        assert_eq!(verdict.outcome, CheckOutcome::Slow);
        assert_eq!(verdict.error.as_deref(), Some("Answered in 1500 ms, slower than the 1000 ms threshold."));
        assert_eq!(
            judge_http(&target, 500, None, Duration::from_secs(2), Some(Duration::from_secs(1))).outcome,
            CheckOutcome::Down,
            "a failure is a failure, however slow"
        );
    }

    #[test]
    fn certificates_warn_before_they_expire() {
        let now =
            DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z").map(|at| at.with_timezone(&Utc)).unwrap_or_default();
        let days = |n: i64| now + chrono::TimeDelta::days(n);
        assert_eq!(judge_certificate(days(90), now, 14), None);
        assert_eq!(judge_certificate(days(14), now, 14), None, "fourteen whole days left is not yet within 14");
        let soon = judge_certificate(days(3), now, 14).unwrap_or_else(|| Verdict::down("none"));
        assert_eq!(soon.outcome, CheckOutcome::Slow);
        assert_eq!(soon.error.as_deref(), Some("The TLS certificate expires in 3 days, on 2026-12-03."));
        assert_eq!(
            judge_certificate(now + chrono::TimeDelta::hours(5), now, 14).and_then(|v| v.error),
            Some("The TLS certificate expires within a day, on 2026-11-30.".to_owned())
        );
        assert_eq!(judge_certificate(days(3), now, 0), None, "0 turns the warning off");
        let expired = judge_certificate(days(-1), now, 0);
        assert_eq!(
            expired,
            Some(Verdict::down("The TLS certificate expired on 2026-11-29.")),
            "expired is down, always"
        );
    }

    #[test]
    fn the_worse_verdict_wins() {
        let up = Verdict { outcome: CheckOutcome::Up, error: None };
        let slow = Verdict { outcome: CheckOutcome::Slow, error: Some("slow".into()) };
        assert_eq!(worse(up.clone(), Some(slow.clone())), slow);
        assert_eq!(worse(slow.clone(), Some(Verdict::down("x"))), Verdict::down("x"));
        assert_eq!(worse(Verdict::down("first"), Some(Verdict::down("second"))), Verdict::down("first"));
        assert_eq!(worse(up.clone(), None), up);
    }

    #[test]
    fn dns_answers_must_exist_and_match() {
        let target = DnsTarget {
            host: "example.com".into(),
            record_type: DnsRecordType::Cname,
            expected: Some("Edge.CDN.example.".into()),
        };
        assert_eq!(judge_dns(&target, &["edge.cdn.example.".into()], FAST, None).outcome, CheckOutcome::Up);
        assert_eq!(judge_dns(&target, &[], FAST, None).error.as_deref(), Some("No CNAME record for example.com."));
        let wrong = judge_dns(&target, &["other.example.".into()], FAST, None);
        assert_eq!(wrong.error.as_deref(), Some("CNAME example.com answered other.example., not Edge.CDN.example.."));
        let any = DnsTarget { expected: None, ..target };
        assert_eq!(judge_dns(&any, &["x".into()], FAST, None).outcome, CheckOutcome::Up);
    }
}
