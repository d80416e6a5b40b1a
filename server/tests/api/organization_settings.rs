//! Creating organizations (instance administrators only) and their settings (their Admins
//! only): every field checked next to itself, the public page following at once.

use crate::accounts::{PASSWORD, call, join, member, page, post_form, sign_in};
use crate::on_each_database;
use crate::support::{TestApp, eventually};
use app::api::dashboard::{CreateOrganization, GetAuditLog, GetSettings, GetWorkspace, MoveOrganization, SaveSettings};
use app::ssr::entities::{audit_log, organizations};
use app::ssr::password::hash_password;
use app::ssr::repositories::users;
use chrono::Utc;
use herald::{Email, Role};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

async fn read(app: &TestApp, path: &str, slug: &str, cookie: &str) -> (u16, Value) {
    let response =
        app.client.get(app.url(path)).query(&[("slug", slug)]).header("cookie", cookie).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn field(error: &Value) -> Option<&str> {
    error.pointer("/Invalid/field").and_then(Value::as_str)
}

async fn organization(app: &TestApp, slug: &str) -> organizations::Model {
    organizations::Entity::find().filter(organizations::Column::Slug.eq(slug)).one(&app.db).await.unwrap().unwrap()
}

on_each_database!(instance_administrators_create_organizations, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Admin).await;
    let hash = hash_password(PASSWORD.into()).await.unwrap();
    users::insert(&app.db, &Email::parse("root@herald.example").unwrap(), hash, true, Utc::now()).await.unwrap();
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (status, _) =
        call(&app, CreateOrganization::PATH, Some(&ana), &[("name", "Initech"), ("slug", "initech")]).await;
    assert_eq!(status, 403, "an organization's Admin is not an instance administrator");
    let (_, html) = page(&app, "/dashboard", Some(&ana)).await;
    assert!(!html.contains("New organization"));

    let root = sign_in(&app, "root@herald.example", PASSWORD).await;
    let (_, html) = page(&app, "/dashboard", Some(&root)).await;
    assert!(html.contains("New organization"), "{html}");
    for (name, slug, bad) in [("", "initech", "name"), ("Initech", "Not A Slug", "slug"), ("Initech", "acme", "slug")] {
        let (status, error) =
            call(&app, CreateOrganization::PATH, Some(&root), &[("name", name), ("slug", slug)]).await;
        assert_eq!((status, field(&error)), (422, Some(bad)), "{name} {slug}: {error}");
    }
    let (status, location, _) =
        post_form(&app, CreateOrganization::PATH, Some(&root), &[("name", "Initech"), ("slug", "initech")]).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/initech")));
    let (status, workspace) = read(&app, GetWorkspace::PATH, "initech", &root).await;
    assert_eq!((status, workspace["organization"]["role"].as_str()), (200, Some("Admin")));
    assert_eq!(page(&app, "/s/initech", None).await.0, 200, "its public page exists at once");
});

