//! The public JSON API: Statuspage's v2 documents key for key, Herald's own summaries, cache
//! validators, CORS, custom domains, live freshness and organization isolation.

use crate::on_each_database;
use crate::support::{TestApp, give_demo_a_domain, insert_organization_with_api};
use app::ssr::demo::{DemoOptions, seed};
use app::ssr::operations::{self, ComponentChoice, OpenRequest, UpdateRequest};
use chrono::Utc;
use herald::{Impact, IncidentStatus};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const STATUSPAGE_DOCUMENTS: [&str; 8] = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
];

async fn with_demo(app: &TestApp) {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
}

async fn json(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

/// Every object's keys by where it sits (`incidents[].incident_updates[]`), the union over
/// the elements of each list.
fn shape(value: &Value) -> BTreeMap<String, BTreeSet<String>> {
    fn walk(value: &Value, path: &str, shapes: &mut BTreeMap<String, BTreeSet<String>>) {
        match value {
            Value::Object(object) => {
                shapes.entry(path.to_owned()).or_default().extend(object.keys().cloned());
                for (key, value) in object {
                    walk(value, &format!("{path}.{key}"), shapes);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, &format!("{path}[]"), shapes)),
            _ => {}
        }
    }
    let mut shapes = BTreeMap::new();
    walk(value, "", &mut shapes);
    shapes
}

fn strings<'a>(value: &'a Value, pointer: &str) -> Vec<&'a str> {
    value.pointer(pointer).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

on_each_database!(summary_json_has_statuspage_shape_key_for_key, |app| async move {
    with_demo(&app).await;
    let ours = json(&app, "/s/demo/api/v2/summary.json").await;
    let statuspage: Value =
        serde_json::from_str(include_str!("../fixtures/statuspage/summary.json")).expect("the fixture is JSON");
    let (ours_shape, statuspage_shape) = (shape(&ours), shape(&statuspage));
    for (path, keys) in &statuspage_shape {
        assert_eq!(ours_shape.get(path), Some(keys), "keys of {path:?} differ from Statuspage's");
    }
    assert_eq!(ours_shape.keys().collect::<Vec<_>>(), statuspage_shape.keys().collect::<Vec<_>>());

    // Enumerations stay within Statuspage's values, so typed clients parse them.
    let component_statuses =
        ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];
    for component in ours["components"].as_array().unwrap() {
        assert!(component_statuses.contains(&component["status"].as_str().unwrap()), "{component}");
        assert!(component["id"].is_string() && component["position"].is_u64());
    }
    assert!(
        ["none", "minor", "major", "critical", "maintenance"].contains(&ours["status"]["indicator"].as_str().unwrap())
    );
    for incident in ours["incidents"].as_array().unwrap() {
        assert!(["investigating", "identified", "monitoring"].contains(&incident["status"].as_str().unwrap()));
        assert!(["none", "minor", "major", "critical"].contains(&incident["impact"].as_str().unwrap()));
        assert!(incident["resolved_at"].is_null(), "summary lists only unresolved incidents");
    }
    for maintenance in ours["scheduled_maintenances"].as_array().unwrap() {
        assert!(["scheduled", "in_progress", "verifying"].contains(&maintenance["status"].as_str().unwrap()));
        assert!(maintenance["scheduled_for"].as_str().unwrap() < maintenance["scheduled_until"].as_str().unwrap());
    }

    // Groups list their members, members point at their group, positions follow the page.
    let components = ours["components"].as_array().unwrap();
    let group = components.iter().find(|component| component["group"] == true).expect("the demo has groups");
    let members = strings(group, "/components");
    assert!(!members.is_empty());
    for member in &members {
        let member = components.iter().find(|component| component["id"] == *member).unwrap();
        assert_eq!(member["group_id"], group["id"]);
        assert!(member["position"].as_u64() > group["position"].as_u64());
    }
    let positions: Vec<u64> = components.iter().map(|component| component["position"].as_u64().unwrap()).collect();
    assert_eq!(positions, (1..=components.len() as u64).collect::<Vec<_>>());
    // Components the page hides until degraded are listed, flagged, as Statuspage does.
    assert!(
        components
            .iter()
            .any(|component| component["name"] == "Legacy API v1" && component["only_show_if_degraded"] == true)
    );

    assert_eq!(ours["page"]["id"], "demo");
    assert_eq!(ours["page"]["url"], format!("http://{}/s/demo", app.address));
    assert_eq!(ours["status"]["description"], "Minor Service Outage");
    let incident = &ours["incidents"][0];
    assert_eq!(incident["name"], "Slow search queries");
    assert!(incident["shortlink"].as_str().unwrap().starts_with(&format!("http://{}/s/demo/incidents/", app.address)));
    let timestamp = incident["started_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(timestamp).is_ok(), "{timestamp}");
});

