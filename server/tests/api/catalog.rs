//! The dashboard's components, templates and maintenance pages, the postmortem and backfill
//! forms, and the Markdown preview: each write as a browser without JavaScript posts it and
//! as the hydrated page calls it, bad input refused field by field with nothing written, a
//! stale form refused, each role's rights, and another organization's records answering 404.

use crate::accounts::{call, join, member, page, post_form, sign_in};
use crate::on_each_database;
use crate::support::{TestApp, insert_component};
use app::api::catalog::{
    CreateComponent, CreateGroup, DeleteComponent, DeleteGroup, EditComponent, EditGroup, GetCatalog, MoveEntry,
};
use app::api::dashboard::{OpenIncident, PostIncidentUpdate, PreviewMarkdown, SavePostmortem};
use app::api::planner::{GetPlanner, MoveMaintenance, ScheduleMaintenance};
use app::api::templates::{DeleteTemplate, GetTemplates, SaveTemplate};
use app::ssr::entities::{
    audit_log, component_groups, components, incident_updates, incidents, maintenances, organizations, templates,
};
use chrono::{DateTime, Duration, Utc};
use herald::{Role, TimeZoneName};
use leptos::server_fn::ServerFn;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde_json::Value;

const PASSWORD: &str = crate::accounts::PASSWORD;

