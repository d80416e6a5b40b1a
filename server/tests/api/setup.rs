use crate::on_each_database;
use crate::support::TestApp;
use app::api::setup::CompleteSetup;
use app::error::AppError;
use app::ssr::entities::{audit_log, memberships, organizations, users};
use leptos::server_fn::ServerFn;
use sea_orm::{EntityTrait, PaginatorTrait};

fn form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("organization_name", "Acme Widgets"),
        ("slug", ""),
        ("email", "Ops@Acme.example"),
        ("password", "correct horse battery"),
        ("password_confirmation", "correct horse battery"),
    ];
    for (name, value) in overrides {
        if let Some(field) = fields.iter_mut().find(|(n, _)| n == name) {
            field.1 = value;
        }
    }
    fields
}

/// As the hydrated page's server-function client sends it.
async fn submit(app: &TestApp, fields: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let response = app.client.post(app.url(CompleteSetup::PATH)).form(fields).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

/// As a browser without JavaScript posts the plain HTML form.
async fn submit_without_javascript(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(CompleteSetup::PATH))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url("/setup"))
        .form(fields)
        .send()
        .await
        .unwrap()
}

on_each_database!(setup_without_javascript_creates_the_admin_and_opens_the_page, |app| async move {
    let response = submit_without_javascript(&app, &form(&[])).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/s/acme-widgets");

    let (status, html) = app.get_text("/s/acme-widgets").await;
    assert_eq!(status, 200);
    assert!(html.contains("Acme Widgets"));

    let admins = users::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].email, "ops@acme.example", "emails are stored normalised");
    assert!(admins[0].is_instance_admin);
    assert!(admins[0].password_hash.starts_with("$argon2id$"), "never the password itself");
    let membership = memberships::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(membership.role, "admin");
    assert_eq!(
        audit_log::Entity::find().count(&app.db).await.unwrap(),
        2,
        "user and organization creation are audited"
    );

    let (_, setup_page) = app.get_text("/setup").await;
    assert!(setup_page.contains("Herald is already set up"));
    let (_, front) = app.get_text("/").await;
    assert!(!front.contains("Welcome to Herald"));
});

on_each_database!(setup_happens_only_once, |app| async move {
    let (status, _, _) = submit(&app, &form(&[])).await;
    assert_eq!(status, 200);
    let (status, _, body) = submit(&app, &form(&[("email", "second@acme.example"), ("slug", "other")])).await;
    assert_eq!(status, 409);
    let error: AppError = serde_json::from_str(&body).unwrap();
    assert!(matches!(error, AppError::Conflict(_)), "{error:?}");
    assert_eq!(users::Entity::find().count(&app.db).await.unwrap(), 1);
    assert_eq!(organizations::Entity::find().count(&app.db).await.unwrap(), 1);
});

on_each_database!(concurrent_setups_let_exactly_one_through, |app| async move {
    let attempts = (0..5).map(|i| {
        let app = &app;
        async move {
            let email = format!("admin{i}@acme.example");
            let slug = format!("acme-{i}");
            let fields = form(&[("email", email.as_str()), ("slug", slug.as_str())]);
            submit(app, &fields).await.0
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|status| **status == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|status| *status == 200 || *status == 409), "{statuses:?}");
    assert_eq!(users::Entity::find().count(&app.db).await.unwrap(), 1);
});

on_each_database!(bad_input_is_refused_field_by_field_and_nothing_is_written, |app| async move {
    let cases: &[(&str, &str, &str)] = &[
        ("email", "not-an-email", "email"),
        ("password", "short", "password"),
        ("password_confirmation", "something else entirely", "password_confirmation"),
        ("organization_name", "   ", "organization_name"),
        ("slug", "Not a slug!", "slug"),
        ("organization_name", &"x".repeat(101), "organization_name"),
    ];
    for (field, value, reported) in cases {
        let (status, _, body) = submit(&app, &form(&[(field, value)])).await;
        assert_eq!(status, 422, "{field}={value}: {body}");
        let error: AppError = serde_json::from_str(&body).unwrap();
        assert!(error.message_for(reported).is_some(), "{field}={value}: {error:?}");
    }
    assert_eq!(users::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(organizations::Entity::find().count(&app.db).await.unwrap(), 0);
    let (_, front) = app.get_text("/").await;
    assert!(front.contains("Welcome to Herald"), "setup is still pending");
});

on_each_database!(errors_reach_a_browser_without_javascript, |app| async move {
    let response = submit_without_javascript(&app, &form(&[("slug", "Not a slug!")])).await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("__err="), "{location}");
    let (status, html) = app.get_text(location.trim_start_matches(&format!("http://{}", app.address))).await;
    assert_eq!(status, 200);
    assert!(html.contains("A slug may only contain"), "the reason is shown next to the field: {html}");
});
