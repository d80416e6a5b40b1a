//! The organization workspace: opening an incident with the statuses its impact suggests,
//! posting updates, resolving; setting a status by hand; each role's rights; another
//! organization's things looking exactly like things that do not exist; bad input refused
//! field by field with nothing written. Forms are posted as a browser without JavaScript
//! does (`post_form`) and as the hydrated page does (`call`).

use crate::accounts::{call, join, member, page, post_form, sign_in};
use crate::on_each_database;
use crate::support::{TestApp, insert_component, insert_organization_with_api};
use app::api::dashboard::{GetIncidentEditor, GetWorkspace, OpenIncident, PostIncidentUpdate, SetComponentStatus};
use app::ssr::admin::templates::{self, NewTemplate};
use app::ssr::caller::{Caller, Via};
use app::ssr::entities::{audit_log, components, incident_updates, incidents};
use chrono::Utc;
use herald::{Impact, Role, TemplateKind};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

const PASSWORD: &str = crate::accounts::PASSWORD;

async fn status_of(app: &TestApp, component_id: i64) -> String {
    components::Entity::find_by_id(component_id).one(&app.db).await.unwrap().unwrap().status
}

async fn component_id(app: &TestApp, organization_id: i64, key: &str) -> i64 {
    components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .filter(components::Column::Key.eq(key))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn incident_count(app: &TestApp) -> u64 {
    incidents::Entity::find().count(&app.db).await.unwrap()
}

/// A GET server function, as the hydrated page calls it.
async fn read(app: &TestApp, path: &str, query: &[(&str, &str)], cookie: &str) -> (u16, Value) {
    let response = app.client.get(app.url(path)).query(query).header("cookie", cookie).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Opens an incident as a browser without JavaScript; returns its id from the redirect.
async fn open(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> i64 {
    let (status, location, _) = post_form(app, OpenIncident::PATH, Some(cookie), fields).await;
    assert_eq!(status, 302, "opening failed: {location:?}");
    let location = location.unwrap();
    location.rsplit('/').next().and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("no incident in {location}"))
}

fn error_field(error: &Value) -> Option<&str> {
    error.pointer("/Invalid/field").and_then(Value::as_str)
}

on_each_database!(editors_open_an_incident_with_suggested_statuses_update_and_resolve_it, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let api = component_id(&app, acme, "api").await;
    let web = insert_component(&app.db, acme, "web", "Website").await.id;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (status, workspace) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], &cookie).await;
    assert_eq!(status, 200, "{workspace}");
    assert_eq!(workspace["organization"]["may_edit"], true);
    assert_eq!(workspace["components"].as_array().map(Vec::len), Some(2));

    let api_field = format!("components[{api}]");
    let web_field = format!("components[{web}]");
    let id = open(
        &app,
        &cookie,
        &[
            ("slug", "acme"),
            ("template_id", ""),
            ("name", "Checkout is failing"),
            ("impact", "major"),
            ("status", "investigating"),
            ("message", "We are looking into failed payments."),
            (&api_field, "suggested"),
            (&web_field, "major_outage"),
            ("notify", "yes"),
        ],
    )
    .await;
    assert_eq!(status_of(&app, api).await, "partial_outage", "a major impact suggests a partial outage");
    assert_eq!(status_of(&app, web).await, "major_outage", "the editor's own choice wins");
    let (status, html) = page(&app, "/dashboard/acme", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Checkout is failing") && html.contains("Open an incident"), "{html}");
    let (_, workspace) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], &cookie).await;
    assert_eq!(workspace["open_incidents"][0]["components"], serde_json::json!(["Their API", "Website"]));
    let (status, html) = page(&app, &format!("/dashboard/acme/incidents/{id}"), Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Post an update") && html.contains("We are looking into failed payments."), "{html}");

    // The hydrated page posts the same form.
    let (status, body) = call(
        &app,
        PostIncidentUpdate::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("incident_id", &id.to_string()),
            ("status", "identified"),
            ("message", "A bad deploy; rolling back."),
            (&web_field, "partial_outage"),
            (&api_field, ""),
        ],
    )
    .await;
    assert!(status < 400, "{status} {body}");
    assert_eq!(status_of(&app, web).await, "partial_outage");
    assert_eq!(status_of(&app, api).await, "partial_outage", "an empty choice changes nothing");

    let (status, location, _) = post_form(
        &app,
        PostIncidentUpdate::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("incident_id", &id.to_string()), ("status", "resolved"), ("message", "All good.")],
    )
    .await;
    assert_eq!((status, location), (302, Some(format!("/dashboard/acme/incidents/{id}"))));
    assert_eq!(status_of(&app, api).await, "operational", "resolving gives the components back");
    assert_eq!(status_of(&app, web).await, "operational");
    let incident = incidents::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert!(incident.resolved_at.is_some());
    let updates = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(updates.len(), 3);
    assert!(updates.iter().all(|update| update.created_by_label.as_deref() == Some("ana@acme.example")));
    assert!(updates[0].notify_subscribers && !updates[1].notify_subscribers, "the checkbox decides notifying");

    let (status, editor) =
        read(&app, GetIncidentEditor::PATH, &[("slug", "acme"), ("id", &id.to_string())], &cookie).await;
    assert_eq!(status, 200, "{editor}");
    assert_eq!(editor["status"], "resolved");
    assert_eq!(editor["updates"][0]["body_html"], "<p>All good.</p>\n", "newest first, as Markdown rendered");

    // By hand, from the component list.
    let (status, location, _) = post_form(
        &app,
        SetComponentStatus::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("component_id", &api.to_string()), ("status", "degraded_performance")],
    )
    .await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme")));
    assert_eq!(status_of(&app, api).await, "degraded_performance");
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::OrganizationId.eq(acme))
        .filter(audit_log::Column::ActorLabel.eq("ana@acme.example"))
        .count(&app.db)
        .await
        .unwrap();
    assert!(audited >= 4, "every change is audited under the person's name ({audited})");
});

