//! `/metrics`: token-protected, in Prometheus' text format, with the figures operators alert on.

use crate::on_each_database;
use crate::support::METRICS_TOKEN;
use app::ssr::demo::{DemoOptions, seed};
use chrono::Utc;

on_each_database!(metrics_need_the_token_and_report_statuses_incidents_and_traffic, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let anonymous = app.get("/metrics").await;
    assert_eq!(anonymous.status(), 401);
    let wrong = app.client.get(app.url("/metrics")).bearer_auth("test-metrics-token-012345678X").send().await.unwrap();
    assert_eq!(wrong.status(), 401);

    // Some traffic first: a page (rendered, then from memory) and a 404.
    for _ in 0..2 {
        assert_eq!(app.get("/s/demo").await.status(), 200);
    }
    assert_eq!(app.get("/no/such/page").await.status(), 404);

    let response = app.client.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    for line in [
        "herald_component_status{organization=\"demo\",component=\"search\",status=\"degraded_performance\"} 1",
        "herald_component_status{organization=\"demo\",component=\"search\",status=\"operational\"} 0",
        "herald_component_status{organization=\"demo\",component=\"api\",status=\"operational\"} 1",
        "herald_open_incidents{organization=\"demo\",impact=\"minor\"} 1",
        "herald_open_incidents{organization=\"demo\",impact=\"critical\"} 0",
        "herald_alerts_firing{organization=\"demo\"} 0",
        "herald_notifications{channel=\"email\",state=\"dead\"} 0",
        "herald_notifications{channel=\"webhook\",state=\"pending\"} 0",
        "# TYPE herald_http_request_duration_seconds histogram",
    ] {
        assert!(text.lines().any(|candidate| candidate == line), "missing {line:?} in\n{text}");
    }
    let count = |prefix: &str| -> u64 {
        text.lines()
            .find_map(|line| line.strip_prefix(prefix).and_then(|rest| rest.trim().parse().ok()))
            .unwrap_or_else(|| panic!("no {prefix} in\n{text}"))
    };
    assert!(
        count("herald_http_requests_total{served=\"memory\",class=\"2xx\"}") >= 1,
        "the second view came from memory"
    );
    assert!(count("herald_http_requests_total{served=\"application\",class=\"4xx\"}") >= 1);
    assert_eq!(
        count("herald_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
        count("herald_http_request_duration_seconds_count"),
    );
    // Every sample line is "name{labels} number" or "name number".
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        let value = line.rsplit_once(' ').map(|(_, value)| value).unwrap_or_default();
        assert!(value.parse::<f64>().is_ok(), "not a sample: {line}");
    }
});
