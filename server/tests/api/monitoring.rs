//! Monitoring against real local targets started here: statuses follow the checks, a
//! sustained failure opens one automatic incident and recovery resolves it, a restart in the
//! middle neither forgets nor duplicates, and misbehaving targets (closed connections,
//! endless bodies, wrong protocols, silence) fail with their reason instead of hanging.

use crate::on_each_database;
use crate::support::{self, Backend, TestApp, eventually, insert_organization_with_api, spawn_replica};
use app::ssr::api_tokens::{self, NewApiToken, TokenCreator};
use app::ssr::entities::{check_results, components, incident_updates, incidents, organizations};
use app::ssr::monitoring;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use chrono::{TimeDelta, Utc};
use herald::{Role, TokenScope};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

/// A web service whose health the test controls, plus endpoints that misbehave.
struct Target {
    address: SocketAddr,
    status: Arc<AtomicU16>,
}

impl Target {
    async fn start() -> Target {
        let status = Arc::new(AtomicU16::new(200));
        let app = Router::new()
            .route(
                "/health",
                get(|State(status): State<Arc<AtomicU16>>| async move {
                    let code = StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap();
                    (code, if code.is_success() { "{\"status\":\"ok\"}" } else { "{\"status\":\"broken\"}" })
                }),
            )
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(400)).await;
                    "ok"
                }),
            )
            // Never ends: an endless stream of bytes without the keyword.
            .route(
                "/endless",
                get(|| async {
                    let chunk = bytes::Bytes::from(vec![b'x'; 64 * 1024]);
                    let stream = futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
                    Body::from_stream(stream)
                }),
            )
            // Sends a little, then nothing more, forever.
            .route(
                "/trickle",
                get(|| async {
                    let first =
                        futures::stream::once(async { Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"partial")) });
                    Body::from_stream(futures::StreamExt::chain(first, futures::stream::pending()))
                }),
            )
            .with_state(status.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Target { address, status }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn set(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }
}

/// A port that accepts connections and closes them at once, without a word.
async fn slamming_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    address
}

/// A port nothing listens on.
async fn closed_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    address
}

pub async fn token(app: &TestApp, organization: &organizations::Model, role: Role) -> String {
    let new = NewApiToken { name: format!("{role:?}"), scope: TokenScope::Write, role: Some(role), expires_at: None };
    api_tokens::create(&app.db, organization.id, TokenCreator::CommandLine, new, Utc::now()).await.unwrap().token
}

pub async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    call_at(app, &app.url(""), token, method, path, body).await
}