async fn read(app: &TestApp, path: &str, slug: &str, cookie: &str) -> (u16, Value) {
    let response =
        app.client.get(app.url(path)).query(&[("slug", slug)]).header("cookie", cookie).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn error_field(error: &Value) -> Option<&str> {
    error.pointer("/Invalid/field").and_then(Value::as_str)
}

async fn components_of(app: &TestApp, organization_id: i64) -> Vec<components::Model> {
    components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .order_by_asc(components::Column::Position)
        .order_by_asc(components::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn component(app: &TestApp, id: i64) -> components::Model {
    components::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap()
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.action)
        .collect()
}

on_each_database!(editors_build_the_page_from_components_and_groups, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;

    // Without JavaScript: the form posts, the server redirects back to the list.
    let (status, location, _) = post_form(
        &app,
        CreateComponent::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("name", "Checkout Service"),
            ("key", ""),
            ("description", "Payments and carts"),
            ("group_id", ""),
            ("hide_uptime", "yes"),
        ],
    )
    .await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/components")));
    let all = components_of(&app, acme).await;
    let checkout = all.iter().find(|row| row.name == "Checkout Service").expect("created");
    assert_eq!(checkout.key, "checkout-service", "the key comes from the name");
    assert_eq!(checkout.description.as_deref(), Some("Payments and carts"));
    assert!(!checkout.show_uptime && checkout.showcase && !checkout.only_show_if_degraded);
    assert_eq!(checkout.position, 1, "after the existing component");
    let checkout = checkout.id;

    // Bad input: each refusal names its field and writes nothing.
    let before = components_of(&app, acme).await.len();
    for (fields, field) in [
        (vec![("name", ""), ("key", "")], "name"),
        (vec![("name", &"x".repeat(500)[..]), ("key", "")], "name"),
        (vec![("name", "Checkout again"), ("key", "checkout-service")], "key"),
        (vec![("name", "Bad key"), ("key", "Not A Key!")], "key"),
        (vec![("name", "Grouped"), ("key", ""), ("group_id", "999999")], "group_id"),
        (vec![("name", "Grouped"), ("key", ""), ("group_id", "first")], "group_id"),
    ] {
        let mut form = vec![("slug", "acme"), ("description", ""), ("group_id", "")];
        form.retain(|(name, _)| !fields.iter().any(|(field, _)| field == name));
        form.extend(fields.iter().copied());
        let (status, body) = call(&app, CreateComponent::PATH, Some(&cookie), &form).await;
        assert_eq!((status, error_field(&body)), (422, Some(field)), "{fields:?}: {body}");
    }
    assert_eq!(components_of(&app, acme).await.len(), before);
    let form = [("slug", "acme"), ("name", "東京"), ("key", ""), ("description", ""), ("group_id", "")];
    let (status, body) = call(&app, CreateComponent::PATH, Some(&cookie), &form).await;
    assert!(status < 400, "{status} {body}");
    let tokyo = components_of(&app, acme).await.into_iter().find(|row| row.name == "東京").unwrap();
    assert!(tokyo.key.starts_with("component-"), "a name without Latin letters still gets a key: {}", tokyo.key);
    let (status, _) = call(
        &app,
        DeleteComponent::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("component_id", &tokyo.id.to_string()), ("confirm", "yes")],
    )
    .await;
    assert!(status < 400);

    // A group, and the component moved into it by its edit form.
    let (status, body) = call(
        &app,
        CreateGroup::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("name", "Payments"), ("description", ""), ("collapsed", "yes")],
    )
    .await;
    assert!(status < 400, "{status} {body}");
    let group = component_groups::Entity::find()
        .filter(component_groups::Column::OrganizationId.eq(acme))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((group.key.as_str(), group.collapsed), ("payments", true));
    let version = component(&app, checkout).await.version.to_string();
    let (status, body) = call(
        &app,
        EditComponent::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("component_id", &checkout.to_string()),
            ("version", &version),
            ("name", "Checkout"),
            ("description", ""),
            ("group_id", &group.id.to_string()),
            ("showcase", "yes"),
            ("only_show_if_degraded", "yes"),
        ],
    )
    .await;
    assert!(status < 400, "{status} {body}");
    let edited = component(&app, checkout).await;
    assert_eq!(
        (edited.name.as_str(), edited.group_id, edited.description.as_deref()),
        ("Checkout", Some(group.id), None)
    );
    assert!(edited.only_show_if_degraded && !edited.show_uptime, "unticked boxes are off");

    // The same form submitted again is stale: refused, and the newer edit is kept.
    let (status, body) = call(
        &app,
        EditComponent::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("component_id", &checkout.to_string()),
            ("version", &version),
            ("name", "Overwritten"),
            ("description", ""),
            ("group_id", ""),
        ],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains("changed by someone else"), "{body}");
    assert_eq!(component(&app, checkout).await.name, "Checkout");

    // The catalog lists the page's order: the ungrouped API, then the group with Checkout.
    let (status, catalog) = read(&app, GetCatalog::PATH, "acme", &cookie).await;
    assert_eq!(status, 200, "{catalog}");
    let entries = catalog["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["Component"]["key"], "api");
    assert_eq!(entries[0]["Component"]["place"], serde_json::json!({ "first": true, "last": false }));
    assert_eq!(entries[1]["Group"][0]["name"], "Payments");
    assert_eq!(entries[1]["Group"][1][0]["name"], "Checkout");

    // Moving: the group goes up above the API; moving the first one up again changes nothing.
    let group_id = group.id.to_string();
    let moved = |direction: &'static str| {
        [("slug", "acme"), ("entry", "group"), ("id", group_id.as_str()), ("direction", direction)]
    };
    let (status, body) = call(&app, MoveEntry::PATH, Some(&cookie), &moved("up")).await;
    assert!(status < 400, "{status} {body}");
    let (_, catalog) = read(&app, GetCatalog::PATH, "acme", &cookie).await;
    assert_eq!(catalog["entries"][0]["Group"][0]["name"], "Payments", "{catalog}");
    let audited = audit_actions(&app).await.len();
    let (status, _) = call(&app, MoveEntry::PATH, Some(&cookie), &moved("up")).await;
    assert!(status < 400);
    assert_eq!(audit_actions(&app).await.len(), audited, "a move that moves nothing records nothing");
    let (status, body) = call(&app, MoveEntry::PATH, Some(&cookie), &moved("sideways")).await;
    assert_eq!((status, error_field(&body)), (422, Some("direction")), "{body}");
    // Within the group: a second member, moved above the first.
    let second = insert_component(&app.db, acme, "cart", "Cart").await.id;
    let mut row: components::ActiveModel = component(&app, second).await.into();
    row.group_id = Set(Some(group.id));
    row.position = Set(7);
    row.update(&app.db).await.unwrap();
    let (status, _) = call(
        &app,
        MoveEntry::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("entry", "component"), ("id", &second.to_string()), ("direction", "up")],
    )
    .await;
    assert!(status < 400);
    assert_eq!((component(&app, second).await.position, component(&app, checkout).await.position), (0, 1));

    // Renaming the group; a stale rename is refused.
    let group_version = component_groups::Entity::find_by_id(group.id).one(&app.db).await.unwrap().unwrap().version;
    let rename = |version: i32, name: &'static str| {
        vec![
            ("slug", "acme".to_owned()),
            ("group_id", group.id.to_string()),
            ("version", version.to_string()),
            ("name", name.to_owned()),
            ("description", "Money".to_owned()),
        ]
    };
    let form = rename(group_version, "Money");
    let form: Vec<(&str, &str)> = form.iter().map(|(key, value)| (*key, value.as_str())).collect();
    let (status, body) = call(&app, EditGroup::PATH, Some(&cookie), &form).await;
    assert!(status < 400, "{status} {body}");
    let (status, _) = call(&app, EditGroup::PATH, Some(&cookie), &form).await;
    assert_eq!(status, 409, "the same version twice is stale");

    // Deleting asks for the box; the group's members stay, ungrouped.
    let (status, body) =
        call(&app, DeleteGroup::PATH, Some(&cookie), &[("slug", "acme"), ("group_id", &group.id.to_string())]).await;
    assert_eq!((status, error_field(&body)), (422, Some("confirm")), "{body}");
    let (status, location, _) = post_form(
        &app,
        DeleteGroup::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("group_id", &group.id.to_string()), ("confirm", "yes")],
    )
    .await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/components")));
    assert_eq!(component(&app, checkout).await.group_id, None);
    let (status, body) =
        call(&app, DeleteComponent::PATH, Some(&cookie), &[("slug", "acme"), ("component_id", &checkout.to_string())])
            .await;
    assert_eq!((status, error_field(&body)), (422, Some("confirm")), "{body}");
    assert!(components::Entity::find_by_id(checkout).one(&app.db).await.unwrap().is_some(), "nothing deleted");
    let (status, _) = call(
        &app,
        DeleteComponent::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("component_id", &checkout.to_string()), ("confirm", "yes")],
    )
    .await;
    assert!(status < 400);
    assert!(components::Entity::find_by_id(checkout).one(&app.db).await.unwrap().is_none());
    let actions = audit_actions(&app).await;
    for action in [
        "component.created",
        "group.created",
        "component.updated",
        "group.moved",
        "component.moved",
        "group.updated",
        "group.deleted",
        "component.deleted",
    ] {
        assert!(actions.iter().any(|done| done == action), "{action} in {actions:?}");
    }

    // The page renders, without JavaScript, with the forms for an Editor.
    let (status, html) = page(&app, "/dashboard/acme/components", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Add a component") && html.contains("Their API") && html.contains("Move Cart"), "{html}");
});