on_each_database!(admins_change_the_settings_and_the_page_follows, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Admin).await;
    join(&app, "eve@acme.example", acme, Role::Editor).await;
    member(&app, "bo@other.example", "other", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (status, settings) = read(&app, GetSettings::PATH, "acme", &ana).await;
    assert_eq!((status, settings["name"].as_str()), (200, Some("acme Inc")), "{settings}");

    let valid = [
        ("slug", "acme"),
        ("name", "Acme Rockets"),
        ("tagline", "Everything about our rockets"),
        ("logo_url", ""),
        ("website_url", "https://acme.example"),
        ("brand_colour", "#E11D48"),
        ("custom_domain", "Status.Acme.example"),
        ("default_locale", "de"),
        ("time_zone", "Europe/Berlin"),
        ("listed", "yes"),
    ];
    let with = |name: &'static str, value: &'static str| {
        valid.iter().map(|&(key, old)| (key, if key == name { value } else { old })).collect::<Vec<_>>()
    };
    for (name, value) in [
        ("name", ""),
        ("logo_url", "javascript:alert(1)"),
        ("website_url", "not a url"),
        ("brand_colour", "red"),
        ("custom_domain", "https://status.acme.example/"),
        ("default_locale", "xx"),
        ("time_zone", "Mars/Olympus"),
    ] {
        let (status, error) = call(&app, SaveSettings::PATH, Some(&ana), &with(name, value)).await;
        assert_eq!((status, field(&error)), (422, Some(name)), "{name}={value}: {error}");
    }
    let long_tagline = "t".repeat(201);
    let mut too_long: Vec<(&str, &str)> = valid.iter().copied().filter(|(key, _)| *key != "tagline").collect();
    too_long.push(("tagline", &long_tagline));
    let (status, error) = call(&app, SaveSettings::PATH, Some(&ana), &too_long).await;
    assert_eq!((status, field(&error)), (422, Some("tagline")), "{error}");
    assert_eq!(organization(&app, "acme").await.name, "acme Inc", "nothing was half-saved");

    let (status, location, _) = post_form(&app, SaveSettings::PATH, Some(&ana), &valid).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/settings?saved=1")));
    let saved = organization(&app, "acme").await;
    assert_eq!(saved.name, "Acme Rockets");
    assert_eq!(saved.brand_colour.as_deref(), Some("#e11d48"));
    assert_eq!(saved.custom_domain.as_deref(), Some("status.acme.example"));
    assert_eq!((saved.default_locale.as_str(), saved.time_zone.as_str()), ("de", "Europe/Berlin"));
    assert_eq!(saved.logo_url, None, "an empty field clears its setting");
    let (_, html) = page(&app, "/s/acme", None).await;
    assert!(html.contains("Acme Rockets") && html.contains("Everything about our rockets"), "the page follows");
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::OrganizationId.eq(acme))
        .filter(audit_log::Column::Action.eq("configuration.applied"))
        .filter(audit_log::Column::ActorLabel.eq("ana@acme.example"))
        .one(&app.db)
        .await
        .unwrap();
    assert!(audited.is_some(), "the change is audited under ana's name");
    let (status, log) = read(&app, &format!("{}?entity_type=organization", GetAuditLog::PATH), "acme", &ana).await;
    assert_eq!(status, 200, "{log}");
    assert_eq!(log["entries"][0]["action"], "configuration.applied", "{log}");
    assert_eq!(log["entries"][0]["actor"], "ana@acme.example");
    assert!(log["entries"][0]["after"].as_str().is_some_and(|after| after.contains("Acme Rockets")), "{log}");
    let (status, html) = page(&app, "/dashboard/acme/audit?entity_type=organization", Some(&ana)).await;
    assert_eq!(status, 200);
    assert!(html.contains("configuration.applied") && html.contains("Audit log"), "{html}");

    let bo = sign_in(&app, "bo@other.example", PASSWORD).await;
    let mut theirs = with("custom_domain", "status.acme.example");
    theirs.iter_mut().for_each(|pair| {
        if pair.0 == "slug" {
            pair.1 = "other";
        }
    });
    let (status, error) = call(&app, SaveSettings::PATH, Some(&bo), &theirs).await;
    assert_eq!((status, field(&error)), (422, Some("custom_domain")), "one domain, one organization: {error}");
    let (status, _) = call(&app, SaveSettings::PATH, Some(&bo), &valid).await;
    assert_eq!(status, 404, "bo is not in acme");
    let (status, _) = read(&app, GetSettings::PATH, "acme", &bo).await;
    assert_eq!(status, 404);
    assert_eq!(read(&app, GetAuditLog::PATH, "acme", &bo).await.0, 404, "another organization's log");

    let eve = sign_in(&app, "eve@acme.example", PASSWORD).await;
    let (status, _) = read(&app, GetSettings::PATH, "acme", &eve).await;
    assert_eq!(status, 403, "settings are for Admins");
    assert_eq!(read(&app, GetAuditLog::PATH, "acme", &eve).await.0, 403, "so is the audit log");
    let (status, _) = call(&app, SaveSettings::PATH, Some(&eve), &with("name", "Hijacked")).await;
    assert_eq!(status, 403);
    assert_eq!(organization(&app, "acme").await.name, "Acme Rockets");
});

/// A request's status and `Location`, without following it.
async fn answer(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, Option<String>) {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let location = response.headers().get("location").and_then(|value| value.to_str().ok()).map(str::to_owned);
    (response.status().as_u16(), location)
}