on_each_database!(a_template_fills_the_fields_left_empty, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await.id;
    let ana = join(&app, "ana@acme.example", acme, Role::Editor).await;
    let api = component_id(&app, acme, "api").await;
    let editor = Caller {
        organization_id: acme,
        role: Role::Editor,
        via: Via::Person { user_id: ana, email: "ana@acme.example".into() },
    };
    let template = templates::create(
        &app.db,
        &editor,
        NewTemplate {
            key: "database-down".into(),
            kind: TemplateKind::Incident,
            name: "Database down".into(),
            title: "The database is unreachable".into(),
            body: "Requests that need the database fail; we are on it.".into(),
            impact: Some(Impact::Critical),
            status: None,
            component_ids: vec![api],
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let web = insert_component(&app.db, acme, "web", "Website").await.id;
    let web_field = format!("components[{web}]");
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (_, workspace) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], &cookie).await;
    assert_eq!(workspace["templates"][0]["name"], "Database down");
    let id = open(
        &app,
        &cookie,
        &[
            ("slug", "acme"),
            ("template_id", &template.id.to_string()),
            ("name", ""),
            ("impact", "critical"),
            ("status", "investigating"),
            ("message", " "),
            (&web_field, "degraded_performance"),
            ("notify", "yes"),
        ],
    )
    .await;
    let incident = incidents::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(incident.name, "The database is unreachable");
    assert_eq!(status_of(&app, api).await, "major_outage", "the template's component, at the critical suggestion");
    assert_eq!(status_of(&app, web).await, "degraded_performance", "joined by the one chosen on the form");

    // With JavaScript the page applied the template itself: the form is taken as it stands.
    let applied = open(
        &app,
        &cookie,
        &[
            ("slug", "acme"),
            ("template_id", &template.id.to_string()),
            ("template_applied", "yes"),
            ("name", "Only the website"),
            ("impact", "minor"),
            ("status", "investigating"),
            ("message", "Slow pages."),
            (&web_field, "suggested"),
        ],
    )
    .await;
    let held = app::ssr::entities::incident_components::Entity::find()
        .filter(app::ssr::entities::incident_components::Column::IncidentId.eq(applied))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(held, 1, "the template's component was taken off the form, so it stays off");
});