on_each_database!(viewers_read_and_other_organizations_see_nothing, |app| async move {
    let acme = member(&app, "vic@acme.example", "acme", Role::Viewer).await;
    member(&app, "gil@globex.example", "globex", Role::Admin).await;
    let acme_api = components_of(&app, acme).await[0].id.to_string();
    let viewer = sign_in(&app, "vic@acme.example", PASSWORD).await;
    let outsider = sign_in(&app, "gil@globex.example", PASSWORD).await;

    for path in [GetCatalog::PATH, GetTemplates::PATH, GetPlanner::PATH] {
        let (status, body) = read(&app, path, "acme", &viewer).await;
        assert_eq!(status, 200, "a Viewer reads {path}: {body}");
        assert_eq!(body["organization"]["may_edit"], false);
        let (status, _) = read(&app, path, "acme", &outsider).await;
        assert_eq!(status, 404, "another organization's {path} does not exist for them");
    }
    let (status, html) = page(&app, "/dashboard/acme/components", Some(&viewer)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Their API") && !html.contains("Add a component") && !html.contains("Delete"), "{html}");

    let start = (Utc::now() + Duration::days(1)).format("%Y-%m-%dT%H:%M").to_string();
    let end = (Utc::now() + Duration::days(1) + Duration::hours(1)).format("%Y-%m-%dT%H:%M").to_string();
    let api_box = format!("components[{acme_api}]");
    let writes: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (CreateComponent::PATH, vec![("name", "New"), ("key", ""), ("description", ""), ("group_id", "")]),
        (
            EditComponent::PATH,
            vec![("component_id", &acme_api), ("version", "1"), ("name", "X"), ("description", ""), ("group_id", "")],
        ),
        (DeleteComponent::PATH, vec![("component_id", &acme_api), ("confirm", "yes")]),
        (CreateGroup::PATH, vec![("name", "Group"), ("description", "")]),
        (MoveEntry::PATH, vec![("entry", "component"), ("id", &acme_api), ("direction", "down")]),
        (SaveTemplate::PATH, vec![("kind", "incident"), ("name", "T"), ("title", "T"), ("body", "B")]),
        (
            ScheduleMaintenance::PATH,
            vec![
                ("name", "M"),
                ("message", "M"),
                ("scheduled_start", &start),
                ("scheduled_end", &end),
                (&api_box, "yes"),
            ],
        ),
        (EditGroup::PATH, vec![("group_id", "1"), ("version", "1"), ("name", "G"), ("description", "")]),
        (DeleteGroup::PATH, vec![("group_id", "1"), ("confirm", "yes")]),
        (DeleteTemplate::PATH, vec![("template_id", "1"), ("confirm", "yes")]),
        (MoveMaintenance::PATH, vec![("maintenance_id", "1"), ("to", "cancelled")]),
        (SavePostmortem::PATH, vec![("incident_id", "1"), ("version", "1"), ("postmortem", "P")]),
    ];
    let before = audit_actions(&app).await.len();
    for (path, fields) in &writes {
        let mut form = vec![("slug", "acme")];
        form.extend(fields.iter().copied());
        let (status, body) = call(&app, path, Some(&viewer), &form).await;
        assert_eq!(status, 403, "a Viewer may not call {path}: {body}");
        let (status, body) = call(&app, path, Some(&outsider), &form).await;
        assert_eq!(status, 404, "an outsider is told acme does not exist at {path}: {body}");
    }
    // An Admin of globex naming acme's component under their own organization finds nothing.
    for (path, fields) in [
        (
            EditComponent::PATH,
            vec![
                ("component_id", acme_api.as_str()),
                ("version", "1"),
                ("name", "X"),
                ("description", ""),
                ("group_id", ""),
            ],
        ),
        (DeleteComponent::PATH, vec![("component_id", acme_api.as_str()), ("confirm", "yes")]),
        (MoveEntry::PATH, vec![("entry", "component"), ("id", acme_api.as_str()), ("direction", "down")]),
        (DeleteGroup::PATH, vec![("group_id", "1"), ("confirm", "yes")]),
        (DeleteTemplate::PATH, vec![("template_id", "1"), ("confirm", "yes")]),
        (MoveMaintenance::PATH, vec![("maintenance_id", "1"), ("to", "cancelled")]),
    ] {
        let mut form = vec![("slug", "globex")];
        form.extend(fields);
        let (status, body) = call(&app, path, Some(&outsider), &form).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    assert_eq!(audit_actions(&app).await.len(), before, "nothing was written");
    assert_eq!(components_of(&app, acme).await[0].name, "Their API");
});

on_each_database!(templates_are_written_edited_and_deleted_from_the_dashboard, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let api = components_of(&app, acme).await[0].id;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let api_box = format!("components[{api}]");
    let (status, location, _) = post_form(
        &app,
        SaveTemplate::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("kind", "incident"),
            ("name", "Database down"),
            ("title", "The database is unreachable"),
            ("body", "We are **failing over**."),
            ("impact", "critical"),
            ("status", "identified"),
            (&api_box, "yes"),
        ],
    )
    .await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/templates")));
    let (status, library) = read(&app, GetTemplates::PATH, "acme", &cookie).await;
    assert_eq!(status, 200);
    let template = &library["templates"][0];
    assert_eq!((template["key"].as_str(), template["impact"].as_str()), (Some("database-down"), Some("critical")));
    assert_eq!(template["component_ids"], serde_json::json!([api]));
    let id = template["id"].as_i64().unwrap().to_string();
    let version = template["version"].as_i64().unwrap().to_string();

    for (fields, field) in [
        (vec![("kind", "incident"), ("name", ""), ("title", "T"), ("body", "B")], "name"),
        (vec![("kind", "incident"), ("name", "N"), ("title", ""), ("body", "B")], "title"),
        (vec![("kind", "meeting"), ("name", "N"), ("title", "T"), ("body", "B")], "kind"),
        (vec![("kind", "incident"), ("name", "N"), ("title", "T"), ("body", "B"), ("impact", "apocalyptic")], "impact"),
        (
            vec![("kind", "incident"), ("name", "N"), ("title", "T"), ("body", "B"), ("components[999999]", "yes")],
            "component_ids",
        ),
    ] {
        let mut form = vec![("slug", "acme")];
        form.extend(fields.iter().copied());
        let (status, body) = call(&app, SaveTemplate::PATH, Some(&cookie), &form).await;
        assert_eq!((status, error_field(&body)), (422, Some(field)), "{fields:?}: {body}");
    }
    assert_eq!(templates::Entity::find().count(&app.db).await.unwrap(), 1, "nothing half-written");

    let edit = [
        ("slug", "acme"),
        ("template_id", id.as_str()),
        ("version", version.as_str()),
        ("kind", "incident"),
        ("name", "Database down"),
        ("title", "Database failover"),
        ("body", "Failing over."),
        ("impact", ""),
        ("status", ""),
    ];
    let (status, body) = call(&app, SaveTemplate::PATH, Some(&cookie), &edit).await;
    assert!(status < 400, "{status} {body}");
    let (_, library) = read(&app, GetTemplates::PATH, "acme", &cookie).await;
    let template = &library["templates"][0];
    assert_eq!(template["title"], "Database failover");
    assert!(template["impact"].is_null() && template["status"].is_null());
    assert_eq!(template["component_ids"], serde_json::json!([]), "unticked boxes unselect");
    let (status, _) = call(&app, SaveTemplate::PATH, Some(&cookie), &edit).await;
    assert_eq!(status, 409, "a stale edit is refused");

    let (status, body) =
        call(&app, DeleteTemplate::PATH, Some(&cookie), &[("slug", "acme"), ("template_id", &id)]).await;
    assert_eq!((status, error_field(&body)), (422, Some("confirm")));
    let (status, _) =
        call(&app, DeleteTemplate::PATH, Some(&cookie), &[("slug", "acme"), ("template_id", &id), ("confirm", "yes")])
            .await;
    assert!(status < 400);
    assert_eq!(templates::Entity::find().count(&app.db).await.unwrap(), 0);
    let (status, html) = page(&app, "/dashboard/acme/templates", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("New template") && html.contains("No templates yet."), "{html}");
});

