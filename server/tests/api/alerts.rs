//! Alert ingestion: Alertmanager's payload as it sends it opens and resolves an incident,
//! storms open one, tokens and payloads are checked before anything is written.

use crate::on_each_database;
use crate::support::TestApp;
use app::ssr::alerts::{self, NewAlertSource};
use app::ssr::demo::{DemoOptions, seed};
use app::ssr::entities::{components, incidents};
use chrono::Utc;
use herald::AlertSourceKind;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const FIRING: &str = include_str!("../fixtures/alertmanager/firing.json");
const RESOLVED: &str = include_str!("../fixtures/alertmanager/resolved.json");

/// The demo organization and an alert source of `kind` for it; returns the token.
async fn source(app: &TestApp, kind: AlertSourceKind) -> String {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = app::ssr::status_page::organization(&app.db, "demo").await.unwrap();
    let new = NewAlertSource { kind, name: "Prometheus".into(), component_label: "component".into() };
    alerts::create_source(&app.db, demo.id, new, Utc::now()).await.unwrap().token
}

async fn deliver(app: &TestApp, kind: &str, token: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/alerts/{kind}")))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn alert_incidents(app: &TestApp) -> Vec<incidents::Model> {
    incidents::Entity::find().filter(incidents::Column::Source.eq("alert")).all(&app.db).await.unwrap()
}

async fn api_status(app: &TestApp) -> String {
    components::Entity::find().filter(components::Column::Key.eq("api")).one(&app.db).await.unwrap().unwrap().status
}

on_each_database!(an_alertmanager_payload_opens_then_resolves_an_incident, |app| async move {
    let token = source(&app, AlertSourceKind::Alertmanager).await;
    let (status, report) = deliver(&app, "alertmanager", &token, FIRING).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["received"], 2);
    assert_eq!(report["opened"].as_array().unwrap().len(), 1, "two alerts, one incident: {report}");
    let opened = alert_incidents(&app).await;
    assert_eq!(opened.len(), 1);
    let incident = &opened[0];
    assert_eq!(incident.impact, "critical", "severity=critical");
    assert!(incident.resolved_at.is_none());
    assert!(incident.name.contains("HighErrorRate"), "{}", incident.name);
    assert_eq!(api_status(&app).await, "major_outage");

    // The public page and API show it, as any incident.
    let started = Instant::now();
    loop {
        let summary: Value = app.get("/s/demo/api/v2/incidents/unresolved.json").await.json().await.unwrap();
        if summary.to_string().contains("HighErrorRate") {
            assert!(summary.to_string().contains("Prometheus") || summary.to_string().contains("5xx"));
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the page never showed the alert incident");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Alertmanager repeats firing alerts until they resolve: nothing new happens.
    let (status, repeat) = deliver(&app, "alertmanager", &token, FIRING).await;
    assert_eq!(status, 200);
    assert_eq!(repeat["opened"], json!([]));
    assert_eq!(repeat["updated"], json!([]));
    assert_eq!(alert_incidents(&app).await.len(), 1);

    let (status, report) = deliver(&app, "alertmanager", &token, RESOLVED).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["resolved"], json!([incident.id]));
    let resolved = incidents::Entity::find_by_id(incident.id).one(&app.db).await.unwrap().unwrap();
    assert!(resolved.resolved_at.is_some());
    assert_eq!(api_status(&app).await, "operational", "nothing else holds the component");

    // A repeated resolution, or a firing alert after a resolved one, starts over correctly.
    let (_, again) = deliver(&app, "alertmanager", &token, RESOLVED).await;
    assert_eq!(again["resolved"], json!([]));
    let (_, reopened) = deliver(&app, "alertmanager", &token, FIRING).await;
    assert_eq!(reopened["opened"].as_array().unwrap().len(), 1, "the alerts fired again: a new incident");
});

on_each_database!(a_storm_of_alerts_for_one_component_opens_one_incident, |app| async move {
    let token = source(&app, AlertSourceKind::Generic).await;
    let storm: Vec<Value> = (0..500)
        .map(|n| json!({"status": "firing", "title": format!("Probe {n} failing"), "component": "api", "key": format!("probe-{n}")}))
        .collect();
    let (status, report) = deliver(&app, "generic", &token, json!({ "alerts": storm }).to_string()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["opened"].as_array().unwrap().len(), 1);

    // Twenty more senders at once, each with a new alert for the same component.
    let deliveries = (0..20).map(|n| {
        let (app, token) = (&app, &token);
        async move {
            let body = json!({"status": "firing", "title": format!("Region {n} failing"), "component": "api", "severity": "warning"});
            deliver(app, "generic", token, body.to_string()).await
        }
    });
    for (status, report) in futures::future::join_all(deliveries).await {
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["opened"], json!([]), "joins the open incident: {report}");
    }
    let open: Vec<_> =
        alert_incidents(&app).await.into_iter().filter(|incident| incident.resolved_at.is_none()).collect();
    assert_eq!(open.len(), 1, "one incident for 521 alerts");
    assert!(open[0].name.contains("500 alerts firing"), "{}", open[0].name);
});