on_each_database!(viewers_read_and_change_nothing_and_strangers_are_asked_to_sign_in, |app| async move {
    let acme = member(&app, "vic@acme.example", "acme", Role::Viewer).await;
    let api = component_id(&app, acme, "api").await;
    let cookie = sign_in(&app, "vic@acme.example", PASSWORD).await;
    let (status, workspace) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], &cookie).await;
    assert_eq!(status, 200);
    assert_eq!(workspace["organization"]["may_edit"], false);
    let (status, html) = page(&app, "/dashboard/acme", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Open an incident") && !html.contains("Set by hand"), "a Viewer sees no forms");

    let api_field = format!("components[{api}]");
    let opening = [
        ("slug", "acme"),
        ("name", "Down"),
        ("impact", "minor"),
        ("status", "investigating"),
        ("message", "Down."),
        (api_field.as_str(), "suggested"),
    ];
    let (status, error) = call(&app, OpenIncident::PATH, Some(&cookie), &opening).await;
    assert_eq!(status, 403, "{error}");
    let (status, _) = call(
        &app,
        SetComponentStatus::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("component_id", &api.to_string()), ("status", "major_outage")],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(incident_count(&app).await, 0);
    assert_eq!(status_of(&app, api).await, "operational");

    let editor = join(&app, "eve@acme.example", acme, Role::Editor).await;
    assert!(editor > 0);
    let eve = sign_in(&app, "eve@acme.example", PASSWORD).await;
    let id = open(&app, &eve, &opening).await;
    let (status, _) = call(
        &app,
        PostIncidentUpdate::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("incident_id", &id.to_string()), ("status", "resolved"), ("message", "Fixed.")],
    )
    .await;
    assert_eq!(status, 403, "a Viewer cannot post updates either");
    let (status, _) = read(&app, GetIncidentEditor::PATH, &[("slug", "acme"), ("id", &id.to_string())], &cookie).await;
    assert_eq!(status, 200, "but reads the incident");

    let (status, _) = call(&app, OpenIncident::PATH, None, &opening).await;
    assert_eq!(status, 401, "signed out");
    let response = app.client.get(app.url("/dashboard/acme")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?next=%2Fdashboard%2Facme");
});

on_each_database!(another_organizations_things_are_not_found, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Admin).await;
    let other = member(&app, "bo@other.example", "other", Role::Admin).await;
    let acme_api = component_id(&app, acme, "api").await;
    let their_api = component_id(&app, other, "api").await;
    let bo = sign_in(&app, "bo@other.example", PASSWORD).await;
    let their_field = format!("components[{their_api}]");
    let theirs = open(
        &app,
        &bo,
        &[
            ("slug", "other"),
            ("name", "Their outage"),
            ("impact", "minor"),
            ("status", "investigating"),
            ("message", "Theirs."),
            (&their_field, "suggested"),
        ],
    )
    .await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let theirs_text = theirs.to_string();

    let (status, _) = read(&app, GetWorkspace::PATH, &[("slug", "other")], &ana).await;
    assert_eq!(status, 404);
    let (status, _) = read(&app, GetWorkspace::PATH, &[("slug", "nobody-has-this")], &ana).await;
    assert_eq!(status, 404, "someone else's organization looks like one that does not exist");
    assert_eq!(page(&app, "/dashboard/other", Some(&ana)).await.0, 404);
    for slug in ["acme", "other"] {
        let (status, _) = read(&app, GetIncidentEditor::PATH, &[("slug", slug), ("id", &theirs_text)], &ana).await;
        assert_eq!(status, 404, "their incident under {slug}");
    }
    assert_eq!(page(&app, &format!("/dashboard/acme/incidents/{theirs}"), Some(&ana)).await.0, 404);
    let (status, _) = call(
        &app,
        PostIncidentUpdate::PATH,
        Some(&ana),
        &[("slug", "acme"), ("incident_id", &theirs_text), ("status", "resolved"), ("message", "Ha.")],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &app,
        SetComponentStatus::PATH,
        Some(&ana),
        &[("slug", "acme"), ("component_id", &their_api.to_string()), ("status", "major_outage")],
    )
    .await;
    assert_eq!(status, 404);
    let acme_field = format!("components[{acme_api}]");
    let (status, error) = call(
        &app,
        OpenIncident::PATH,
        Some(&ana),
        &[
            ("slug", "acme"),
            ("name", "Sneaky"),
            ("impact", "minor"),
            ("status", "investigating"),
            ("message", "Sneaky."),
            (&acme_field, "suggested"),
            (&their_field, "major_outage"),
        ],
    )
    .await;
    assert_eq!((status, error_field(&error)), (422, Some("components")), "{error}");

    assert_eq!(status_of(&app, their_api).await, "degraded_performance", "untouched");
    assert_eq!(status_of(&app, acme_api).await, "operational", "nothing half-written");
    assert_eq!(incident_count(&app).await, 1);
});