on_each_database!(maintenance_is_scheduled_in_local_time_and_moved_by_hand, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let mut organization: organizations::ActiveModel =
        organizations::Entity::find_by_id(acme).one(&app.db).await.unwrap().unwrap().into();
    organization.time_zone = Set("Europe/Berlin".to_owned());
    organization.update(&app.db).await.unwrap();
    let api = components_of(&app, acme).await[0].id;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let berlin = TimeZoneName::parse("Europe/Berlin").unwrap();
    let tomorrow = Utc::now() + Duration::days(1);
    let local = |at: DateTime<Utc>| berlin.local(at).format("%Y-%m-%dT%H:%M").to_string();
    let (start, end) = (local(tomorrow), local(tomorrow + Duration::hours(2)));
    let api_box = format!("components[{api}]");
    let schedule = |start: &str, end: &str| {
        vec![
            ("slug", "acme".to_owned()),
            ("name", "Database upgrade".to_owned()),
            ("message", "Checkout may be slow.".to_owned()),
            ("scheduled_start", start.to_owned()),
            ("scheduled_end", end.to_owned()),
            ("auto_start", "yes".to_owned()),
        ]
    };
    for (form, field) in [
        (schedule(&end, &start), "scheduled_end"),
        (schedule("tomorrow at noon", &end), "scheduled_start"),
        (schedule(&start, ""), "scheduled_end"),
        (schedule("2026-03-29T02:30", "2026-03-29T04:00"), "scheduled_start"),
    ] {
        let mut fields: Vec<(&str, &str)> = form.iter().map(|(key, value)| (*key, value.as_str())).collect();
        fields.push((&api_box, "yes"));
        let (status, body) = call(&app, ScheduleMaintenance::PATH, Some(&cookie), &fields).await;
        assert_eq!((status, error_field(&body)), (422, Some(field)), "{fields:?}: {body}");
    }
    let form = schedule(&start, &end);
    let fields: Vec<(&str, &str)> = form.iter().map(|(key, value)| (*key, value.as_str())).collect();
    let (status, body) = call(&app, ScheduleMaintenance::PATH, Some(&cookie), &fields).await;
    assert_eq!((status, error_field(&body)), (422, Some("component_ids")), "at least one component: {body}");
    assert_eq!(maintenances::Entity::find().count(&app.db).await.unwrap(), 0, "nothing half-written");

    let mut fields = fields.clone();
    fields.push((&api_box, "yes"));
    let (status, location, _) = post_form(&app, ScheduleMaintenance::PATH, Some(&cookie), &fields).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/maintenance")));
    let window = maintenances::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(berlin.local(window.scheduled_start).format("%Y-%m-%dT%H:%M").to_string(), start, "read in Berlin time");
    assert!(window.auto_start && !window.auto_complete, "an unticked box is off");
    let (status, planner) = read(&app, GetPlanner::PATH, "acme", &cookie).await;
    assert_eq!(status, 200);
    assert_eq!(planner["time_zone"], "Europe/Berlin");
    assert_eq!(planner["upcoming"][0]["components"], serde_json::json!(["Their API"]));
    assert!(planner["upcoming"][0]["local_window"].as_str().unwrap().ends_with("(Europe/Berlin)"), "{planner}");

    let id = window.id.to_string();
    let move_to = |to: &'static str| [("slug", "acme"), ("maintenance_id", id.as_str()), ("to", to)];
    let (status, body) = call(&app, MoveMaintenance::PATH, Some(&cookie), &move_to("completed")).await;
    assert!((400..500).contains(&status), "a window not started cannot complete: {status} {body}");
    let (status, body) = call(&app, MoveMaintenance::PATH, Some(&cookie), &move_to("in_progress")).await;
    assert!(status < 400, "{status} {body}");
    assert_eq!(component(&app, api).await.status, "under_maintenance");
    let (_, planner) = read(&app, GetPlanner::PATH, "acme", &cookie).await;
    assert_eq!(planner["active"][0]["status"], "in_progress");
    let (status, _) = call(&app, MoveMaintenance::PATH, Some(&cookie), &move_to("completed")).await;
    assert!(status < 400);
    assert_eq!(component(&app, api).await.status, "operational", "the component comes back");
    let (status, body) = call(&app, MoveMaintenance::PATH, Some(&cookie), &move_to("bored")).await;
    assert_eq!((status, error_field(&body)), (422, Some("to")), "{body}");
    let (status, html) = page(&app, "/dashboard/acme/maintenance", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Schedule maintenance") && html.contains("Database upgrade"), "{html}");
});

