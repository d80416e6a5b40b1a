//! The dashboard's subscribers page: adding one subscriber (vouched for, or with the double
//! opt-in; a webhook's secret shown once), importing a CSV list (all or nothing, every problem
//! by line, people already subscribed left alone), exporting it, test messages, removal, the
//! delivery logs per subscriber and per notification, each role's rights, and another
//! organization's list out of reach.

use crate::accounts::{PASSWORD, call, join, member, page, post_form, sign_in};
use crate::on_each_database;
use crate::support::{TestApp, insert_component};
use app::api::subscribers::{AddSubscriber, GetSubscribers, ImportSubscribers, RemoveSubscriber, SendTestMessage};
use app::ssr::entities::{audit_log, notification_outbox, subscriber_components, subscribers};
use app::ssr::incidents::{self, Author, OpenIncident};
use chrono::Utc;
use herald::{ComponentStatus, Impact, IncidentSource, IncidentStatus, Role};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use std::time::Duration;

async fn subscriber(app: &TestApp, organization_id: i64, target: &str) -> Option<subscribers::Model> {
    subscribers::Entity::find()
        .filter(subscribers::Column::OrganizationId.eq(organization_id))
        .filter(subscribers::Column::Target.eq(target))
        .one(&app.db)
        .await
        .unwrap()
}

async fn count(app: &TestApp, organization_id: i64) -> u64 {
    subscribers::Entity::find()
        .filter(subscribers::Column::OrganizationId.eq(organization_id))
        .count(&app.db)
        .await
        .unwrap()
}

async fn confirmations_queued(app: &TestApp, subscriber_id: i64) -> u64 {
    notification_outbox::Entity::find()
        .filter(notification_outbox::Column::SubscriberId.eq(subscriber_id))
        .filter(notification_outbox::Column::Purpose.eq("confirmation"))
        .count(&app.db)
        .await
        .unwrap()
}