on_each_database!(admins_move_the_page_and_old_links_keep_working, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Admin).await;
    join(&app, "eve@acme.example", acme, Role::Editor).await;
    member(&app, "bo@other.example", "other", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let eve = sign_in(&app, "eve@acme.example", PASSWORD).await;
    let bo = sign_in(&app, "bo@other.example", PASSWORD).await;
    // Read once, so the page is in the cache when it moves.
    assert_eq!(page(&app, "/s/acme", None).await.0, 200);
    let moving = |to: &'static str| [("slug", "acme"), ("new_slug", to), ("confirm", "yes")];

    let (status, _) = call(&app, MoveOrganization::PATH, Some(&eve), &moving("acme-rockets")).await;
    assert_eq!(status, 403, "an Editor may not move the page");
    let (status, _) = call(&app, MoveOrganization::PATH, Some(&bo), &moving("acme-rockets")).await;
    assert_eq!(status, 404, "another organization's Admin does not see it");
    let (status, error) =
        call(&app, MoveOrganization::PATH, Some(&ana), &[("slug", "acme"), ("new_slug", "acme-rockets")]).await;
    assert_eq!((status, field(&error)), (422, Some("confirm")), "{error}");
    for taken in ["Not A Slug", "other", ""] {
        let (status, error) = call(&app, MoveOrganization::PATH, Some(&ana), &moving(taken)).await;
        assert_eq!((status, field(&error)), (422, Some("slug")), "{taken}: {error}");
    }
    assert_eq!(organization(&app, "acme").await.id, acme, "nothing moved yet");

    let (status, location, _) = post_form(&app, MoveOrganization::PATH, Some(&ana), &moving("acme-rockets")).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme-rockets/settings?moved=1")));
    assert_eq!(organization(&app, "acme-rockets").await.id, acme);
    // The old address redirects everywhere it was used, path and query kept, once the cached
    // page has been dropped.
    eventually("the old page to redirect", std::time::Duration::from_secs(10), || async {
        (answer(&app, "/s/acme", None).await == (301, Some("/s/acme-rockets".to_owned()))).then_some(())
    })
    .await;
    for (old, new) in [
        ("/s/acme/history.rss?page=2", "/s/acme-rockets/history.rss?page=2"),
        ("/s/acme/api/v2/summary.json", "/s/acme-rockets/api/v2/summary.json"),
        ("/api/acme/status", "/api/acme-rockets/status"),
        ("/s/acme/badge.svg", "/s/acme-rockets/badge.svg"),
    ] {
        assert_eq!(answer(&app, old, None).await, (301, Some(new.to_owned())), "{old}");
    }
    assert_eq!(
        answer(&app, "/dashboard/acme/checks", Some(&ana)).await,
        (301, Some("/dashboard/acme-rockets/checks".to_owned()))
    );
    let (status, html) = page(&app, "/s/acme-rockets", None).await;
    assert!(status == 200 && html.contains("acme Inc"), "the page at its new address");
    let (status, settings) = read(&app, GetSettings::PATH, "acme-rockets", &ana).await;
    assert_eq!((status, settings["former_slugs"].clone()), (200, serde_json::json!(["acme"])));
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::OrganizationId.eq(acme))
        .filter(audit_log::Column::Action.eq("organization.moved"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the move is audited");
    assert_eq!(
        (audited.before.unwrap()["slug"].clone(), audited.after.unwrap()["slug"].clone()),
        ("acme".into(), "acme-rockets".into())
    );

    // The old address stays reserved: nobody else can take it and catch its visitors.
    let (status, error) =
        call(&app, MoveOrganization::PATH, Some(&bo), &[("slug", "other"), ("new_slug", "acme"), ("confirm", "yes")])
            .await;
    assert_eq!((status, field(&error)), (422, Some("slug")), "{error}");
    // Moving back takes it back; the address left behind now redirects in turn.
    let back = [("slug", "acme-rockets"), ("new_slug", "acme"), ("confirm", "yes")];
    let (status, _) = call(&app, MoveOrganization::PATH, Some(&ana), &back).await;
    assert_eq!(status, 200);
    eventually("the page back at its first address", std::time::Duration::from_secs(10), || async {
        (page(&app, "/s/acme", None).await.0 == 200).then_some(())
    })
    .await;
    assert_eq!(answer(&app, "/s/acme-rockets", None).await, (301, Some("/s/acme".to_owned())));
    let (_, settings) = read(&app, GetSettings::PATH, "acme", &ana).await;
    assert_eq!(settings["former_slugs"], serde_json::json!(["acme-rockets"]));
    // Moving to where it already is changes nothing.
    let (status, _) =
        call(&app, MoveOrganization::PATH, Some(&ana), &[("slug", "acme"), ("new_slug", "acme"), ("confirm", "yes")])
            .await;
    assert_eq!(status, 200);
    let (_, settings) = read(&app, GetSettings::PATH, "acme", &ana).await;
    assert_eq!(settings["former_slugs"], serde_json::json!(["acme-rockets"]));
});
