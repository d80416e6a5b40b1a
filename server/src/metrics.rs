//! `GET /metrics` in Prometheus' text format: component statuses, open incidents, firing alerts,
//! each check's latest result, the checks this server ran (by kind and outcome, with a latency
//! histogram), notifications by channel and state, live viewers, and the HTTP traffic this
//! server answered.
//!
//! Off unless configured: `HERALD_METRICS_TOKEN` turns it on behind `Authorization: Bearer`,
//! `HERALD_METRICS_OPEN=true` without (for a scraper on a private network).

use crate::api_cache::error;
use crate::startup::ServerState;
use app::ssr::entities::{alerts, components, incidents, monitors, notification_outbox, organizations};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use herald::{AlertState, CheckKind, CheckOutcome, ComponentStatus, Impact, SubscriberChannel};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Who may read `/metrics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsAccess {
    Disabled,
    Open,
    Token(String),
}

/// Upper bounds of the request duration histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// Counters every request touches: atomics, so counting costs no lock.
#[derive(Default)]
pub struct HttpMetrics {
    /// Answered from the page and API caches before routing, by status class.
    from_memory: [AtomicU64; 5],
    /// Answered by the application, by status class.
    routed: [AtomicU64; 5],
    /// Cumulative counts per bucket of the routed requests' durations.
    buckets: [AtomicU64; BUCKETS.len()],
    duration_micros: AtomicU64,
}

fn class(status: StatusCode) -> usize {
    usize::from(status.as_u16() / 100).clamp(1, 5) - 1
}

impl HttpMetrics {
    pub fn served_from_memory(&self, status: StatusCode) {
        self.from_memory[class(status)].fetch_add(1, Ordering::Relaxed);
    }

    pub fn routed(&self, status: StatusCode, took: Duration) {
        self.routed[class(status)].fetch_add(1, Ordering::Relaxed);
        let seconds = took.as_secs_f64();
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.duration_micros.fetch_add(took.as_micros().min(u128::from(u64::MAX)) as u64, Ordering::Relaxed);
    }
}

/// Upper bounds of the check latency histogram, in seconds.
const CHECK_BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
const CHECK_KINDS: usize = 4;
const CHECK_OUTCOMES: usize = 3;

/// The checks this server ran, by kind and outcome, and how long they took: counted as each
/// result comes in, so a scrape reads atomics, not the results table.
#[derive(Default)]
pub struct CheckMetrics {
    runs: [[AtomicU64; CHECK_OUTCOMES]; CHECK_KINDS],
    buckets: [[AtomicU64; CHECK_BUCKETS.len()]; CHECK_KINDS],
    timed: [AtomicU64; CHECK_KINDS],
    duration_micros: [AtomicU64; CHECK_KINDS],
}

fn position<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|candidate| candidate == value).unwrap_or(0)
}

impl CheckMetrics {
    pub fn observed(&self, kind: CheckKind, outcome: CheckOutcome, latency: Option<Duration>) {
        let kind = position(CheckKind::ALL, &kind).min(CHECK_KINDS - 1);
        let outcome = position(CheckOutcome::ALL, &outcome).min(CHECK_OUTCOMES - 1);
        self.runs[kind][outcome].fetch_add(1, Ordering::Relaxed);
        if let Some(latency) = latency {
            let seconds = latency.as_secs_f64();
            for (bound, bucket) in CHECK_BUCKETS.iter().zip(&self.buckets[kind]) {
                if seconds <= *bound {
                    bucket.fetch_add(1, Ordering::Relaxed);
                }
            }
            self.timed[kind].fetch_add(1, Ordering::Relaxed);
            self.duration_micros[kind]
                .fetch_add(latency.as_micros().min(u128::from(u64::MAX)) as u64, Ordering::Relaxed);
        }
    }

    fn render(&self, out: &mut String) {
        family(out, "herald_check_runs_total", "counter", "Checks this server ran, by kind and outcome.");
        for (kind, runs) in CheckKind::ALL.iter().zip(&self.runs) {
            for (outcome, count) in CheckOutcome::ALL.iter().zip(runs) {
                let _ = writeln!(
                    out,
                    "herald_check_runs_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} {}",
                    count.load(Ordering::Relaxed)
                );
            }
        }
        family(out, "herald_check_latency_seconds", "histogram", "How long the checks this server ran took.");
        for (index, kind) in CheckKind::ALL.iter().enumerate().take(CHECK_KINDS) {
            for (bound, bucket) in CHECK_BUCKETS.iter().zip(&self.buckets[index]) {
                let _ = writeln!(
                    out,
                    "herald_check_latency_seconds_bucket{{kind=\"{kind}\",le=\"{bound}\"}} {}",
                    bucket.load(Ordering::Relaxed)
                );
            }
            let count = self.timed[index].load(Ordering::Relaxed);
            let _ = writeln!(out, "herald_check_latency_seconds_bucket{{kind=\"{kind}\",le=\"+Inf\"}} {count}");
            let _ = writeln!(
                out,
                "herald_check_latency_seconds_sum{{kind=\"{kind}\"}} {}",
                self.duration_micros[index].load(Ordering::Relaxed) as f64 / 1e6
            );
            let _ = writeln!(out, "herald_check_latency_seconds_count{{kind=\"{kind}\"}} {count}");
        }
    }
}

/// Times every request that reaches the application.
pub async fn track(State(metrics): State<Arc<HttpMetrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.routed(response.status(), started.elapsed());
    response
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
}

pub async fn metrics(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    match &state.metrics_access {
        MetricsAccess::Disabled => {
            return error(
                StatusCode::NOT_FOUND,
                "not_found",
                "Metrics are off; set HERALD_METRICS_TOKEN (or HERALD_METRICS_OPEN=true) to turn them on.",
            );
        }
        MetricsAccess::Token(expected) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .unwrap_or("");
            if !same_secret(given.trim().as_bytes(), expected.as_bytes()) {
                return error(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Send the metrics token as Authorization: Bearer <token>.",
                );
            }
        }
        MetricsAccess::Open => {}
    }
    match render(&state.app.db, &state.app.hub, &state.http_metrics, &state.check_metrics).await {
        Ok(text) => {
            let mut response = text.into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"));
            response
        }
        Err(failure) => {
            tracing::error!(error = %failure, "reading metrics failed");
            error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "The database could not be read; try again shortly.")
        }
    }
}

/// A label value with `\`, `"` and newlines escaped, as the text format requires.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