async fn call_at(
    app: &TestApp,
    base: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app.client.request(method, format!("{base}/api/v1{path}")).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn component_status(app: &TestApp, component_id: i64) -> String {
    components::Entity::find_by_id(component_id).one(&app.db).await.unwrap().unwrap().status
}

async fn auto_incidents(app: &TestApp, component_id: i64) -> Vec<incidents::Model> {
    incidents::Entity::find()
        .filter(incidents::Column::ExternalKey.eq(monitoring::incident_key(component_id)))
        .order_by_asc(incidents::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn api_component(app: &TestApp, organization: &organizations::Model) -> components::Model {
    components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization.id))
        .filter(components::Column::Key.eq("api"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

const WAIT: Duration = Duration::from_secs(20);

/// Adds a check through the admin API; it must be accepted.
async fn add_check(app: &TestApp, token: &str, check: Value) -> Value {
    let (status, created) = call(app, token, Method::POST, "/checks", Some(check)).await;
    assert_eq!(status, 201, "{created}");
    created
}

/// The check once it has a first result.
async fn first_result(app: &TestApp, token: &str, key: &str, id: i64) -> Value {
    eventually(&format!("a result of {key}"), WAIT, || async {
        let (_, check) = call(app, token, Method::GET, &format!("/checks/{id}"), None).await;
        (!check["last_checked_at"].is_null()).then_some(check)
    })
    .await
}

on_each_database!(a_sustained_failure_opens_one_incident_and_recovery_resolves_it, |app| async move {
    let mut app = app;
    let target = Target::start().await;
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app, &acme).await;
    let editor = token(&app, &acme, Role::Editor).await;
    let (status, created) = call(
        &app,
        &editor,
        Method::POST,
        "/checks",
        Some(json!({
            "key": "api-health", "name": "API health", "kind": "http", "component_id": api.id,
            "target": {"url": target.url("/health"), "body_contains": "\"ok\""},
            "interval_seconds": 1, "timeout_ms": 800, "confirmations": 2, "incident_threshold": 2,
            "recovery_minutes": 0
        })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "no_data");
    assert!(created["heartbeat_path"].is_null());
    let check_id = created["id"].as_i64().unwrap();

    eventually("the component to be operational", WAIT, || async {
        (component_status(&app, api.id).await == "operational").then_some(())
    })
    .await;
    let source = components::Entity::find_by_id(api.id).one(&app.db).await.unwrap().unwrap().status_source;
    assert_eq!(source, "monitor");

    // The service breaks: confirmed, then an incident after two failed runs.
    let broke_at = Instant::now();
    target.set(503);
    eventually("the component to go down", WAIT, || async {
        (component_status(&app, api.id).await == "major_outage").then_some(())
    })
    .await;
    let to_status = broke_at.elapsed();
    let opened = eventually("an automatic incident", WAIT, || async {
        auto_incidents(&app, api.id).await.into_iter().find(|incident| incident.resolved_at.is_none())
    })
    .await;
    assert_eq!(opened.source, "auto");
    assert_eq!(opened.impact, "critical");
    assert_eq!(opened.name, "Their API is not responding");
    let first = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(opened.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(first.body.contains("**API health**"), "{}", first.body);
    assert!(first.body.contains("HTTP 503, expected 200–299."), "{}", first.body);
    assert!(to_status < Duration::from_secs(8), "status changed {to_status:?} after the target broke");

    // A restart in the middle of the outage: the new server resumes, and a second replica
    // runs beside it, without a second incident.
    app.stop_server();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The stopped server closed its pool; the test reads through a new one.
    app.db = herald_server::application::open_database(&app.config).await.unwrap();
    let (restarted, _stop_restarted) = spawn_replica(&app).await;
    let (_replica, _stop_replica) = spawn_replica(&app).await;
    let restarted = format!("http://{restarted}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(auto_incidents(&app, api.id).await.len(), 1, "one incident however many runners");

    target.set(200);
    let resolved = eventually("the incident to resolve", WAIT, || async {
        auto_incidents(&app, api.id).await.into_iter().find(|incident| incident.resolved_at.is_some())
    })
    .await;
    assert_eq!(resolved.id, opened.id);
    assert_eq!(component_status(&app, api.id).await, "operational");
    let bodies: Vec<String> = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(opened.id))
        .order_by_asc(incident_updates::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|update| update.body)
        .collect();
    // With no recovery period, recovering resolves at once (the tracker's tests cover the
    // "answering again, watching" update a recovery period brings).
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert_eq!(bodies[1], "Their API is answering again. This incident is resolved.");
    assert_eq!(auto_incidents(&app, api.id).await.len(), 1);

    // The results say what happened, newest first, failures filterable.
    let (status, failures) =
        call_at(&app, &restarted, &editor, Method::GET, &format!("/checks/{check_id}/results?outcome=down"), None)
            .await;
    assert_eq!(status, 200, "{failures}");
    assert!(failures["pagination"]["total"].as_u64().unwrap() >= 3);
    assert_eq!(failures["data"][0]["status_code"], 503);
    let (_, check) = call_at(&app, &restarted, &editor, Method::GET, &format!("/checks/{check_id}"), None).await;
    assert_eq!(check["status"], "operational");
    assert_eq!(check["last_outcome"], "up");
    assert!(check["last_latency_ms"].is_number());
});

on_each_database!(misbehaving_targets_fail_with_their_reason, |app| async move {
    let target = Target::start().await;
    let slamming = slamming_port().await;
    let closed = closed_port().await;
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let editor = token(&app, &acme, Role::Editor).await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "slow",
            json!({"kind": "http", "target": {"url": target.url("/slow")}, "degraded_latency_ms": 200}),
            "slow",
            "slower than the 200 ms threshold",
        ),
        (
            "endless",
            json!({"kind": "http", "target": {"url": target.url("/endless"), "body_contains": "never"}}),
            "down",
            "not found in the first MiB",
        ),
        (
            "trickle",
            json!({"kind": "http", "target": {"url": target.url("/trickle"), "body_contains": "never"}, "timeout_ms": 700}),
            "down",
            "No complete answer within 700 ms",
        ),
        ("slammed", json!({"kind": "http", "target": {"url": format!("http://{slamming}/")}}), "down", "failed"),
        (
            "refused",
            json!({"kind": "http", "target": {"url": format!("http://{closed}/")}}),
            "down",
            "Could not connect",
        ),
        (
            "not-tls",
            json!({"kind": "http", "target": {"url": format!("https://{}/health", target.address)}}),
            "down",
            "TLS error",
        ),
        ("tcp-open", json!({"kind": "tcp", "target": {"host": "127.0.0.1", "port": target.address.port()}}), "up", ""),
        (
            "tcp-closed",
            json!({"kind": "tcp", "target": {"host": "127.0.0.1", "port": closed.port()}}),
            "down",
            "Could not connect",
        ),
        ("dns-missing", json!({"kind": "dns", "target": {"host": "no-such-host.invalid"}}), "down", ""),
    ];
    let mut ids = Vec::new();
    for (key, settings, _, _) in &cases {
        let mut body = settings.clone();
        body["key"] = json!(key);
        body["name"] = json!(key);
        body["interval_seconds"] = json!(2);
        body["timeout_ms"] = body.get("timeout_ms").cloned().unwrap_or(json!(1500));
        body["confirmations"] = json!(1);
        let (status, created) = call(&app, &editor, Method::POST, "/checks", Some(body)).await;
        assert_eq!(status, 201, "{key}: {created}");
        ids.push(created["id"].as_i64().unwrap());
    }
    let started = Instant::now();
    for ((key, _, outcome, reason), id) in cases.iter().zip(ids) {
        let check = first_result(&app, &editor, key, id).await;
        assert_eq!(check["last_outcome"], *outcome, "{key}: {check}");
        let error = check["last_error"].as_str().unwrap_or_default();
        assert!(error.contains(reason), "{key}: {error:?} should say {reason:?}");
        if *outcome == "down" {
            assert!(!error.is_empty(), "{key}: a failure says why");
        }
    }
    assert!(started.elapsed() < WAIT, "no check hung its worker");

    // /metrics reports each check's latest result and what this server ran.
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(crate::support::METRICS_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "herald_check_up{organization=\"acme\",check=\"tcp-open\"} 1",
        "herald_check_up{organization=\"acme\",check=\"slow\"} 1",
        "herald_check_up{organization=\"acme\",check=\"refused\"} 0",
        "# TYPE herald_check_latency_seconds histogram",
    ] {
        assert!(metrics.lines().any(|candidate| candidate == line), "missing {line:?} in\n{metrics}");
    }
    let value = |prefix: &str| -> f64 {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(prefix).and_then(|rest| rest.trim().parse().ok()))
            .unwrap_or_else(|| panic!("no {prefix} in\n{metrics}"))
    };
    assert!(value("herald_check_runs_total{kind=\"tcp\",outcome=\"up\"}") >= 1.0);
    assert!(value("herald_check_runs_total{kind=\"http\",outcome=\"down\"}") >= 5.0);
    assert!(value("herald_check_runs_total{kind=\"http\",outcome=\"slow\"}") >= 1.0);
    assert!(value("herald_check_latency_seconds_count{kind=\"http\"}") >= 1.0);
    assert!(
        value("herald_check_latency_seconds_bucket{kind=\"http\",le=\"+Inf\"}")
            >= value("herald_check_latency_seconds_bucket{kind=\"http\",le=\"0.1\"}"),
        "buckets are cumulative"
    );
    assert!(value("herald_check_last_latency_seconds{organization=\"acme\",check=\"slow\"}") >= 0.2);
});

on_each_database!(heartbeats_are_up_while_pinged_and_down_when_silent, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app, &acme).await;
    let editor = token(&app, &acme, Role::Editor).await;
    let created = add_check(
        &app,
        &editor,
        json!({"key": "nightly", "name": "Nightly backup", "kind": "heartbeat", "component_id": api.id,
            "target": {"grace_seconds": 1}, "interval_seconds": 2, "timeout_ms": 1000, "auto_incident": false}),
    )
    .await;
    let path = created["heartbeat_path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/api/v1/heartbeat/hrlh_"), "{path}");
    // The secret is shown once: reading the check never shows it.
    let (_, read) = call(&app, &editor, Method::GET, &format!("/checks/{}", created["id"]), None).await;
    assert!(!read.to_string().contains(&path[18..]));

    let response = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(component_status(&app, api.id).await, "operational");
    let response = app.client.post(app.url(&path)).body("ignored").send().await.unwrap();
    assert_eq!(response.status(), 200, "POST pings too");
    let unknown = app.client.get(app.url("/api/v1/heartbeat/hrlh_nope")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"]["code"], "not_found");

    // Silence past interval + grace: down, with how long it has been silent.
    eventually("the heartbeat to be missed", WAIT, || async {
        (component_status(&app, api.id).await == "major_outage").then_some(())
    })
    .await;
    let (_, check) = call(&app, &editor, Method::GET, &format!("/checks/{}", created["id"]), None).await;
    assert!(check["last_error"].as_str().unwrap().contains("one was expected every 2 s"), "{check}");
    app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(component_status(&app, api.id).await, "operational", "a ping brings it back at once");
});