on_each_database!(past_incidents_are_backfilled_and_given_a_postmortem, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    join(&app, "vic@acme.example", acme, Role::Viewer).await;
    let api = components_of(&app, acme).await[0].id;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let began = "2026-01-10T08:15";
    let api_field = format!("components[{api}]");
    let (status, location, _) = post_form(
        &app,
        OpenIncident::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("name", "Slow searches"),
            ("impact", "minor"),
            ("status", "investigating"),
            ("message", "Searches were slow."),
            (&api_field, "suggested"),
            ("started_at", began),
        ],
    )
    .await;
    assert_eq!(status, 302, "{location:?}");
    let incident = incidents::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(incident.started_at.format("%Y-%m-%dT%H:%M").to_string(), began);
    let id = incident.id.to_string();
    let (status, body) = call(
        &app,
        PostIncidentUpdate::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("incident_id", &id),
            ("status", "resolved"),
            ("message", "Fixed."),
            ("at", "2026-01-10T09:00"),
        ],
    )
    .await;
    assert!(status < 400, "{status} {body}");
    let resolved = incidents::Entity::find_by_id(incident.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!(resolved.resolved_at.map(|at| at.format("%H:%M").to_string()).as_deref(), Some("09:00"));
    let (status, body) = call(
        &app,
        OpenIncident::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("name", "X"),
            ("impact", "minor"),
            ("status", "investigating"),
            ("message", "X"),
            ("started_at", "last tuesday"),
        ],
    )
    .await;
    assert_eq!((status, error_field(&body)), (422, Some("started_at")), "{body}");

    // The postmortem: publishing needs text; a stale form is refused; published shows publicly.
    let version = resolved.version.to_string();
    let (status, body) = call(
        &app,
        SavePostmortem::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("incident_id", &id), ("version", &version), ("postmortem", "  "), ("publish", "yes")],
    )
    .await;
    assert_eq!((status, error_field(&body)), (422, Some("postmortem_published")), "{body}");
    let (status, location, _) = post_form(
        &app,
        SavePostmortem::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("incident_id", &id),
            ("version", &version),
            ("postmortem", "## Why\n\nAn index was missing."),
            ("publish", "yes"),
        ],
    )
    .await;
    assert_eq!((status, location), (302, Some(format!("/dashboard/acme/incidents/{id}"))));
    let published = incidents::Entity::find_by_id(incident.id).one(&app.db).await.unwrap().unwrap();
    assert!(published.postmortem_published_at.is_some());
    let (status, _) = call(
        &app,
        SavePostmortem::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("incident_id", &id), ("version", &version), ("postmortem", "Overwrite")],
    )
    .await;
    assert_eq!(status, 409);
    let (status, html) = page(&app, &format!("/s/acme/incidents/{id}"), None).await;
    assert_eq!(status, 200);
    assert!(html.contains("An index was missing."), "the public page shows the postmortem");
    let (status, html) = page(&app, &format!("/dashboard/acme/incidents/{id}"), Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Save postmortem") && html.contains("<p>Fixed.</p>"), "updates render as Markdown: {html}");
    let updates = incident_updates::Entity::find()
        .filter(incident_updates::Column::IncidentId.eq(incident.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(updates, 2);

    // A Viewer may not write it.
    let viewer = sign_in(&app, "vic@acme.example", PASSWORD).await;
    let (status, _) = call(
        &app,
        SavePostmortem::PATH,
        Some(&viewer),
        &[("slug", "acme"), ("incident_id", &id), ("version", "99"), ("postmortem", "Mine")],
    )
    .await;
    assert_eq!(status, 403);
});

on_each_database!(markdown_previews_render_safely_for_people_signed_in, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Viewer).await;
    let text = [("text", "**Down** <script>alert(1)</script> [x](javascript:alert(1))")];
    let (status, _) = call(&app, PreviewMarkdown::PATH, None, &text).await;
    assert_eq!(status, 401, "no free rendering service");
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (status, html) = call(&app, PreviewMarkdown::PATH, Some(&cookie), &text).await;
    assert_eq!(status, 200);
    let html = html.as_str().unwrap();
    assert!(
        html.contains("<strong>Down</strong>") && !html.contains("<script") && !html.contains("javascript:"),
        "{html}"
    );
    let long = "x".repeat(50_001);
    let (status, body) = call(&app, PreviewMarkdown::PATH, Some(&cookie), &[("text", &long)]).await;
    assert_eq!((status, error_field(&body)), (422, Some("text")), "{body}");
});