on_each_database!(bad_input_is_refused_next_to_its_field_and_writes_nothing, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let api = component_id(&app, acme, "api").await;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let api_field = format!("components[{api}]");
    let long_name = "x".repeat(500);
    let valid = vec![
        ("slug", "acme"),
        ("name", "Down"),
        ("impact", "minor"),
        ("status", "investigating"),
        ("message", "Down."),
        (api_field.as_str(), "suggested"),
    ];
    fn with<'a>(valid: &[(&'a str, &'a str)], field: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
        let mut fields: Vec<(&str, &str)> = valid.iter().filter(|(name, _)| *name != field).copied().collect();
        fields.push((field, value));
        fields
    }
    let without_components: Vec<(&str, &str)> =
        valid.iter().filter(|(name, _)| !name.starts_with("components")).copied().collect();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (without_components.clone(), "components"),
        (with(&valid, &api_field, ""), "components"),
        (with(&valid, &api_field, "on_fire"), "components"),
        (with(&without_components, "components[abc]", "suggested"), "components"),
        (with(&valid, "name", ""), "name"),
        (with(&valid, "name", &long_name), "name"),
        (with(&valid, "message", ""), "message"),
        (with(&valid, "impact", "catastrophic"), "impact"),
        (with(&valid, "status", "panicking"), "status"),
        (with(&valid, "template_id", "abc"), "template_id"),
        (with(&valid, "template_id", "999999"), "template_id"),
    ];
    for (fields, field) in cases {
        let (status, error) = call(&app, OpenIncident::PATH, Some(&cookie), &fields).await;
        assert_eq!((status, error_field(&error)), (422, Some(field)), "{fields:?}: {error}");
    }
    // A form no browser would send is refused as a whole, as the client's mistake.
    let (status, error) =
        call(&app, OpenIncident::PATH, Some(&cookie), &with(&valid, "components[abc]", "suggested")).await;
    assert_eq!((status, error_field(&error)), (422, None), "{error}");
    assert_eq!(incident_count(&app).await, 0);
    assert_eq!(status_of(&app, api).await, "operational");

    let id = open(&app, &cookie, &valid).await.to_string();
    for (fields, field) in [
        (vec![("status", "resolved"), ("message", "")], "message"),
        (vec![("status", "gone"), ("message", "Fine.")], "status"),
        (vec![("status", "identified"), ("message", "Fine."), (api_field.as_str(), "suggested")], "components"),
    ] {
        let mut fields = fields;
        fields.extend([("slug", "acme"), ("incident_id", id.as_str())]);
        let (status, error) = call(&app, PostIncidentUpdate::PATH, Some(&cookie), &fields).await;
        assert_eq!((status, error_field(&error)), (422, Some(field)), "{fields:?}: {error}");
    }
    let (status, _) = call(
        &app,
        SetComponentStatus::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("component_id", &api.to_string()), ("status", "sideways")],
    )
    .await;
    assert_eq!(status, 422);
    let updates = incident_updates::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(updates, 1, "no refused update was written");
    assert_eq!(status_of(&app, api).await, "degraded_performance");
});