on_each_database!(checks_are_validated_scoped_and_role_checked, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let other = insert_organization_with_api(&app.db, "globex").await;
    let other_api = api_component(&app, &other).await;
    let editor = token(&app, &acme, Role::Editor).await;
    let viewer = token(&app, &acme, Role::Viewer).await;
    let outsider = token(&app, &other, Role::Admin).await;
    let good = json!({"key": "web", "name": "Web", "kind": "http", "target": {"url": "https://example.com/health"}});
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let bad: Vec<(Value, &str)> = vec![
        (with("target", json!({"url": "example.com"})), "target.url"),
        (with("target", json!({"url": "https://a.example", "method": "HEAD", "body_contains": "x"})), "target.method"),
        (with("target", json!({"host": "x", "port": 1})), "target.host"),
        (with("interval_seconds", json!(4000)), "interval_seconds"),
        (with("timeout_ms", json!(70_000)), "timeout_ms"),
        (with("degraded_latency_ms", json!(20_000)), "degraded_latency_ms"),
        (with("failure_status", json!("operational")), "failure_status"),
        (with("confirmations", json!(0)), "confirmations"),
        (with("component_id", json!(other_api.id)), "component_id"),
        (with("key", json!("Not A Key")), "key"),
        (with("name", json!("x".repeat(500))), "name"),
        (with("kind", json!("ping")), "kind"),
        (with("colour", json!("red")), "colour"),
    ];
    for (body, field) in bad {
        let (status, answer) = call(&app, &editor, Method::POST, "/checks", Some(body.clone())).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{body}: {answer}");
        assert!(!answer["error"]["message"].as_str().unwrap().is_empty());
    }
    let count = app::ssr::entities::monitors::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(count, 0, "nothing half-written");

    let (status, created) = call(&app, &editor, Method::POST, "/checks", Some(good.clone())).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, duplicate) = call(&app, &editor, Method::POST, "/checks", Some(good.clone())).await;
    assert_eq!((status, duplicate["error"]["field"].as_str()), (422, Some("key")));

    // Edits are version-checked; the kind stays.
    let (status, edited) =
        call(&app, &editor, Method::PATCH, &format!("/checks/{id}"), Some(json!({"name": "Website", "version": 1})))
            .await;
    assert_eq!((status, edited["name"].as_str()), (200, Some("Website")), "{edited}");
    let (status, _) =
        call(&app, &editor, Method::PATCH, &format!("/checks/{id}"), Some(json!({"name": "Stale", "version": 1})))
            .await;
    assert_eq!(status, 409);
    let (status, answer) =
        call(&app, &editor, Method::PATCH, &format!("/checks/{id}"), Some(json!({"kind": "tcp"}))).await;
    assert_eq!((status, answer["error"]["field"].as_str()), (422, Some("kind")), "{answer}");

    // Pause, resume, run now.
    let (status, paused) = call(&app, &editor, Method::POST, &format!("/checks/{id}/pause"), None).await;
    assert_eq!((status, paused["paused"].as_bool()), (200, Some(true)));
    let (status, answer) = call(&app, &editor, Method::POST, &format!("/checks/{id}/run"), None).await;
    assert_eq!(status, 422, "a paused check does not run: {answer}");
    let (status, resumed) = call(&app, &editor, Method::POST, &format!("/checks/{id}/resume"), None).await;
    assert_eq!((status, resumed["status"].as_str()), (200, Some("no_data")));
    let (status, _) = call(&app, &editor, Method::POST, &format!("/checks/{id}/run"), None).await;
    assert_eq!(status, 202);

    // Viewers read but change nothing; another organization sees nothing.
    let (status, listed) = call(&app, &viewer, Method::GET, "/checks", None).await;
    assert_eq!((status, listed["pagination"]["total"].as_u64()), (200, Some(1)));
    let writes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, "/checks".into(), Some(with("key", json!("other")))),
        (Method::PATCH, format!("/checks/{id}"), Some(json!({"name": "x"}))),
        (Method::DELETE, format!("/checks/{id}"), None),
        (Method::POST, format!("/checks/{id}/pause"), None),
        (Method::POST, format!("/checks/{id}/resume"), None),
        (Method::POST, format!("/checks/{id}/run"), None),
    ];
    for (method, path, body) in &writes {
        let (status, _) = call(&app, &viewer, method.clone(), path, body.clone()).await;
        assert_eq!(status, 403, "viewer {method} {path}");
    }
    for (method, path, body) in writes.iter().skip(1).chain(
        [(Method::GET, format!("/checks/{id}"), None), (Method::GET, format!("/checks/{id}/results"), None)].iter(),
    ) {
        let (status, _) = call(&app, &outsider, method.clone(), path, body.clone()).await;
        assert_eq!(status, 404, "outsider {method} {path}");
    }
    let (_, theirs) = call(&app, &outsider, Method::GET, "/checks", None).await;
    assert_eq!(theirs["pagination"]["total"], 0);

    let (status, _) = call(&app, &editor, Method::DELETE, &format!("/checks/{id}"), None).await;
    assert_eq!(status, 204);
    let audited: Vec<String> = app::ssr::entities::audit_log::Entity::find()
        .filter(app::ssr::entities::audit_log::Column::EntityType.eq("check"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.action)
        .collect();
    assert_eq!(audited, ["check.created", "check.updated", "check.paused", "check.resumed", "check.deleted"]);
});

