//! The admin REST API: tokens and what each role and scope may do, isolation between
//! organizations, the incident and maintenance lifecycles, strict input, rate limiting, and
//! an OpenAPI document that lists exactly the routes that exist.

use crate::on_each_database;
use crate::support::{self, Backend, TestApp, insert_organization_with_api};
use app::ssr::api_tokens::{self, NewApiToken, TokenCreator};
use app::ssr::entities::{api_tokens as token_rows, components, incidents, organizations};
use app::ssr::repositories::{memberships, users};
use chrono::{TimeDelta, Utc};
use herald::{Email, Role, TokenScope};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// What is tried, how, with what body, the least role that may, and whether it writes.
type Action = (&'static str, Method, String, Option<Value>, Role, bool);
/// What is wrong, the request, and the status and field the answer must name.
type BadInput = (&'static str, Method, String, Value, u16, Option<&'static str>);

async fn token(app: &TestApp, organization: &organizations::Model, role: Role, scope: TokenScope) -> String {
    let new = NewApiToken { name: format!("{role:?} {scope:?}"), scope, role: Some(role), expires_at: None };
    api_tokens::create(&app.db, organization.id, TokenCreator::CommandLine, new, Utc::now()).await.unwrap().token
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(&format!("/api/v1{path}"))).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
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

on_each_database!(tokens_are_required_and_refused_alike_whatever_is_wrong, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let (status, body) = {
        let response = app.client.get(app.url("/api/v1/components")).send().await.unwrap();
        assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"herald\"");
        (response.status().as_u16(), response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthorized");
    assert!(body["error"]["message"].as_str().unwrap().contains("Authorization: Bearer"));

    let good = token(&app, &acme, Role::Editor, TokenScope::Write).await;
    let (status, listed) = call(&app, &good, Method::GET, "/components", None).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["data"][0]["key"], "api");
    assert_eq!(listed["pagination"]["total"], 1);

    // Unknown, revoked and expired tokens all get the same answer, naming no organization.
    let revoked = token(&app, &acme, Role::Editor, TokenScope::Write).await;
    let revoked_row = token_rows::Entity::find()
        .filter(token_rows::Column::TokenPrefix.eq(&revoked[..9]))
        .all(&app.db)
        .await
        .unwrap();
    let revoked_id = revoked_row.iter().map(|row| row.id).max().unwrap();
    api_tokens::revoke(&app.db, acme.id, app::ssr::repositories::audit::Actor::System("test"), revoked_id, Utc::now())
        .await
        .unwrap();
    let expired = token(&app, &acme, Role::Editor, TokenScope::Write).await;
    token_rows::ActiveModel {
        id: Set(revoked_id + 1),
        expires_at: Set(Some(Utc::now() - TimeDelta::seconds(1))),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    let mut answers = BTreeSet::new();
    for bad in ["hrlt_0000000000000000000000000000000000000000000000000", "nonsense", &revoked, &expired] {
        let (status, body) = call(&app, bad, Method::GET, "/components", None).await;
        assert_eq!(status, 401, "{bad}");
        answers.insert(body.to_string());
    }
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(!answers.iter().next().unwrap().contains("acme"));

    // The last use is noted (once a minute, not on every request).
    let used =
        token_rows::Entity::find().filter(token_rows::Column::LastUsedAt.is_not_null()).all(&app.db).await.unwrap();
    assert_eq!(used.len(), 1);
});

on_each_database!(each_role_and_scope_may_do_exactly_what_it_should, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app, &acme).await;
    let admin_write = token(&app, &acme, Role::Admin, TokenScope::Write).await;
    let victim = token(&app, &acme, Role::Viewer, TokenScope::Read).await;
    let victim_id = token_rows::Entity::find()
        .filter(token_rows::Column::TokenPrefix.eq(&victim[..9]))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let document = {
        let response =
            app.client.get(app.url("/api/v1/config?format=json")).bearer_auth(&admin_write).send().await.unwrap();
        response.json::<Value>().await.unwrap()
    };

    // (what, method, path, body, least role, writes)
    let actions: Vec<Action> = vec![
        ("list components", Method::GET, "/components".into(), None, Role::Viewer, false),
        ("read a component", Method::GET, format!("/components/{}", api.id), None, Role::Viewer, false),
        ("export config", Method::GET, "/config".into(), None, Role::Viewer, false),
        ("whoami", Method::GET, "/organization".into(), None, Role::Viewer, false),
        (
            "rename a component",
            Method::PATCH,
            format!("/components/{}", api.id),
            Some(json!({ "name": "API" })),
            Role::Editor,
            true,
        ),
        (
            "create a group",
            Method::POST,
            "/groups".into(),
            Some(json!({ "key": "core", "name": "Core" })),
            Role::Editor,
            true,
        ),
        ("delete that group", Method::DELETE, "/groups/last".into(), None, Role::Editor, true),
        (
            "set a status",
            Method::PUT,
            format!("/components/{}/status", api.id),
            Some(json!({ "status": "operational" })),
            Role::Editor,
            true,
        ),
        ("read the audit log", Method::GET, "/audit-log".into(), None, Role::Admin, false),
        ("list tokens", Method::GET, "/tokens".into(), None, Role::Admin, false),
        ("dry-run a config", Method::POST, "/config?dry_run=true".into(), Some(document.clone()), Role::Admin, true),
        ("revoke a token", Method::DELETE, format!("/tokens/{victim_id}"), None, Role::Admin, true),
    ];
    for &role in Role::ALL {
        for scope in [TokenScope::Read, TokenScope::Write] {
            let token = token(&app, &acme, role, scope).await;
            let mut last_group = 0;
            for (what, method, path, body, least, writes) in &actions {
                // Each allowed revoke is idempotent; a created group is deleted again so the
                // next token can create it too.
                let path = path.replace("last", &last_group.to_string());
                let (status, answer) = call(&app, &token, method.clone(), &path, body.clone()).await;
                if *what == "create a group" && status == 201 {
                    last_group = answer["id"].as_i64().unwrap();
                }
                let allowed = role.includes(*least) && !(*writes && scope == TokenScope::Read);
                if allowed {
                    assert!((200..300).contains(&status), "{role:?} {scope:?} {what}: {status} {answer}");
                } else {
                    assert_eq!(status, 403, "{role:?} {scope:?} {what}: {answer}");
                    assert_eq!(answer["error"]["code"], "forbidden");
                }
            }
        }
    }

    // A token made by a person acts with no more than that person's role today.
    let email = Email::parse("viewer@acme.example").unwrap();
    let user = users::insert(&app.db, &email, "x".into(), false, Utc::now()).await.unwrap();
    memberships::insert(&app.db, acme.id, user.id, Role::Viewer, Utc::now()).await.unwrap();
    let escalating = token(&app, &acme, Role::Admin, TokenScope::Write).await;
    let row = token_rows::Entity::find()
        .filter(token_rows::Column::TokenPrefix.eq(&escalating[..9]))
        .all(&app.db)
        .await
        .unwrap();
    let row = row.into_iter().max_by_key(|row| row.id).unwrap();
    token_rows::ActiveModel { id: Set(row.id), created_by_user_id: Set(Some(user.id)), ..Default::default() }
        .update(&app.db)
        .await
        .unwrap();
    let (status, _) =
        call(&app, &escalating, Method::POST, "/groups", Some(json!({ "key": "ops", "name": "Ops" }))).await;
    assert_eq!(status, 403);
    let (_, whoami) = call(&app, &escalating, Method::GET, "/organization", None).await;
    assert_eq!(whoami["role"], "viewer");
});