on_each_database!(every_statuspage_document_answers_with_its_own_part, |app| async move {
    with_demo(&app).await;
    for name in STATUSPAGE_DOCUMENTS {
        let response = app.get(&format!("/s/demo/api/v2/{name}")).await;
        assert_eq!(response.status(), 200, "{name}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/json", "{name}");
        assert_eq!(headers["access-control-allow-origin"], "*", "{name}");
        assert_eq!(headers["cache-control"], "public, max-age=10", "{name}");
        assert!(headers.contains_key("etag") && headers.contains_key("last-modified"), "{name}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["page"]["name"], "Acme Cloud", "{name}");
    }
    let status = json(&app, "/s/demo/api/v2/status.json").await;
    assert_eq!(status.as_object().unwrap().keys().collect::<Vec<_>>(), ["page", "status"]);
    let components = json(&app, "/s/demo/api/v2/components.json").await;
    assert!(components["components"].as_array().unwrap().len() > 5);

    let incidents = json(&app, "/s/demo/api/v2/incidents.json").await;
    let all = incidents["incidents"].as_array().unwrap();
    assert!(all.iter().any(|incident| incident["status"] == "resolved" && incident["resolved_at"].is_string()));
    assert!(all.iter().any(|incident| incident["resolved_at"].is_null()));
    let started: Vec<&str> = all.iter().map(|incident| incident["started_at"].as_str().unwrap()).collect();
    let mut newest_first = started.clone();
    newest_first.sort_by(|a, b| {
        chrono::DateTime::parse_from_rfc3339(b).unwrap().cmp(&chrono::DateTime::parse_from_rfc3339(a).unwrap())
    });
    assert_eq!(started, newest_first, "newest first");
    let unresolved = json(&app, "/s/demo/api/v2/incidents/unresolved.json").await;
    assert!(unresolved["incidents"].as_array().unwrap().iter().all(|incident| incident["resolved_at"].is_null()));

    let maintenances = json(&app, "/s/demo/api/v2/scheduled-maintenances.json").await;
    let statuses = strings(&maintenances, "/scheduled_maintenances")
        .into_iter()
        .chain(maintenances["scheduled_maintenances"].as_array().unwrap().iter().filter_map(|m| m["status"].as_str()))
        .collect::<BTreeSet<_>>();
    assert!(statuses.contains("completed") && statuses.contains("scheduled"), "{statuses:?}");
    let upcoming = json(&app, "/s/demo/api/v2/scheduled-maintenances/upcoming.json").await;
    assert!(!upcoming["scheduled_maintenances"].as_array().unwrap().is_empty());
    assert!(upcoming["scheduled_maintenances"].as_array().unwrap().iter().all(|m| m["status"] == "scheduled"));
    let active = json(&app, "/s/demo/api/v2/scheduled-maintenances/active.json").await;
    assert!(
        active["scheduled_maintenances"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["status"] == "in_progress" || m["status"] == "verifying")
    );
});

on_each_database!(documents_revalidate_compress_and_allow_any_origin, |app| async move {
    with_demo(&app).await;
    let first = app.get("/s/demo/api/v2/summary.json").await;
    let etag = first.headers()["etag"].clone();
    let last_modified = first.headers()["last-modified"].clone();
    let again = app
        .client
        .get(app.url("/s/demo/api/v2/summary.json"))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["access-control-allow-origin"], "*");
    let since = app
        .client
        .get(app.url("/s/demo/api/v2/summary.json"))
        .header("if-modified-since", last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(since.status(), 304);

    let raw = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
    let brotli =
        raw.get(app.url("/s/demo/api/v2/summary.json")).header("accept-encoding", "gzip, br").send().await.unwrap();
    assert_eq!(brotli.headers()["content-encoding"], "br");
    let gzip = raw.get(app.url("/s/demo/api/v2/summary.json")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let head = raw.head(app.url("/s/demo/api/v2/summary.json")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["etag"], etag);

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/s/demo/api/v2/summary.json"))
        .header("origin", "https://dashboard.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    assert!(preflight.headers()["access-control-allow-methods"].to_str().unwrap().contains("GET"));

    let post = app.client.post(app.url("/s/demo/api/v2/summary.json")).send().await.unwrap();
    assert_eq!(post.status(), 405, "the public API is read-only");
});

on_each_database!(unknown_organizations_and_documents_are_json_404s, |app| async move {
    with_demo(&app).await;
    for path in [
        "/s/nobody/api/v2/summary.json",
        "/s/Not_A_Slug!/api/v2/summary.json",
        "/s/demo/api/v2/pages.json",
        "/s/demo/api/v2/incidents/../summary.json.bak",
        "/api/nobody/status",
        "/api/demo/everything",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers()["content-type"], "application/json", "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
        assert!(body["error"]["message"].as_str().unwrap().ends_with('.'), "{path}: a sentence");
    }
});

on_each_database!(an_incident_reaches_the_api_as_it_reaches_the_page, |app| async move {
    with_demo(&app).await;
    // Built and cached before the change, so the test sees the cache follow it.
    let before = json(&app, "/s/demo/api/v2/incidents/unresolved.json").await;
    assert_eq!(before["incidents"].as_array().unwrap().len(), 1);
    let opened = Instant::now();
    let id = operations::open_incident(
        &app.db,
        "demo",
        OpenRequest {
            name: "Payments failing".into(),
            impact: Impact::Critical,
            status: IncidentStatus::Investigating,
            message: "Card payments fail for **everyone**.".into(),
            components: vec![ComponentChoice { key: "api".into(), status: None }],
            notify_subscribers: true,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let summary = loop {
        let summary = json(&app, "/s/demo/api/v2/summary.json").await;
        if summary["incidents"].as_array().unwrap().iter().any(|incident| incident["name"] == "Payments failing") {
            break summary;
        }
        assert!(opened.elapsed() < Duration::from_secs(10), "the API never showed the incident: {summary}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(summary["status"]["indicator"], "critical");
    assert_eq!(summary["status"]["description"], "Major Service Outage");
    let incident = summary["incidents"].as_array().unwrap().iter().find(|i| i["name"] == "Payments failing").unwrap();
    assert_eq!(incident["id"], format!("i{id}"));
    assert_eq!(incident["impact"], "critical");
    let update = &incident["incident_updates"][0];
    assert_eq!(update["body"], "Card payments fail for **everyone**.", "bodies stay Markdown, as Statuspage's");
    assert_eq!(update["deliver_notifications"], true);
    let affected = &update["affected_components"][0];
    assert_eq!(affected["name"], "API");
    assert_eq!(affected["old_status"], "operational");
    assert_eq!(affected["new_status"], "major_outage");
    let api = summary["components"].as_array().unwrap().iter().find(|c| c["name"] == "API").unwrap();
    assert_eq!(api["status"], "major_outage");
    assert_eq!(affected["code"], api["id"]);
    assert_eq!(incident["components"][0]["id"], api["id"]);

    let resolve = UpdateRequest {
        incident_id: id,
        status: IncidentStatus::Resolved,
        message: "Payments work again.".into(),
        components: Vec::new(),
        notify_subscribers: false,
    };
    operations::update_incident(&app.db, "demo", resolve, Utc::now()).await.unwrap();
    let started = Instant::now();
    loop {
        let unresolved = json(&app, "/s/demo/api/v2/incidents/unresolved.json").await;
        if unresolved["incidents"].as_array().unwrap().iter().all(|incident| incident["name"] != "Payments failing") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the API never resolved the incident");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let all = json(&app, "/s/demo/api/v2/incidents.json").await;
    let resolved = all["incidents"].as_array().unwrap().iter().find(|i| i["name"] == "Payments failing").unwrap();
    assert_eq!(resolved["status"], "resolved");
    assert!(resolved["resolved_at"].is_string());
    assert_eq!(resolved["incident_updates"].as_array().unwrap().len(), 2);
    assert_eq!(resolved["incident_updates"][0]["status"], "resolved", "newest update first");
});

on_each_database!(herald_status_and_snapshot_speak_herald, |app| async move {
    with_demo(&app).await;
    let status = json(&app, "/api/demo/status").await;
    assert_eq!(status["organization"]["slug"], "demo");
    assert_eq!(status["status"]["indicator"], "minor");
    let services = status["services"].as_array().unwrap();
    let search = services.iter().find(|service| service["key"] == "search").unwrap();
    assert_eq!(search["status"], "degraded_performance");
    assert!(search["group"].is_string());
    let incident = &status["active_incidents"][0];
    assert_eq!(incident["name"], "Slow search queries");
    assert!(incident["latest_update"]["body"].is_string());
    assert_eq!(incident["components"][0]["key"], "search");
    assert!(!status["upcoming_maintenance"].as_array().unwrap().is_empty());

    let snapshot = json(&app, "/api/demo/snapshot").await;
    assert_eq!(snapshot["day_count"], 90);
    let components = snapshot["components"].as_array().unwrap();
    assert!(!components.is_empty());
    let with_history = components.iter().find(|component| component["key"] == "api").unwrap();
    let days = with_history["days"].as_array().unwrap();
    assert_eq!(days.len(), 90);
    assert_eq!(days[0]["date"], snapshot["first_day"]);
    assert!(days.iter().any(|day| day["status"] != "operational"), "the demo's history has bad days");
    let uptime = with_history["uptime_percent"].as_f64().unwrap();
    assert!((90.0..100.0).contains(&uptime), "{uptime}");
    assert!(components.iter().all(|component| component["key"] != "legacy-api"), "only what the page shows");
});

on_each_database!(a_custom_domain_serves_the_statuspage_api_at_its_root, |app| async move {
    with_demo(&app).await;
    give_demo_a_domain(&app.db, "status.acme.test").await;
    let started = Instant::now();
    loop {
        let response =
            app.client.get(app.url("/api/v2/summary.json")).header("host", "status.acme.test").send().await.unwrap();
        if response.status() == 200 {
            let body: Value = response.json().await.unwrap();
            if body["page"]["url"] == "https://status.acme.test" {
                assert!(
                    body["incidents"][0]["shortlink"]
                        .as_str()
                        .unwrap()
                        .starts_with("https://status.acme.test/incidents/")
                );
                break;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the custom domain never served the API");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let elsewhere =
        app.client.get(app.url("/api/v2/summary.json")).header("host", "elsewhere.test").send().await.unwrap();
    assert_eq!(elsewhere.status(), 404);
});

on_each_database!(one_organization_never_shows_another_ones_data, |app| async move {
    with_demo(&app).await;
    insert_organization_with_api(&app.db, "other").await;
    operations::open_incident(
        &app.db,
        "other",
        OpenRequest {
            name: "Only at the other organization".into(),
            impact: Impact::Minor,
            status: IncidentStatus::Investigating,
            message: "Private to them.".into(),
            components: vec![ComponentChoice { key: "api".into(), status: None }],
            notify_subscribers: false,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    for name in STATUSPAGE_DOCUMENTS {
        let body = app.get(&format!("/s/demo/api/v2/{name}")).await.text().await.unwrap();
        assert!(!body.contains("Only at the other organization"), "{name}");
        assert!(!body.contains("\"page_id\":\"other\""), "{name}");
    }
    let other = json(&app, "/s/other/api/v2/incidents/unresolved.json").await;
    assert!(other.to_string().contains("Only at the other organization"));
});