on_each_database!(old_results_are_purged_in_batches, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let editor = token(&app, &acme, Role::Editor).await;
    let (_, created) = call(
        &app,
        &editor,
        Method::POST,
        "/checks",
        Some(json!({"key": "web", "name": "Web", "kind": "tcp", "target": {"host": "127.0.0.1", "port": 9}, "paused": true})),
    )
    .await;
    let monitor_id = created["id"].as_i64().unwrap();
    let now = Utc::now();
    for days_ago in 0..25 {
        check_results::ActiveModel {
            monitor_id: Set(monitor_id),
            organization_id: Set(acme.id),
            component_id: Set(None),
            checked_at: Set(now - TimeDelta::hours(days_ago * 12)),
            outcome: Set("up".into()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let purged = monitoring::purge_results(&app.db, now - TimeDelta::days(7), 4).await.unwrap();
    assert_eq!(purged, 10, "results from 7.5 to 12 days ago");
    assert_eq!(check_results::Entity::find().count(&app.db).await.unwrap(), 15);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_targets_can_be_forbidden() {
    let target = Target::start().await;
    let app = support::spawn_app_with(Backend::Sqlite, |config| config.monitoring.block_private_targets = true)
        .await
        .unwrap();
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let editor = token(&app, &acme, Role::Editor).await;
    let checks = [
        (
            "literal",
            json!({"kind": "http", "target": {"url": target.url("/health")}}),
            "127.0.0.1 is a private address",
        ),
        (
            "named",
            json!({"kind": "http", "target": {"url": format!("http://localhost:{}/health", target.address.port())}}),
            "private addresses",
        ),
        (
            "tcp",
            json!({"kind": "tcp", "target": {"host": "localhost", "port": target.address.port()}}),
            "private addresses",
        ),
    ];
    for (key, settings, reason) in checks {
        let mut body = settings;
        body["key"] = json!(key);
        body["name"] = json!(key);
        body["interval_seconds"] = json!(2);
        body["timeout_ms"] = json!(1000);
        let (status, created) = call(&app, &editor, Method::POST, "/checks", Some(body)).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let check = first_result(&app, &editor, key, id).await;
        assert_eq!(check["last_outcome"], "down", "{key}: {check}");
        let error = check["last_error"].as_str().unwrap();
        assert!(error.contains(reason) && error.contains("HERALD_BLOCK_PRIVATE_TARGETS"), "{key}: {error}");
    }
}

on_each_database!(the_monitoring_page_adds_runs_pauses_and_deletes_checks, |app| async move {
    use crate::accounts::{PASSWORD, call as call_fn, join, member, page, post_form, sign_in};
    use app::api::checks::{AddCheck, CheckAction, DeleteCheck, EditCheck, GetChecks};
    use leptos::server_fn::ServerFn;
    let target = Target::start().await;
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    join(&app, "vic@acme.example", acme, Role::Viewer).await;
    member(&app, "olga@globex.example", "globex", Role::Admin).await;
    let api = components::Entity::find()
        .filter(components::Column::OrganizationId.eq(acme))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let editor = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let api_id = api.id.to_string();
    let url = target.url("/health");
    let form = |kind: &'static str, name: &'static str| {
        vec![
            ("slug", "acme".to_owned()),
            ("kind", kind.to_owned()),
            ("name", name.to_owned()),
            ("key", String::new()),
            ("component_id", api_id.clone()),
            ("url", url.clone()),
            ("body_contains", "ok".to_owned()),
            ("host", "127.0.0.1".to_owned()),
            ("port", target.address.port().to_string()),
            ("record_type", "A".to_owned()),
            ("expected", String::new()),
            ("grace_seconds", "60".to_owned()),
            ("interval_seconds", "1".to_owned()),
            ("timeout_ms", "900".to_owned()),
            ("degraded_latency_ms", String::new()),
            ("failure_status", "partial_outage".to_owned()),
            ("auto_incident", "yes".to_owned()),
        ]
    };
    let fields = |form: &Vec<(&'static str, String)>| form.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    fn as_refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
        form.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    // Without JavaScript: added, and back to the list.
    let http_form = fields(&form("http", "API health"));
    let (status, location, _) = post_form(&app, AddCheck::PATH, Some(&editor), &as_refs(&http_form)).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/checks")));
    // Bad input is refused next to the form's own field names.
    for (field, value, named) in [
        ("url", "not a url", "url"),
        ("port", "99999", "port"),
        ("interval_seconds", "soon", "interval_seconds"),
        ("kind", "ping", "kind"),
    ] {
        let mut bad = fields(&form(if field == "port" { "tcp" } else { "http" }, "Bad"));
        for entry in bad.iter_mut().filter(|(k, _)| *k == field) {
            entry.1 = value.to_owned();
        }
        let (status, error) = call_fn(&app, AddCheck::PATH, Some(&editor), &as_refs(&bad)).await;
        assert_eq!(status, 422, "{field}: {error}");
        assert_eq!(error.pointer("/Invalid/field").and_then(Value::as_str), Some(named), "{field}: {error}");
    }
    let heartbeat = fields(&form("heartbeat", "Nightly job"));
    let (status, added) = call_fn(&app, AddCheck::PATH, Some(&editor), &as_refs(&heartbeat)).await;
    assert_eq!(status, 200, "{added}");
    assert!(added["heartbeat_path"].as_str().unwrap().starts_with("/api/v1/heartbeat/hrlh_"), "{added}");

    let board = eventually("the HTTP check's first results", WAIT, || async {
        let response = app
            .client
            .get(app.url(GetChecks::PATH))
            .query(&[("slug", "acme")])
            .header("cookie", &editor)
            .send()
            .await
            .unwrap();
        let board: Value = response.json().await.unwrap();
        let http = board["checks"].as_array().unwrap().iter().find(|check| check["key"] == "api-health").cloned()?;
        (http["latencies"].as_array().unwrap().len() >= 2).then_some(board)
    })
    .await;
    let checks = board["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    let http = checks.iter().find(|check| check["key"] == "api-health").unwrap();
    assert_eq!(http["last_outcome"], "up");
    assert_eq!(http["component"], "Their API");
    assert_eq!(http["uptime_24h"], 1.0);
    assert!(http["target"].as_str().unwrap().starts_with("GET http://127.0.0.1:"));
    let http_id = http["id"].as_i64().unwrap().to_string();

    let (status, html) = page(&app, "/dashboard/acme/checks", Some(&editor)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("API health") && html.contains("Nightly job") && html.contains("Uptime 24 h"),
        "the page renders on the server"
    );

    // Edit: the form starts from what is stored; saved, the check looks at the new address;
    // a form filled from an older version is refused; bad input names its field.
    let settings = &http["settings"];
    assert_eq!(settings["url"], url.as_str());
    assert_eq!(settings["body_contains"], "ok");
    assert_eq!(settings["failure_status"], "partial_outage");
    let version = settings["version"].as_i64().unwrap().to_string();
    let edit = |version: &str, url: &str, interval: &str| {
        vec![
            ("slug", "acme".to_owned()),
            ("check_id", http_id.clone()),
            ("version", version.to_owned()),
            ("name", "API health (v2)".to_owned()),
            ("component_id", api_id.clone()),
            ("url", url.to_owned()),
            ("body_contains", String::new()),
            ("interval_seconds", interval.to_owned()),
            ("timeout_ms", "800".to_owned()),
            ("degraded_latency_ms", "500".to_owned()),
            ("failure_status", "major_outage".to_owned()),
        ]
    };
    let new_url = target.url("/health?v=2");
    let (status, error) =
        call_fn(&app, EditCheck::PATH, Some(&editor), &as_refs(&edit(&version, "ftp://x", "1"))).await;
    assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some("url")), "{error}");
    let (status, error) = call_fn(&app, EditCheck::PATH, Some(&editor), &as_refs(&edit(&version, &new_url, "0"))).await;
    assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some("interval_seconds")));
    let (status, location, _) =
        post_form(&app, EditCheck::PATH, Some(&editor), &as_refs(&edit(&version, &new_url, "1"))).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/checks")));
    let (status, error) = call_fn(&app, EditCheck::PATH, Some(&editor), &as_refs(&edit(&version, &new_url, "2"))).await;
    assert_eq!(status, 409, "a form filled before the last save: {error}");
    let stored = app::ssr::entities::monitors::Entity::find_by_id(http["id"].as_i64().unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.name, "API health (v2)");
    assert_eq!(stored.config["url"], new_url.as_str());
    assert!(stored.config["body_contains"].is_null(), "an emptied keyword is no keyword: {}", stored.config);
    assert_eq!((stored.interval_seconds, stored.timeout_ms, stored.degraded_latency_ms), (1, 800, Some(500)));
    assert_eq!((stored.failure_status.as_str(), stored.auto_incident), ("major_outage", false));
    let edited_version = stored.version.to_string();

    // Pause, run (refused while paused), resume, run; a viewer may not; another organization gets 404.
    for (action, refused) in [("pause", false), ("run", true), ("resume", false), ("run", false), ("explode", true)] {
        let fields = [("slug", "acme"), ("check_id", http_id.as_str()), ("action", action)];
        let (status, answer) = call_fn(&app, CheckAction::PATH, Some(&editor), &fields).await;
        assert_eq!(status == 422, refused, "{action}: {status} {answer}");
        assert!(status < 300 || status == 422, "{action}: {status} {answer}");
    }
    let viewer = sign_in(&app, "vic@acme.example", PASSWORD).await;
    let outsider = sign_in(&app, "olga@globex.example", PASSWORD).await;
    let (status, _) = call_fn(&app, AddCheck::PATH, Some(&viewer), &as_refs(&http_form)).await;
    assert_eq!(status, 403);
    for (path, fields) in [
        (CheckAction::PATH, vec![("slug", "acme"), ("check_id", http_id.as_str()), ("action", "pause")]),
        (DeleteCheck::PATH, vec![("slug", "acme"), ("check_id", http_id.as_str()), ("confirm", "yes")]),
        (EditCheck::PATH, as_refs(&edit(&edited_version, &new_url, "1"))),
    ] {
        let (status, _) = call_fn(&app, path, Some(&viewer), &fields).await;
        assert_eq!(status, 403, "viewer {path}");
        let (status, _) = call_fn(&app, path, Some(&outsider), &fields).await;
        assert_eq!(status, 404, "outsider naming acme {path}");
        let mut theirs = fields.clone();
        theirs[0] = ("slug", "globex");
        let (status, _) = call_fn(&app, path, Some(&outsider), &theirs).await;
        assert_eq!(status, 404, "outsider naming acme's check under their slug {path}");
    }

    // Delete needs the box ticked.
    let (status, error) =
        call_fn(&app, DeleteCheck::PATH, Some(&editor), &[("slug", "acme"), ("check_id", &http_id)]).await;
    assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some("confirm")));
    let (status, location, _) = post_form(
        &app,
        DeleteCheck::PATH,
        Some(&editor),
        &[("slug", "acme"), ("check_id", &http_id), ("confirm", "yes")],
    )
    .await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/checks")));
    assert_eq!(app::ssr::entities::monitors::Entity::find().count(&app.db).await.unwrap(), 1);
});