on_each_database!(another_organizations_records_do_not_exist, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let other = insert_organization_with_api(&app.db, "other").await;
    let acme_token = token(&app, &acme, Role::Admin, TokenScope::Write).await;
    let other_token = token(&app, &other, Role::Admin, TokenScope::Write).await;
    let api = api_component(&app, &acme).await;
    let (status, incident) = call(
        &app,
        &acme_token,
        Method::POST,
        "/incidents",
        Some(json!({ "name": "API down", "impact": "major", "message": "Looking.", "components": [{ "component_id": api.id }] })),
    )
    .await;
    assert_eq!(status, 201, "{incident}");
    let incident_id = incident["id"].as_i64().unwrap();

    for (method, path, body) in [
        (Method::GET, format!("/components/{}", api.id), None),
        (Method::PATCH, format!("/components/{}", api.id), Some(json!({ "name": "Mine now" }))),
        (Method::DELETE, format!("/components/{}", api.id), None),
        (Method::PUT, format!("/components/{}/status", api.id), Some(json!({ "status": "major_outage" }))),
        (Method::GET, format!("/incidents/{incident_id}"), None),
        (Method::PATCH, format!("/incidents/{incident_id}"), Some(json!({ "name": "Hijacked" }))),
        (
            Method::POST,
            format!("/incidents/{incident_id}/updates"),
            Some(json!({ "status": "resolved", "message": "x" })),
        ),
    ] {
        let (status, answer) = call(&app, &other_token, method.clone(), &path, body).await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
    }
    // Naming another organization's component in one's own incident is refused too.
    let (status, answer) = call(
        &app,
        &other_token,
        Method::POST,
        "/incidents",
        Some(json!({ "name": "Theirs", "message": "x", "components": [{ "component_id": api.id }] })),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    let (_, listed) = call(&app, &other_token, Method::GET, "/incidents", None).await;
    assert_eq!(listed["pagination"]["total"], 0);
    let unchanged = api_component(&app, &acme).await;
    assert_eq!(unchanged.name, api.name);
    assert_eq!(unchanged.status, "partial_outage");
});