async fn render(
    db: &DatabaseConnection,
    hub: &app::ssr::hub::Hub,
    http: &HttpMetrics,
    checks: &CheckMetrics,
) -> Result<String, DbErr> {
    let slugs: HashMap<i64, String> = organizations::Entity::find()
        .select_only()
        .column(organizations::Column::Id)
        .column(organizations::Column::Slug)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let slug = |id: i64| label(slugs.get(&id).map_or("unknown", String::as_str));
    let mut out = String::with_capacity(16 * 1024);

    family(&mut out, "herald_component_status", "gauge", "1 for the status each component is in, 0 for the others.");
    let rows: Vec<(i64, String, String)> = components::Entity::find()
        .select_only()
        .column(components::Column::OrganizationId)
        .column(components::Column::Key)
        .column(components::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (organization_id, key, current) in &rows {
        for status in ComponentStatus::ALL {
            let _ = writeln!(
                out,
                "herald_component_status{{organization=\"{}\",component=\"{}\",status=\"{status}\"}} {}",
                slug(*organization_id),
                label(key),
                u8::from(status.as_str() == current)
            );
        }
    }

    family(&mut out, "herald_open_incidents", "gauge", "Unresolved incidents by impact.");
    let open: Vec<(i64, String)> = incidents::Entity::find()
        .select_only()
        .column(incidents::Column::OrganizationId)
        .column(incidents::Column::Impact)
        .filter(incidents::Column::ResolvedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut by_impact: BTreeMap<(i64, String), u64> = BTreeMap::new();
    for organization_id in slugs.keys() {
        for impact in Impact::ALL {
            by_impact.insert((*organization_id, impact.as_str().to_owned()), 0);
        }
    }
    for (organization_id, impact) in open {
        *by_impact.entry((organization_id, impact)).or_default() += 1;
    }
    for ((organization_id, impact), count) in &by_impact {
        let _ = writeln!(
            out,
            "herald_open_incidents{{organization=\"{}\",impact=\"{}\"}} {count}",
            slug(*organization_id),
            label(impact)
        );
    }

    family(&mut out, "herald_alerts_firing", "gauge", "Alerts from alert sources that are firing now.");
    let firing: Vec<i64> = alerts::Entity::find()
        .select_only()
        .column(alerts::Column::OrganizationId)
        .filter(alerts::Column::State.eq(AlertState::Firing.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let mut firing_by_organization: BTreeMap<i64, u64> = slugs.keys().map(|id| (*id, 0)).collect();
    firing.into_iter().for_each(|id| *firing_by_organization.entry(id).or_default() += 1);
    for (organization_id, count) in firing_by_organization {
        let _ = writeln!(out, "herald_alerts_firing{{organization=\"{}\"}} {count}", slug(organization_id));
    }

    family(&mut out, "herald_check_up", "gauge", "1 when a check's latest result was up or slow, 0 when down.");
    // Each check's latest result is kept on the check itself: one row per check, no history.
    let latest: Vec<(i64, String, Option<String>, Option<i32>)> = monitors::Entity::find()
        .select_only()
        .column(monitors::Column::OrganizationId)
        .column(monitors::Column::Key)
        .column(monitors::Column::LastOutcome)
        .column(monitors::Column::LastLatencyMs)
        .filter(monitors::Column::Paused.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    for (organization_id, key, outcome, _) in &latest {
        if let Some(outcome) = outcome {
            let _ = writeln!(
                out,
                "herald_check_up{{organization=\"{}\",check=\"{}\"}} {}",
                slug(*organization_id),
                label(key),
                u8::from(outcome != "down")
            );
        }
    }
    family(&mut out, "herald_check_last_latency_seconds", "gauge", "How long each check's latest run took.");
    for (organization_id, key, _, latency) in &latest {
        if let Some(latency) = latency {
            let _ = writeln!(
                out,
                "herald_check_last_latency_seconds{{organization=\"{}\",check=\"{}\"}} {}",
                slug(*organization_id),
                label(key),
                f64::from(*latency) / 1000.0
            );
        }
    }
    checks.render(&mut out);

    family(
        &mut out,
        "herald_notifications",
        "gauge",
        "Deliveries in the outbox (the last 30 days) by channel and state.",
    );
    // Counted in the database: the outbox holds a row per delivery of the last 30 days.
    let states: Vec<(String, String, i64)> = notification_outbox::Entity::find()
        .select_only()
        .column(notification_outbox::Column::Channel)
        .column(notification_outbox::Column::State)
        .column_as(notification_outbox::Column::Id.count(), "count")
        .group_by(notification_outbox::Column::Channel)
        .group_by(notification_outbox::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_state: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for channel in SubscriberChannel::ALL {
        for state in ["pending", "sending", "sent", "failed", "dead"] {
            by_state.insert((channel.as_str(), state), 0);
        }
    }
    for (channel, state, count) in &states {
        *by_state.entry((channel.as_str(), state.as_str())).or_default() += u64::try_from(*count).unwrap_or(0);
    }
    for ((channel, state), count) in by_state {
        let _ =
            writeln!(out, "herald_notifications{{channel=\"{}\",state=\"{}\"}} {count}", label(channel), label(state));
    }

    family(&mut out, "herald_live_viewers", "gauge", "Open live status page connections to this server.");
    let mut viewers = hub.all_viewers();
    viewers.sort_unstable();
    for (organization_id, count) in viewers {
        let _ = writeln!(out, "herald_live_viewers{{organization=\"{}\"}} {count}", slug(organization_id));
    }

    family(&mut out, "herald_http_requests_total", "counter", "Requests answered by this server.");
    for (served, counters) in [("memory", &http.from_memory), ("application", &http.routed)] {
        for (class, counter) in CLASSES.iter().zip(counters) {
            let _ = writeln!(
                out,
                "herald_http_requests_total{{served=\"{served}\",class=\"{class}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
    }
    family(
        &mut out,
        "herald_http_request_duration_seconds",
        "histogram",
        "How long the application took to answer (cached pages answered from memory are not timed).",
    );
    for (bound, bucket) in BUCKETS.iter().zip(&http.buckets) {
        let _ = writeln!(
            out,
            "herald_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
            bucket.load(Ordering::Relaxed)
        );
    }
    let count: u64 = http.routed.iter().map(|counter| counter.load(Ordering::Relaxed)).sum();
    let _ = writeln!(out, "herald_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
    let _ = writeln!(
        out,
        "herald_http_request_duration_seconds_sum {}",
        http.duration_micros.load(Ordering::Relaxed) as f64 / 1e6
    );
    let _ = writeln!(out, "herald_http_request_duration_seconds_count {count}");

    family(&mut out, "herald_build_info", "gauge", "The running version.");
    let _ = writeln!(out, "herald_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(label("two\nlines"), "two\\nlines");
    }

    #[test]
    fn durations_fill_every_bucket_they_fit() {
        let metrics = HttpMetrics::default();
        metrics.routed(StatusCode::OK, Duration::from_millis(3));
        metrics.routed(StatusCode::NOT_FOUND, Duration::from_secs(10));
        let counts: Vec<u64> = metrics.buckets.iter().map(|bucket| bucket.load(Ordering::Relaxed)).collect();
        assert_eq!(counts, [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(metrics.routed[1].load(Ordering::Relaxed), 1);
        assert_eq!(metrics.routed[3].load(Ordering::Relaxed), 1);
        metrics.served_from_memory(StatusCode::NOT_MODIFIED);
        assert_eq!(metrics.from_memory[2].load(Ordering::Relaxed), 1);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"s3cret", b"s3cret"));
        assert!(!same_secret(b"s3cret", b"s3creT"));
        assert!(!same_secret(b"s3cre", b"s3cret"));
        assert!(!same_secret(b"", b"s3cret"));
    }
}