async fn read_page(app: &TestApp, cookie: &str, query: &[(&str, &str)]) -> (u16, Value) {
    let response =
        app.client.get(app.url(GetSubscribers::PATH)).query(query).header("cookie", cookie).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

fn targets(page: &Value) -> Vec<&str> {
    page["subscribers"].as_array().unwrap().iter().map(|line| line["target"].as_str().unwrap()).collect()
}

on_each_database!(editors_add_subscribers_one_by_one, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let web = insert_component(&app.db, acme, "web", "Website").await;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let web_box = format!("components[{}]", web.id);

    // Vouched for: confirmed at once, following only the website, no confirmation email.
    let (status, added) = call(
        &app,
        AddSubscriber::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("channel", "email"),
            ("address", " Bo@Example.COM "),
            ("topic", "incidents"),
            ("locale", "de"),
            ("confirmed", "yes"),
            (&web_box, "yes"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["target"], "bo@example.com");
    assert_eq!(added["awaiting_confirmation"], false);
    let bo = subscriber(&app, acme, "bo@example.com").await.expect("bo is subscribed");
    assert!(bo.confirmed_at.is_some());
    assert_eq!((bo.topic.as_str(), bo.locale.as_str(), bo.source.as_str()), ("incidents", "de", "api"));
    assert_eq!(confirmations_queued(&app, bo.id).await, 0);
    let followed: Vec<i64> = subscriber_components::Entity::find()
        .filter(subscriber_components::Column::SubscriberId.eq(bo.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|link| link.component_id)
        .collect();
    assert_eq!(followed, [web.id]);

    // Not vouched for: the usual double opt-in.
    let (status, added) = call(
        &app,
        AddSubscriber::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("channel", "email"), ("address", "cy@example.com"), ("topic", "all"), ("locale", "en")],
    )
    .await;
    assert_eq!((status, added["awaiting_confirmation"].as_bool()), (200, Some(true)), "{added}");
    let cy = subscriber(&app, acme, "cy@example.com").await.unwrap();
    assert!(cy.confirmed_at.is_none());
    assert_eq!(confirmations_queued(&app, cy.id).await, 1);

    // A webhook's secret is shown once, in the answer, and kept sealed.
    let (status, added) = call(
        &app,
        AddSubscriber::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("channel", "webhook"),
            ("address", "https://hooks.example.com/herald"),
            ("topic", "all"),
            ("locale", "en"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{added}");
    let secret = added["secret"].as_str().expect("a secret");
    assert!(secret.starts_with("whsec_"), "{secret}");
    let hook = subscriber(&app, acme, "https://hooks.example.com/herald").await.unwrap();
    assert!(!hook.secret_ciphertext.unwrap_or_default().contains(secret.trim_start_matches("whsec_")));

    // Bad input: named next to the field, nothing written.
    let before = count(&app, acme).await;
    for (channel, address, field) in [
        ("email", "not an address", "address"),
        ("email", "someone@mailinator.com", "address"),
        ("webhook", "ftp://example.com/x", "address"),
        ("pigeon", "x", "channel"),
        ("telegram", "-100123", "bot_token"),
    ] {
        let (status, error) = call(
            &app,
            AddSubscriber::PATH,
            Some(&cookie),
            &[("slug", "acme"), ("channel", channel), ("address", address), ("topic", "all"), ("locale", "en")],
        )
        .await;
        assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some(field)), "{error}");
    }
    let (status, error) = call(
        &app,
        AddSubscriber::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("channel", "email"),
            ("address", "bo@example.com"),
            ("topic", "all"),
            ("locale", "en"),
            ("confirmed", "yes"),
        ],
    )
    .await;
    assert_eq!(status, 409, "{error}");
    assert_eq!(count(&app, acme).await, before);

    // Each addition is in the audit log.
    let added_entries = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("subscriber.added"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(added_entries, 3);

    // The list finds them by part of the address, by channel and by state.
    let (status, listed) = read_page(&app, &cookie, &[("slug", "acme")]).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(targets(&listed), ["bo@example.com", "cy@example.com", "https://hooks.example.com/herald"]);
    assert_eq!(listed["counts"]["confirmed"], 2);
    assert_eq!(listed["counts"]["unconfirmed"], 1);
    assert_eq!(listed["subscribers"][0]["components"], serde_json::json!(["Website"]));
    let (_, found) = read_page(&app, &cookie, &[("slug", "acme"), ("q", "BO@")]).await;
    assert_eq!(targets(&found), ["bo@example.com"]);
    let (_, found) = read_page(&app, &cookie, &[("slug", "acme"), ("channel", "webhook")]).await;
    assert_eq!(targets(&found), ["https://hooks.example.com/herald"]);
    let (_, found) = read_page(&app, &cookie, &[("slug", "acme"), ("state", "unconfirmed")]).await;
    assert_eq!(targets(&found), ["cy@example.com"]);
    let (status, error) = read_page(&app, &cookie, &[("slug", "acme"), ("state", "happy")]).await;
    assert_eq!(status, 422, "{error}");
});

on_each_database!(an_import_takes_the_whole_list_or_nothing, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    insert_component(&app.db, acme, "web", "Website").await;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let existing = call(
        &app,
        AddSubscriber::PATH,
        Some(&cookie),
        &[
            ("slug", "acme"),
            ("channel", "email"),
            ("address", "old@example.com"),
            ("topic", "maintenance"),
            ("locale", "en"),
            ("confirmed", "yes"),
        ],
    )
    .await;
    assert_eq!(existing.0, 200);

    // Problems on several lines: every one reported, nothing written.
    let faulty = "email,topic,components,confirmed\n\
                  new1@example.com,all,web,yes\n\
                  not-an-address,all,,\n\
                  new2@example.com,all,nope,\n\
                  new3@example.com,weekly,,\n";
    let (status, report) =
        call(&app, ImportSubscribers::PATH, Some(&cookie), &[("slug", "acme"), ("csv", faulty)]).await;
    assert_eq!(status, 200, "{report}");
    let problems: Vec<&str> = report["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(problems.len(), 1, "the shape is checked first: {problems:?}");
    assert!(problems[0].starts_with("Line 5: \"weekly\" is not a valid topic"), "{problems:?}");
    let faulty = faulty.replace("weekly", "all");
    let (_, report) = call(&app, ImportSubscribers::PATH, Some(&cookie), &[("slug", "acme"), ("csv", &faulty)]).await;
    let problems: Vec<&str> = report["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("Line 3: "), "{problems:?}");
    assert_eq!(problems[1], "Line 4: there is no component with the key \"nope\".");
    assert_eq!(report["added"], 0);
    assert_eq!(count(&app, acme).await, 1, "nothing of a faulty file is kept");

    // Fixed: everyone new is added, the address already subscribed is left as it was.
    let list = "email,topic,components,confirmed\n\
                new1@example.com,all,web,yes\n\
                new2@example.com,incidents,,\n\
                OLD@example.com,all,,yes\n\
                new1@example.com,all,,\n";
    let (status, report) = call(&app, ImportSubscribers::PATH, Some(&cookie), &[("slug", "acme"), ("csv", list)]).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["problems"], serde_json::json!([]));
    assert_eq!((report["added"].as_u64(), report["already_subscribed"].as_u64()), (Some(2), Some(2)), "{report}");
    assert_eq!(report["awaiting_confirmation"], 1);
    let new1 = subscriber(&app, acme, "new1@example.com").await.unwrap();
    let new2 = subscriber(&app, acme, "new2@example.com").await.unwrap();
    assert!(new1.confirmed_at.is_some() && new2.confirmed_at.is_none());
    assert_eq!((new1.source.as_str(), new2.topic.as_str()), ("import", "incidents"));
    assert_eq!(confirmations_queued(&app, new1.id).await, 0);
    assert_eq!(confirmations_queued(&app, new2.id).await, 1);
    let old = subscriber(&app, acme, "old@example.com").await.unwrap();
    assert_eq!(old.topic, "maintenance", "an import does not change an existing subscription");
    assert_eq!(confirmations_queued(&app, old.id).await, 0);

    // The form's box vouches for rows that do not say; webhooks get their secrets once.
    let list = "channel,address\nemail,plain@example.com\nwebhook,https://hooks.example.com/imported\n";
    let (_, report) =
        call(&app, ImportSubscribers::PATH, Some(&cookie), &[("slug", "acme"), ("csv", list), ("confirmed", "yes")])
            .await;
    assert_eq!(report["added"], 2, "{report}");
    assert!(subscriber(&app, acme, "plain@example.com").await.unwrap().confirmed_at.is_some());
    assert_eq!(report["webhook_secrets"][0]["url"], "https://hooks.example.com/imported");
    assert!(report["webhook_secrets"][0]["secret"].as_str().unwrap().starts_with("whsec_"));
    let imports = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("subscribers.imported"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(imports, 2, "one audit entry per import that wrote something");

    // An empty list says so.
    let (status, report) = call(&app, ImportSubscribers::PATH, Some(&cookie), &[("slug", "acme"), ("csv", "\n")]).await;
    assert_eq!((status, report["problems"][0].as_str()), (200, Some("The file lists no subscribers.")));
});

on_each_database!(an_export_lists_everyone_and_imports_elsewhere, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    insert_component(&app.db, acme, "web", "Website").await;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let list = "email,topic,components,confirmed,locale\n\
                one@example.com,incidents,web;api,yes,fr\n\
                two@example.com,all,,,\n";
    let (_, report) = call(&app, ImportSubscribers::PATH, Some(&cookie), &[("slug", "acme"), ("csv", list)]).await;
    assert_eq!(report["added"], 2, "{report}");

    let response =
        app.client.get(app.url("/dashboard/acme/subscribers.csv")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers().get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "text/csv; charset=utf-8");
    assert!(header("content-disposition").starts_with("attachment; filename=\"acme-subscribers-"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "channel,address,topic,components,locale,confirmed,state,source,created_at,last_delivery_at");
    assert!(lines[1].starts_with("email,one@example.com,incidents,api;web,fr,20"), "{}", lines[1]);
    assert!(lines[1].contains(",confirmed,import,"), "{}", lines[1]);
    assert!(lines[2].starts_with("email,two@example.com,all,,en,,unconfirmed,import,"), "{}", lines[2]);

    // Another organization imports the export as it is.
    let globex = crate::support::insert_organization_with_api(&app.db, "globex").await.id;
    insert_component(&app.db, globex, "web", "Globex web").await;
    join(&app, "gus@globex.example", globex, Role::Admin).await;
    let gus = sign_in(&app, "gus@globex.example", PASSWORD).await;
    let (_, report) = call(&app, ImportSubscribers::PATH, Some(&gus), &[("slug", "globex"), ("csv", &csv)]).await;
    assert_eq!((report["added"].as_u64(), report["awaiting_confirmation"].as_u64()), (Some(2), Some(1)), "{report}");
    assert!(subscriber(&app, globex, "one@example.com").await.unwrap().confirmed_at.is_some());

    // Signed out, the download sends to sign in; another organization's list is not there.
    let signed_out = app.client.get(app.url("/dashboard/acme/subscribers.csv")).send().await.unwrap();
    assert_eq!(signed_out.status().as_u16(), 303);
    let (status, body) = page(&app, "/dashboard/acme/subscribers.csv", Some(&gus)).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("one@example.com"));
});

on_each_database!(deliveries_are_logged_per_subscriber_and_per_notification, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let cookie = sign_in(&app, "ana@acme.example", PASSWORD).await;
    for (channel, address) in [("email", "bo@example.com"), ("webhook", "http://127.0.0.1:9/refused")] {
        let (status, added) = call(
            &app,
            AddSubscriber::PATH,
            Some(&cookie),
            &[
                ("slug", "acme"),
                ("channel", channel),
                ("address", address),
                ("topic", "all"),
                ("locale", "en"),
                ("confirmed", "yes"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{added}");
    }
    let bo = subscriber(&app, acme, "bo@example.com").await.unwrap();
    let api = crate::notifications::api_component(&app.db, acme).await;
    incidents::open(
        &app.db,
        None,
        acme,
        OpenIncident {
            name: "Checkout errors".into(),
            impact: Impact::Major,
            status: IncidentStatus::Investigating,
            message: "Looking into it.".into(),
            components: vec![(api.id, ComponentStatus::PartialOutage)],
            notify_subscribers: true,
            started_at: None,
            source: IncidentSource::Manual,
            external_key: None,
            author: Author::system("Test"),
        },
        Utc::now(),
    )
    .await
    .unwrap();

    // The worker delivers: the email (log transport) is sent, the webhook is refused and waits.
    let mut notification = Value::Null;
    for _ in 0..200 {
        let (_, listed) = read_page(&app, &cookie, &[("slug", "acme")]).await;
        notification = listed["notifications"]
            .as_array()
            .and_then(|all| all.iter().find(|entry| entry["kind"] == "incident.created"))
            .cloned()
            .unwrap_or(Value::Null);
        if notification["sent"] == 1 && notification["failures"].as_array().is_some_and(|failures| !failures.is_empty())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(notification["subject"], "Checkout errors", "{notification}");
    assert_eq!(
        (notification["sent"].as_u64(), notification["on_the_way"].as_u64()),
        (Some(1), Some(1)),
        "{notification}"
    );
    let failure = &notification["failures"][0];
    assert_eq!(
        (failure["target"].as_str(), failure["state"].as_str()),
        (Some("http://127.0.0.1:9/refused"), Some("failed"))
    );
    assert!(failure["last_error"].as_str().is_some_and(|error| !error.is_empty()), "{failure}");

    // A test message joins the subscriber's own log, newest first.
    let (status, _) =
        call(&app, SendTestMessage::PATH, Some(&cookie), &[("slug", "acme"), ("subscriber_id", &bo.id.to_string())])
            .await;
    assert_eq!(status, 200);
    let (_, listed) = read_page(&app, &cookie, &[("slug", "acme"), ("subscriber", &bo.id.to_string())]).await;
    let log = &listed["selected"];
    assert_eq!(log["subscriber"]["target"], "bo@example.com");
    let what: Vec<&str> = log["deliveries"].as_array().unwrap().iter().map(|d| d["what"].as_str().unwrap()).collect();
    assert_eq!(what, ["Test message", "incident.created"]);

    // Removal asks for the box, then takes the subscriber and its deliveries away.
    let id = bo.id.to_string();
    let (status, error) =
        call(&app, RemoveSubscriber::PATH, Some(&cookie), &[("slug", "acme"), ("subscriber_id", &id)]).await;
    assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some("confirm")));
    let (status, location, _) = post_form(
        &app,
        RemoveSubscriber::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("subscriber_id", &id), ("confirm", "yes")],
    )
    .await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/subscribers")));
    assert!(subscriber(&app, acme, "bo@example.com").await.is_none());
    let left = notification_outbox::Entity::find()
        .filter(notification_outbox::Column::SubscriberId.eq(bo.id))
        .order_by_asc(notification_outbox::Column::Id)
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    let removed = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("subscriber.removed"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(removed, 1);
});

on_each_database!(viewers_read_the_list_and_strangers_see_nothing, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Editor).await;
    join(&app, "vic@acme.example", acme, Role::Viewer).await;
    member(&app, "eve@evil.example", "evil", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (status, _) = call(
        &app,
        AddSubscriber::PATH,
        Some(&ana),
        &[
            ("slug", "acme"),
            ("channel", "email"),
            ("address", "bo@example.com"),
            ("topic", "all"),
            ("locale", "en"),
            ("confirmed", "yes"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let bo = subscriber(&app, acme, "bo@example.com").await.unwrap().id.to_string();

    let vic = sign_in(&app, "vic@acme.example", PASSWORD).await;
    let (status, listed) = read_page(&app, &vic, &[("slug", "acme")]).await;
    assert_eq!((status, targets(&listed)), (200, vec!["bo@example.com"]));
    assert_eq!(listed["organization"]["may_edit"], false);
    let export =
        app.client.get(app.url("/dashboard/acme/subscribers.csv")).header("cookie", &vic).send().await.unwrap();
    assert_eq!(export.status().as_u16(), 200);
    for (path, fields) in [
        (
            AddSubscriber::PATH,
            vec![("channel", "email"), ("address", "x@example.com"), ("topic", "all"), ("locale", "en")],
        ),
        (ImportSubscribers::PATH, vec![("csv", "x@example.com")]),
        (SendTestMessage::PATH, vec![("subscriber_id", bo.as_str())]),
        (RemoveSubscriber::PATH, vec![("subscriber_id", bo.as_str()), ("confirm", "yes")]),
    ] {
        let mut fields = fields;
        fields.push(("slug", "acme"));
        let (status, error) = call(&app, path, Some(&vic), &fields).await;
        assert_eq!(status, 403, "{path}: {error}");
    }
    assert_eq!(count(&app, acme).await, 1);

    // Another organization's member: the same 404 as an organization that does not exist.
    let eve = sign_in(&app, "eve@evil.example", PASSWORD).await;
    let (status, _) = read_page(&app, &eve, &[("slug", "acme")]).await;
    assert_eq!(status, 404);
    let (status, _) = call(&app, SendTestMessage::PATH, Some(&eve), &[("slug", "evil"), ("subscriber_id", &bo)]).await;
    assert_eq!(status, 404, "a subscriber of another organization is not found");
    let (status, _) =
        call(&app, RemoveSubscriber::PATH, Some(&eve), &[("slug", "evil"), ("subscriber_id", &bo), ("confirm", "yes")])
            .await;
    assert_eq!(status, 404);
    assert_eq!(count(&app, acme).await, 1);
    let (status, html) = page(&app, "/dashboard/acme/subscribers", Some(&eve)).await;
    assert_eq!(status, 404);
    assert!(!html.contains("bo@example.com"));

    // The page itself renders the list on the server for the editor.
    let (status, html) = page(&app, "/dashboard/acme/subscribers", Some(&ana)).await;
    assert_eq!(status, 200);
    assert!(html.contains("bo@example.com") && html.contains("Import a list (CSV)"), "{html}");
});

async fn subscribe_json(app: &TestApp, slug: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/s/{slug}/subscribe")))
        .header("accept", "application/json")
        .header("x-real-ip", "198.51.100.20")
        .form(fields)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

on_each_database!(the_status_page_dialog_subscribes_with_json_answers, |app| async move {
    let acme = crate::support::insert_organization_with_api(&app.db, "acme").await;
    let api = crate::notifications::api_component(&app.db, acme.id).await.id.to_string();

    let (status, body) = subscribe_json(
        &app,
        "acme",
        &[("channel", "email"), ("email", "Ana@Example.com"), ("topic", "incidents"), ("components", &api)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, serde_json::json!({"outcome": "check_inbox", "address": "ana@example.com"}));
    let ana = subscriber(&app, acme.id, "ana@example.com").await.unwrap();
    assert_eq!((ana.topic.as_str(), ana.source.as_str()), ("incidents", "public"));
    assert!(ana.confirmed_at.is_none());

    let (status, body) =
        subscribe_json(&app, "acme", &[("channel", "webhook"), ("url", "https://hooks.example.com/x")]).await;
    assert_eq!((status, body["outcome"].as_str()), (201, Some("webhook")), "{body}");
    assert!(body["secret"].as_str().unwrap().starts_with("whsec_"));

    for (fields, status, field) in [
        (vec![("channel", "email"), ("email", "nope")], 422, Some("email")),
        (vec![("channel", "pigeon"), ("email", "a@example.com")], 422, Some("channel")),
        (vec![("channel", "email"), ("email", "b@example.com"), ("topic", "gossip")], 422, Some("topic")),
        (vec![("channel", "email"), ("email", "c@example.com"), ("components", "999999")], 422, Some("components")),
    ] {
        let (got, body) = subscribe_json(&app, "acme", &fields).await;
        assert_eq!((got, body.pointer("/error/field").and_then(Value::as_str)), (status, field), "{body}");
        assert!(body.pointer("/error/message").and_then(Value::as_str).is_some_and(|message| !message.is_empty()));
    }
    let (status, body) = subscribe_json(&app, "nobody", &[("channel", "email"), ("email", "d@example.com")]).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(count(&app, acme.id).await, 2);

    // The limit per client address holds for the dialog as for the page.
    let mut limited = None;
    for attempt in 0..12 {
        let (status, body) =
            subscribe_json(&app, "acme", &[("channel", "email"), ("email", &format!("p{attempt}@example.com"))]).await;
        if status == 429 {
            limited = Some(body);
            break;
        }
    }
    let limited = limited.expect("the limit applies");
    assert!(limited.pointer("/error/message").and_then(Value::as_str).unwrap().contains("wait a minute"));

    // The status page carries the dialog, closed, with the page's components to choose from.
    let (status, html) = app.get_text("/s/acme").await;
    assert_eq!(status, 200);
    assert!(html.contains("<dialog") && html.contains("subscribe-dialog"), "the dialog is rendered");
    assert!(html.contains("name=\"components\" value=\""), "its component choices are rendered");
});