on_each_database!(an_incident_from_a_template_is_updated_resolved_and_audited, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let token = token(&app, &acme, Role::Editor, TokenScope::Write).await;
    let (status, db_component) = call(
        &app,
        &token,
        Method::POST,
        "/components",
        Some(json!({ "key": "database", "name": "Database", "description": "Primary PostgreSQL" })),
    )
    .await;
    assert_eq!(status, 201, "{db_component}");
    let database_id = db_component["id"].as_i64().unwrap();
    let (status, template) = call(
        &app,
        &token,
        Method::POST,
        "/templates",
        Some(json!({
            "key": "db-slow", "kind": "incident", "name": "Database slow", "title": "Slow database",
            "body": "Queries are slow; we are looking into it.", "impact": "minor", "component_ids": [database_id]
        })),
    )
    .await;
    assert_eq!(status, 201, "{template}");

    let (status, opened) =
        call(&app, &token, Method::POST, "/incidents", Some(json!({ "template_id": template["id"] }))).await;
    assert_eq!(status, 201, "{opened}");
    assert_eq!(opened["name"], "Slow database");
    assert_eq!(opened["impact"], "minor");
    assert_eq!(opened["status"], "investigating");
    assert_eq!(opened["components"], json!([{ "component_id": database_id, "status": "degraded_performance" }]));
    assert_eq!(opened["updates"][0]["author"], "Editor Write");
    let id = opened["id"].as_i64().unwrap();

    let (status, identified) = call(
        &app,
        &token,
        Method::POST,
        &format!("/incidents/{id}/updates"),
        Some(json!({ "status": "identified", "message": "A runaway query.", "components": [{ "component_id": database_id, "status": "partial_outage" }] })),
    )
    .await;
    assert_eq!(status, 201, "{identified}");
    assert_eq!(identified["updates"][1]["component_changes"][0]["new_status"], "partial_outage");
    let (status, resolved) = call(
        &app,
        &token,
        Method::POST,
        &format!("/incidents/{id}/updates"),
        Some(json!({ "status": "resolved", "message": "Fixed." })),
    )
    .await;
    assert_eq!(status, 201, "{resolved}");
    assert!(resolved["resolved_at"].is_string());
    let (_, database) = call(&app, &token, Method::GET, &format!("/components/{database_id}"), None).await;
    assert_eq!(database["status"], "operational");

    // The public API shows it, from the same snapshot as the page.
    let started = Instant::now();
    loop {
        let incidents: Value = app.get("/s/acme/api/v2/incidents.json").await.json().await.unwrap();
        if incidents.to_string().contains("Slow database") && incidents.to_string().contains("Fixed.") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the public API never showed the incident: {incidents}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A stale edit is refused; a current one works and publishes the postmortem.
    let stale = json!({ "postmortem": "A query without an index.", "version": 1 });
    let (status, conflict) = call(&app, &token, Method::PATCH, &format!("/incidents/{id}"), Some(stale)).await;
    assert_eq!(status, 409, "{conflict}");
    let version = resolved["version"].as_i64().unwrap();
    let current =
        json!({ "postmortem": "A query without an index.", "postmortem_published": true, "version": version });
    let (status, edited) = call(&app, &token, Method::PATCH, &format!("/incidents/{id}"), Some(current)).await;
    assert_eq!(status, 200, "{edited}");
    assert!(edited["postmortem_published_at"].is_string());

    // Every change is in the audit log, by this token.
    let admin = self::token(&app, &acme, Role::Admin, TokenScope::Read).await;
    let (status, log) =
        call(&app, &admin, Method::GET, &format!("/audit-log?entity_type=incident&entity_id={id}"), None).await;
    assert_eq!(status, 200, "{log}");
    let actions: Vec<&str> =
        log["data"].as_array().unwrap().iter().map(|entry| entry["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["incident.edited", "incident.updated", "incident.updated", "incident.created"]);
    assert!(log["data"].as_array().unwrap().iter().all(|entry| entry["actor"] == "API token Editor Write"));
    assert!(log["data"][0]["actor_api_token_id"].is_i64());
    let (_, created) = call(&app, &admin, Method::GET, "/audit-log?action=component.created", None).await;
    assert_eq!(created["data"][0]["after"]["key"], "database");
});

on_each_database!(maintenance_is_scheduled_started_and_completed_by_hand, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let token = token(&app, &acme, Role::Editor, TokenScope::Write).await;
    let api = api_component(&app, &acme).await;
    let start = Utc::now() + TimeDelta::hours(2);
    let window = json!({
        "name": "Database upgrade", "message": "Writes pause for a minute.",
        "scheduled_start": start, "scheduled_end": start + TimeDelta::hours(1), "component_ids": [api.id]
    });
    let (status, scheduled) = call(&app, &token, Method::POST, "/maintenance", Some(window.clone())).await;
    assert_eq!(status, 201, "{scheduled}");
    assert_eq!(scheduled["status"], "scheduled");
    let id = scheduled["id"].as_i64().unwrap();

    let mut backwards = window.clone();
    backwards["scheduled_end"] = json!(start - TimeDelta::hours(1));
    let (status, refused) = call(&app, &token, Method::POST, "/maintenance", Some(backwards)).await;
    assert_eq!(status, 422);
    assert_eq!(refused["error"]["field"], "scheduled_end");
    let mut no_components = window.clone();
    no_components["component_ids"] = json!([]);
    let (status, refused) = call(&app, &token, Method::POST, "/maintenance", Some(no_components)).await;
    assert_eq!((status, refused["error"]["field"].as_str()), (422, Some("component_ids")));

    let (status, moved) = call(
        &app,
        &token,
        Method::PATCH,
        &format!("/maintenance/{id}"),
        Some(json!({ "scheduled_start": start + TimeDelta::hours(1), "scheduled_end": start + TimeDelta::hours(3) })),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    let (status, started) = call(
        &app,
        &token,
        Method::POST,
        &format!("/maintenance/{id}/start"),
        Some(json!({ "message": "Starting early." })),
    )
    .await;
    assert_eq!(status, 200, "{started}");
    assert_eq!(started["status"], "in_progress");
    assert_eq!(api_component(&app, &acme).await.status, "under_maintenance");
    let (status, refused) =
        call(&app, &token, Method::POST, &format!("/maintenance/{id}/cancel"), Some(json!({}))).await;
    assert_eq!(status, 422, "cancelling after the start: {refused}");
    let (status, reschedule) =
        call(&app, &token, Method::PATCH, &format!("/maintenance/{id}"), Some(json!({ "name": "Late" }))).await;
    assert_eq!(status, 409, "{reschedule}");
    let (status, completed) =
        call(&app, &token, Method::POST, &format!("/maintenance/{id}/complete"), Some(json!({}))).await;
    assert_eq!(status, 200, "{completed}");
    assert_eq!(api_component(&app, &acme).await.status, "operational");
    let (_, listed) = call(&app, &token, Method::GET, "/maintenance?state=finished", None).await;
    assert_eq!(listed["pagination"]["total"], 1);
    let updates: Vec<&str> =
        completed["updates"].as_array().unwrap().iter().map(|u| u["status"].as_str().unwrap()).collect();
    assert_eq!(updates, ["scheduled", "in_progress", "completed"]);
});

on_each_database!(bad_input_gets_the_status_and_field_it_deserves, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let token = token(&app, &acme, Role::Admin, TokenScope::Write).await;
    let api = api_component(&app, &acme).await;
    let cases: Vec<BadInput> = vec![
        (
            "unknown field",
            Method::POST,
            "/components".into(),
            json!({ "key": "aa", "name": "A", "colour": "red" }),
            422,
            Some("colour"),
        ),
        ("wrong type", Method::POST, "/components".into(), json!({ "key": "aa", "name": 5 }), 422, Some("name")),
        ("missing field", Method::POST, "/components".into(), json!({ "name": "A" }), 422, Some("key")),
        ("empty name", Method::POST, "/components".into(), json!({ "key": "aa", "name": "  " }), 422, Some("name")),
        (
            "long name",
            Method::POST,
            "/components".into(),
            json!({ "key": "aa", "name": "x".repeat(500) }),
            422,
            Some("name"),
        ),
        ("bad key", Method::POST, "/components".into(), json!({ "key": "Not A Key", "name": "A" }), 422, Some("key")),
        (
            "duplicate key",
            Method::POST,
            "/components".into(),
            json!({ "key": "api", "name": "Again" }),
            422,
            Some("key"),
        ),
        (
            "unknown group",
            Method::POST,
            "/components".into(),
            json!({ "key": "aa", "name": "A", "group_id": 999 }),
            422,
            Some("group_id"),
        ),
        (
            "out-of-range enum",
            Method::POST,
            "/incidents".into(),
            json!({ "name": "X", "impact": "apocalyptic", "message": "m", "components": [] }),
            422,
            Some("impact"),
        ),
        (
            "nested enum",
            Method::POST,
            "/incidents".into(),
            json!({ "name": "X", "message": "m", "components": [{ "component_id": api.id, "status": "on_fire" }] }),
            422,
            Some("components[0].status"),
        ),
        (
            "no components",
            Method::POST,
            "/incidents".into(),
            json!({ "name": "X", "message": "m", "components": [] }),
            422,
            Some("components"),
        ),
        (
            "stale edit",
            Method::PATCH,
            format!("/components/{}", api.id),
            json!({ "name": "B", "version": 99 }),
            409,
            None,
        ),
        ("missing record", Method::PATCH, "/components/999999".into(), json!({ "name": "B" }), 404, None),
    ];
    for (what, method, path, body, status, field) in cases {
        let (answered, answer) = call(&app, &token, method, &path, Some(body)).await;
        assert_eq!(answered, status, "{what}: {answer}");
        assert_eq!(answer["error"]["field"].as_str(), field, "{what}: {answer}");
        assert!(!answer["error"]["message"].as_str().unwrap().is_empty(), "{what}");
    }
    let raw = |body: &'static str, content_type: &'static str| {
        app.client
            .post(app.url("/api/v1/components"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_eq!(raw("{\"key\": ", "application/json").await.unwrap().status(), 400);
    assert_eq!(raw("key=a", "application/x-www-form-urlencoded").await.unwrap().status(), 415);
    let huge = app
        .client
        .post(app.url("/api/v1/components"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!("{{\"key\": \"a\", \"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    for query in ["/components?limit=0", "/components?limit=201", "/components?colour=red", "/incidents?state=maybe"] {
        let (status, answer) = call(&app, &token, Method::GET, query, None).await;
        assert_eq!(status, 422, "{query}: {answer}");
        assert!(answer["error"]["field"].is_string(), "{query}: {answer}");
    }
    let (status, _) = call(&app, &token, Method::GET, "/components/abc", None).await;
    assert_eq!(status, 404);
    // Nothing was half-written.
    let count =
        components::Entity::find().filter(components::Column::OrganizationId.eq(acme.id)).all(&app.db).await.unwrap();
    assert_eq!(count.len(), 1);
    assert!(incidents::Entity::find().all(&app.db).await.unwrap().is_empty());
});

on_each_database!(lists_page_through_every_row_once, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let token = token(&app, &acme, Role::Editor, TokenScope::Write).await;
    for key in ["bb", "cc", "dd", "ee"] {
        let (status, _) =
            call(&app, &token, Method::POST, "/components", Some(json!({ "key": key, "name": key }))).await;
        assert_eq!(status, 201);
    }
    let mut seen = Vec::new();
    let mut offset = Some(0);
    while let Some(at) = offset {
        let (_, page) = call(&app, &token, Method::GET, &format!("/components?limit=2&offset={at}"), None).await;
        assert_eq!(page["pagination"]["total"], 5);
        seen.extend(page["data"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap().to_owned()));
        offset = page["pagination"]["next_offset"].as_u64();
    }
    assert_eq!(seen, ["api", "bb", "cc", "dd", "ee"], "in page order, each once");
    let (_, filtered) = call(&app, &token, Method::GET, "/components?key=cc", None).await;
    assert_eq!(filtered["pagination"]["total"], 1);
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_over_its_rate_limit_is_told_when_to_come_back() {
    let app = support::spawn_app_with(Backend::Sqlite, |config| config.api_rate_per_minute = 3).await.unwrap();
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let first = token(&app, &acme, Role::Viewer, TokenScope::Read).await;
    let second = token(&app, &acme, Role::Viewer, TokenScope::Read).await;
    for _ in 0..3 {
        assert_eq!(call(&app, &first, Method::GET, "/components", None).await.0, 200);
    }
    let response = app.client.get(app.url("/api/v1/components")).bearer_auth(&first).send().await.unwrap();
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Each token has its own budget.
    assert_eq!(call(&app, &second, Method::GET, "/components", None).await.0, 200);
}

/// Every `#[utoipa::path]` in the admin API's sources: (method, path).
fn annotated_operations() -> BTreeSet<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<_> =
        std::fs::read_dir(root.join("admin_api")).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.push(root.join("routes/alerts.rs"));
    files.push(root.join("routes/heartbeat.rs"));
    let mut operations = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains(".route(\"/api/v1/") || file.ends_with("mod.rs"),
            "{}: routes must go through routes!()",
            file.display()
        );
        for annotation in text.split("#[utoipa::path(").skip(1) {
            let method = annotation.split(',').next().unwrap().trim().to_owned();
            let path = annotation.split("path = \"").nth(1).unwrap().split('"').next().unwrap();
            operations.insert((method, format!("/api/v1{path}")));
        }
    }
    operations
}

on_each_database!(the_openapi_document_lists_exactly_the_routes_that_exist, |app| async move {
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let spec: Value = response.json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"), "{}", spec["openapi"]);
    let mut documented = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item[method].is_object() {
                documented.insert((method.to_owned(), path.clone()));
            }
        }
    }
    assert_eq!(documented, annotated_operations(), "the spec and the handlers' annotations differ");
    assert!(documented.len() >= 30, "{documented:?}");

    // Each documented route is really routed: without a token it asks for one (never 404/405).
    for (method, path) in &documented {
        let concrete = path.replace("{id}", "1").replace("{kind}", "alertmanager").replace("{token}", "hrla_nothing");
        let method: Method = method.to_uppercase().parse().unwrap();
        let mut request = app.client.request(method.clone(), app.url(&concrete));
        if method != Method::GET && method != Method::DELETE {
            request = request.header("content-type", "application/json").body("{}");
        }
        let status = request.send().await.unwrap().status().as_u16();
        // A heartbeat's secret is its own credential: an unknown one is simply not found.
        let expected = if path.starts_with("/api/v1/heartbeat/") { 404 } else { 401 };
        assert_eq!(status, expected, "{method} {concrete}");
    }

    // Every schema a route refers to is defined.
    let text = spec.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(spec["components"]["schemas"][name].is_object(), "{name} is referenced but not defined");
    }

    let (status, page) = app.get_text("/api/v1/docs").await;
    assert_eq!(status, 200);
    for (_, path) in &documented {
        assert!(page.contains(path.as_str()), "{path} is missing from the docs page");
    }
    assert!(page.contains("Open an incident") && page.contains("schema-IncidentDetails"));
});

on_each_database!(config_goes_out_and_back_in_through_the_api, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let token = token(&app, &acme, Role::Admin, TokenScope::Write).await;
    let response = app.client.get(app.url("/api/v1/config")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/yaml");
    let yaml = response.text().await.unwrap();
    assert!(yaml.contains("key: api"), "{yaml}");
    let changed = yaml.replace("name: Their API", "name: Public API");
    let import = |dry_run: bool| {
        app.client
            .post(app.url(&format!("/api/v1/config?dry_run={dry_run}")))
            .bearer_auth(&token)
            .header("content-type", "application/yaml")
            .body(changed.clone())
            .send()
    };
    let planned: Value = import(true).await.unwrap().json().await.unwrap();
    assert_eq!(planned["applied"], false);
    assert_eq!(planned["changes"].as_array().unwrap().len(), 1, "{planned}");
    assert_eq!(api_component(&app, &acme).await.name, "Their API");
    let applied: Value = import(false).await.unwrap().json().await.unwrap();
    assert_eq!(applied["applied"], true, "{applied}");
    assert_eq!(api_component(&app, &acme).await.name, "Public API");
    let broken = app
        .client
        .post(app.url("/api/v1/config"))
        .bearer_auth(&token)
        .header("content-type", "application/yaml")
        .body("version: 1\norganization: [")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 422);
});