on_each_database!(hours_and_days_roll_up_what_the_checks_saw, |app| async move {
    use app::ssr::entities::uptime_rollups;
    use app::ssr::rollups;
    use chrono::DurationRound;
    // The server's roll-up worker makes its first pass at start-up and the next ten minutes
    // later: let the first end before there is anything to roll up, so it does not roll up
    // the hours below while the test back-dates results into them.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app, &acme).await;
    let editor = token(&app, &acme, Role::Editor).await;
    let (_, created) = call(
        &app,
        &editor,
        Method::POST,
        "/checks",
        Some(json!({"key": "web", "name": "Web", "kind": "tcp", "component_id": api.id,
            "target": {"host": "127.0.0.1", "port": 9}, "paused": true})),
    )
    .await;
    let monitor_id = created["id"].as_i64().unwrap();
    let now = Utc::now();
    // An hour a day and more ago: nineteen answers from 10 to 190 ms and one failure.
    let hour = now.duration_trunc(TimeDelta::hours(1)).unwrap() - TimeDelta::hours(26);
    let mut results: Vec<(String, Option<i32>)> = (1..=19).map(|n| ("up".to_owned(), Some(n * 10))).collect();
    results.push(("down".to_owned(), Some(5_000)));
    for (minute, (outcome, latency)) in results.into_iter().enumerate() {
        check_results::ActiveModel {
            monitor_id: Set(monitor_id),
            organization_id: Set(acme.id),
            component_id: Set(Some(api.id)),
            checked_at: Set(hour + TimeDelta::minutes(minute as i64 * 2)),
            outcome: Set(outcome),
            latency_ms: Set(latency),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let written = rollups::catch_up(&app.db, 90, now).await.unwrap();
    assert!(written > 0);
    let hourly = uptime_rollups::Entity::find()
        .filter(uptime_rollups::Column::ComponentId.eq(api.id))
        .filter(uptime_rollups::Column::Period.eq(rollups::HOUR))
        .filter(uptime_rollups::Column::BucketStart.eq(hour))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the hour is rolled up");
    assert_eq!((hourly.check_count, hourly.failure_count), (20, 1));
    assert_eq!(hourly.latency_avg_ms, Some(100.0), "the failure's 5 s is not a latency");
    assert_eq!(hourly.latency_p95_ms, Some(190.0));
    let hours = uptime_rollups::Entity::find()
        .filter(uptime_rollups::Column::ComponentId.eq(api.id))
        .filter(uptime_rollups::Column::Period.eq(rollups::HOUR))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(hours, u64::from(rollups::HOURS_CAUGHT_UP), "every complete hour of the window, once");
    let day_start = hour.date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
    let daily = uptime_rollups::Entity::find()
        .filter(uptime_rollups::Column::ComponentId.eq(api.id))
        .filter(uptime_rollups::Column::Period.eq(rollups::DAY))
        .filter(uptime_rollups::Column::BucketStart.eq(day_start))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the day is rolled up");
    assert_eq!((daily.check_count, daily.failure_count, daily.latency_p95_ms), (20, 1, Some(190.0)));
    // The check's own hour, for its charts.
    let own = app::ssr::entities::check_rollups::Entity::find()
        .filter(app::ssr::entities::check_rollups::Column::MonitorId.eq(monitor_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(own.len(), 1, "only hours with results get a row");
    assert_eq!((own[0].hour_start, own[0].check_count, own[0].failure_count), (hour, 20, 1));
    assert_eq!((own[0].latency_avg_ms, own[0].latency_p95_ms), (Some(100.0), Some(190.0)));
    // Raw results may go; the roll-ups stay.
    monitoring::purge_results(&app.db, now, 1000).await.unwrap();
    assert_eq!(rollups::catch_up(&app.db, 90, now).await.unwrap(), 0, "nothing missing, nothing rewritten");
    let kept = uptime_rollups::Entity::find_by_id(hourly.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(kept.check_count, 20);
});

/// An HTTPS target with a self-signed certificate for localhost that expires in `days` days;
/// it answers every request with 200 "ok".
async fn tls_target(days: i64) -> SocketAddr {
    use chrono::Datelike;
    let expires = Utc::now() + TimeDelta::days(days);
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(expires.year(), expires.month() as u8, expires.day() as u8);
    let key = rcgen::KeyPair::generate().unwrap();
    let certificate = params.self_signed(&key).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let Ok(mut stream) = acceptor.accept(socket).await else { return };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
                let _ = stream.write_all(answer).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    address
}

on_each_database!(certificates_are_verified_and_watched_for_expiry, |app| async move {
    let soon = tls_target(3).await;
    let later = tls_target(200).await;
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let editor = token(&app, &acme, Role::Editor).await;
    let url = |address: SocketAddr| format!("https://localhost:{}/", address.port());
    let cases = [
        ("verified", json!({"url": url(soon)}), "down", "TLS error"),
        ("expiring", json!({"url": url(soon), "verify_tls": false}), "slow", "The TLS certificate expires in "),
        ("fine", json!({"url": url(later), "verify_tls": false}), "up", ""),
        ("unwatched", json!({"url": url(soon), "verify_tls": false, "certificate_expiry_days": 0}), "up", ""),
    ];
    for (key, target, outcome, reason) in cases {
        let body = json!({"key": key, "name": key, "kind": "http", "target": target, "interval_seconds": 2, "timeout_ms": 1500, "confirmations": 1});
        let (status, created) = call(&app, &editor, Method::POST, "/checks", Some(body)).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        let check = first_result(&app, &editor, key, id).await;
        assert_eq!(check["last_outcome"], outcome, "{key}: {check}");
        assert!(check["last_error"].as_str().unwrap_or_default().contains(reason), "{key}: {check}");
    }
});

on_each_database!(time_when_no_herald_was_checking_shows_as_no_data, |app| async move {
    use app::ssr::entities::{component_status_intervals, monitoring_watch, monitors, uptime_rollups};
    use app::ssr::watch::keep_watch;
    use chrono::DurationRound;
    use sea_orm::sea_query::Expr;
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app, &acme).await;
    let docs = support::insert_component(&app.db, acme.id, "docs", "Docs").await;
    let editor = token(&app, &acme, Role::Editor).await;
    let created = add_check(
        &app,
        &editor,
        json!({"key": "nightly", "name": "Nightly backup", "kind": "heartbeat", "component_id": api.id,
            "target": {"grace_seconds": 60}, "interval_seconds": 60, "auto_incident": false}),
    )
    .await;
    let monitor_id = created["id"].as_i64().unwrap();

    // Both components operational for six hours; monitoring last ran three hours ago (every
    // replica stopped then); the heartbeat was due in a moment when it stopped.
    let now = Utc::now();
    let stopped = now - TimeDelta::hours(3);
    component_status_intervals::Entity::delete_many()
        .filter(component_status_intervals::Column::ComponentId.is_in([api.id, docs.id]))
        .exec(&app.db)
        .await
        .unwrap();
    for component_id in [api.id, docs.id] {
        component_status_intervals::ActiveModel {
            organization_id: Set(acme.id),
            component_id: Set(component_id),
            status: Set("operational".into()),
            source: Set("monitor".into()),
            started_at: Set(now - TimeDelta::hours(6)),
            ended_at: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    monitors::ActiveModel { id: Set(monitor_id), next_run_at: Set(now + TimeDelta::seconds(5)), ..Default::default() }
        .update(&app.db)
        .await
        .unwrap();
    let marked = monitoring_watch::Entity::update_many()
        .col_expr(monitoring_watch::Column::SeenAt, Expr::value(stopped))
        .exec(&app.db)
        .await
        .unwrap();
    if marked.rows_affected == 0 {
        monitoring_watch::ActiveModel { id: Set(1), seen_at: Set(stopped) }.insert(&app.db).await.unwrap();
    }

    // Monitoring runs again (unless the server's own runner noticed first, which does the same).
    keep_watch(&app.db, Utc::now()).await.unwrap();
    let history = |component_id: i64| {
        let db = app.db.clone();
        async move {
            component_status_intervals::Entity::find()
                .filter(component_status_intervals::Column::ComponentId.eq(component_id))
                .order_by_asc(component_status_intervals::Column::StartedAt)
                .all(&db)
                .await
                .unwrap()
        }
    };
    let close = |a: chrono::DateTime<Utc>, b: chrono::DateTime<Utc>| (a - b).num_milliseconds().abs() <= 1;
    let api_history = history(api.id).await;
    assert_eq!(api_history.len(), 2, "{api_history:?}");
    assert!(close(api_history[0].started_at, now - TimeDelta::hours(6)), "{api_history:?}");
    assert!(close(api_history[0].ended_at.unwrap(), stopped), "cut where monitoring stopped: {api_history:?}");
    assert!(api_history[1].started_at >= now && api_history[1].ended_at.is_none(), "{api_history:?}");
    assert_eq!(api_history[1].status, "operational", "and it resumes as it was: {api_history:?}");
    let docs_history = history(docs.id).await;
    assert_eq!(docs_history.len(), 1, "a component no check drives keeps what people said: {docs_history:?}");

    // An hour wholly inside the stop is no data, neither up nor down.
    let inside = stopped.duration_trunc(TimeDelta::hours(1)).unwrap() + TimeDelta::hours(1);
    let hour = uptime_rollups::Entity::find()
        .filter(uptime_rollups::Column::ComponentId.eq(api.id))
        .filter(uptime_rollups::Column::Period.eq("hour"))
        .filter(uptime_rollups::Column::BucketStart.eq(inside))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the hour is rolled up again");
    assert_eq!((hour.no_data_ms, hour.operational_ms), (3_600_000, 0), "{hour:?}");

    // Pings had nowhere to go meanwhile: the heartbeat gets its full interval and grace again.
    let monitor = monitors::Entity::find_by_id(monitor_id).one(&app.db).await.unwrap().unwrap();
    assert!(monitor.next_run_at >= now + TimeDelta::seconds(115), "{:?}", monitor.next_run_at);
    // Watching on, there is nothing more to forget.
    assert_eq!(keep_watch(&app.db, Utc::now()).await.unwrap(), None);
});

on_each_database!(an_automatic_incident_no_check_watches_any_more_is_resolved, |app| async move {
    let target = Target::start().await;
    target.set(503);
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app, &acme).await;
    let editor = token(&app, &acme, Role::Editor).await;
    let created = add_check(
        &app,
        &editor,
        json!({"key": "api-health", "name": "API health", "kind": "http", "component_id": api.id,
            "target": {"url": target.url("/health")}, "interval_seconds": 1, "timeout_ms": 800,
            "confirmations": 1, "incident_threshold": 1}),
    )
    .await;
    let incident =
        eventually("an automatic incident", WAIT, || async { auto_incidents(&app, api.id).await.into_iter().next() })
            .await;
    assert_eq!(
        monitoring::reconcile_automatic_incidents(&app.db, None, Utc::now()).await.unwrap(),
        0,
        "a watched incident is left to its check"
    );

    // Paused while failing, the check can never resolve it: reconciliation does (this call or
    // the server's own, whichever comes first).
    let (status, _) = call(&app, &editor, Method::POST, &format!("/checks/{}/pause", created["id"]), None).await;
    assert_eq!(status, 200);
    monitoring::reconcile_automatic_incidents(&app.db, None, Utc::now()).await.unwrap();
    let resolved = incidents::Entity::find_by_id(incident.id).one(&app.db).await.unwrap().unwrap();
    assert!(resolved.resolved_at.is_some(), "{resolved:?}");
    let last = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(incident.id))
        .order_by_desc(incident_updates::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(last.body.contains("No check watches this any more"), "{}", last.body);
    assert_ne!(component_status(&app, api.id).await, "major_outage", "nothing holds the component down any more");
    assert_eq!(monitoring::reconcile_automatic_incidents(&app.db, None, Utc::now()).await.unwrap(), 0);
});

/// A DNS server on a random local UDP port that knows a few names in `herald.test`: an A, a
/// TXT and an MX record; `silent.herald.test` gets no answer at all; anything else NXDOMAIN.
async fn dns_server() -> SocketAddr {
    use hickory_resolver::proto::op::{Message, MessageType, OpCode, ResponseCode};
    use hickory_resolver::proto::rr::rdata::{A, MX, TXT};
    use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
    use std::str::FromStr;
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let address = socket.local_addr().unwrap();
    tokio::spawn(async move {
        let mut buffer = vec![0u8; 4096];
        loop {
            let Ok((length, from)) = socket.recv_from(&mut buffer).await else { return };
            let Ok(query) = Message::from_vec(&buffer[..length]) else { continue };
            let Some(question) = query.queries().first().cloned() else { continue };
            let name = question.name().to_ascii().to_ascii_lowercase();
            if name == "silent.herald.test." {
                continue;
            }
            let rdata = match (name.as_str(), question.query_type()) {
                ("api.herald.test.", RecordType::A) => Some(RData::A(A([127, 0, 0, 7].into()))),
                ("api.herald.test.", RecordType::TXT) => Some(RData::TXT(TXT::new(vec!["status=ok".into()]))),
                ("herald.test.", RecordType::MX) => {
                    Some(RData::MX(MX::new(10, Name::from_str("mail.herald.test.").unwrap())))
                }
                _ => None,
            };
            let mut answer = Message::new();
            answer
                .set_id(query.id())
                .set_message_type(MessageType::Response)
                .set_op_code(OpCode::Query)
                .set_authoritative(true)
                .set_recursion_available(true)
                .add_query(question.clone());
            match rdata {
                Some(rdata) => {
                    answer.add_answer(Record::from_rdata(question.name().clone(), 0, rdata));
                }
                None => {
                    answer.set_response_code(ResponseCode::NXDomain);
                }
            }
            let _ = socket.send_to(&answer.to_vec().unwrap(), from).await;
        }
    });
    address
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_checks_ask_the_configured_servers() {
    let dns = dns_server().await;
    let app =
        support::spawn_app_with(Backend::Sqlite, |config| config.monitoring.dns_servers = vec![dns]).await.unwrap();
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let editor = token(&app, &acme, Role::Editor).await;
    let checks = [
        ("address", json!({"host": "api.herald.test", "record_type": "A", "expected": "127.0.0.7"}), None),
        ("txt", json!({"host": "api.herald.test", "record_type": "TXT", "expected": "status=ok"}), None),
        ("mx", json!({"host": "herald.test", "record_type": "MX", "expected": "mail.herald.test"}), None),
        (
            "moved",
            json!({"host": "api.herald.test", "record_type": "A", "expected": "127.0.0.8"}),
            Some("A api.herald.test answered 127.0.0.7, not 127.0.0.8."),
        ),
        ("gone", json!({"host": "gone.herald.test", "record_type": "A"}), Some("No A record for gone.herald.test.")),
        ("silent", json!({"host": "silent.herald.test", "record_type": "A"}), Some("No DNS answer within 1000 ms.")),
    ];
    for (key, target, failure) in checks {
        let created = add_check(
            &app,
            &editor,
            json!({"key": key, "name": key, "kind": "dns", "target": target, "interval_seconds": 2, "timeout_ms": 1000}),
        )
        .await;
        let check = first_result(&app, &editor, key, created["id"].as_i64().unwrap()).await;
        match failure {
            None => {
                assert_eq!(check["last_outcome"], "up", "{key}: {check}");
                assert!(check["last_latency_ms"].as_i64().is_some(), "{key}: {check}");
            }
            Some(reason) => {
                assert_eq!(check["last_outcome"], "down", "{key}: {check}");
                assert_eq!(check["last_error"], reason, "{key}: {check}");
            }
        }
    }
}