on_each_database!(tokens_and_payloads_are_checked_before_anything_is_written, |app| async move {
    let token = source(&app, AlertSourceKind::Alertmanager).await;
    let unknown = deliver(&app, "alertmanager", "hrla_0000000000000000000000000000000000000000000000000", FIRING).await;
    let garbage = deliver(&app, "alertmanager", "not-a-token", FIRING).await;
    assert_eq!(unknown.0, 401);
    assert_eq!(garbage.0, 401);
    assert_eq!(unknown.1, garbage.1, "no hint whether anything exists");

    let missing = app.client.post(app.url("/api/v1/alerts/alertmanager")).body(FIRING).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let (status, body) = deliver(&app, "grafana", &token, FIRING).await;
    assert_eq!(status, 400, "a token for another kind");
    assert!(body["error"]["message"].as_str().unwrap().contains("alertmanager"));
    let (status, _) = deliver(&app, "nagios", &token, FIRING).await;
    assert_eq!(status, 404);

    for malformed in ["", "{", "{\"alerts\": \"many\"}", "{\"alerts\": [{\"status\": \"on fire\"}]}"] {
        let (status, body) = deliver(&app, "alertmanager", &token, malformed).await;
        assert_eq!(status, 400, "{malformed}");
        assert_eq!(body["error"]["code"], "malformed_payload", "{malformed}");
    }
    let huge = format!("{{\"alerts\": [], \"padding\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let (status, _) = deliver(&app, "alertmanager", &token, huge).await;
    assert_eq!(status, 413);
    assert!(alert_incidents(&app).await.is_empty(), "nothing was opened");
    assert_eq!(app::ssr::entities::alerts::Entity::find().count(&app.db).await.unwrap(), 0, "nothing was recorded");

    // Revoked: the same answer as a token that never existed.
    let demo = app::ssr::status_page::organization(&app.db, "demo").await.unwrap();
    let id = alerts::list_sources(&app.db, demo.id).await.unwrap()[0].id;
    alerts::revoke_source(&app.db, demo.id, id, Utc::now()).await.unwrap();
    let revoked = deliver(&app, "alertmanager", &token, FIRING).await;
    assert_eq!(revoked, unknown);
});

on_each_database!(alerts_for_unknown_components_are_reported_and_skipped, |app| async move {
    let token = source(&app, AlertSourceKind::Generic).await;
    let body = json!({"alerts": [
        {"status": "firing", "title": "Disk full", "component": "database-7"},
        {"status": "firing", "title": "No component at all"},
        {"status": "firing", "title": "Search slow", "component": "search", "severity": "warning"},
    ]});
    let (status, report) = deliver(&app, "generic", &token, body.to_string()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["opened"].as_array().unwrap().len(), 1);
    let ignored = report["ignored"].as_array().unwrap();
    assert_eq!(ignored.len(), 2);
    assert!(ignored[0]["reason"].as_str().unwrap().contains("database-7"));
    assert!(ignored[1]["reason"].as_str().unwrap().contains("\"component\" label"));

    // The token may travel in the path for senders that cannot set headers.
    let resolve = json!({"status": "resolved", "title": "Search slow", "component": "search"});
    let response = app
        .client
        .post(app.url(&format!("/api/v1/alerts/generic/{token}")))
        .body(resolve.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["resolved"].as_array().unwrap().len(), 1, "{report}");
});

on_each_database!(a_grafana_payload_opens_a_minor_incident_from_a_warning, |app| async move {
    let token = source(&app, AlertSourceKind::Grafana).await;
    let firing = include_str!("../fixtures/grafana/firing.json");
    let (status, report) = deliver(&app, "grafana", &token, firing).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["opened"].as_array().unwrap().len(), 1, "{report}");
    let incident = &alert_incidents(&app).await[0];
    assert_eq!(incident.name, "Checkout latency: p99 latency above 2 s");
    assert_eq!(incident.impact, "minor", "severity=warning");
    assert_eq!(api_status(&app).await, "degraded_performance");
    let resolved = firing.replace("\"status\": \"firing\"", "\"status\": \"resolved\"");
    let (_, report) = deliver(&app, "grafana", &token, resolved).await;
    assert_eq!(report["resolved"], json!([incident.id]));
    assert_eq!(api_status(&app).await, "operational");
});
