//! Signing in and out: the session cookie, throttling, ending sessions, changing a password,
//! and the dashboard that lists only your own organizations.

use crate::on_each_database;
use crate::support::{TestApp, insert_organization_with_api};
use app::api::account::{ChangePassword, GetPasswordReset, RequestPasswordReset, ResetPassword, SignIn, SignOut};
use app::ssr::entities::{password_resets, sessions};
use app::ssr::password::hash_password;
use app::ssr::password_reset;
use app::ssr::repositories::{memberships, users};
use chrono::Utc;
use herald::{Email, Role};
use leptos::server_fn::ServerFn;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery";

/// A new organization `slug` with `email` in it; returns the organization's id.
pub async fn member(app: &TestApp, email: &str, slug: &str, role: Role) -> i64 {
    let organization = insert_organization_with_api(&app.db, slug).await;
    join(app, email, organization.id, role).await;
    organization.id
}

/// A new account `email` with the role `role` in an existing organization; returns its id.
pub async fn join(app: &TestApp, email: &str, organization_id: i64, role: Role) -> i64 {
    let hash = hash_password(PASSWORD.into()).await.unwrap();
    let user = users::insert(&app.db, &Email::parse(email).unwrap(), hash, false, Utc::now()).await.unwrap();
    memberships::insert(&app.db, organization_id, user.id, role, Utc::now()).await.unwrap();
    user.id
}

/// As a browser without JavaScript posts the form; returns the status, Location and cookie.
pub async fn post_form(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> (u16, Option<String>, Option<String>) {
    let mut request = app
        .client
        .post(app.url(path))
        .header("accept", "text/html")
        .header("referer", app.url("/login"))
        .header("x-forwarded-for", "203.0.113.7")
        .form(fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| response.headers().get(name).map(|value| value.to_str().unwrap().to_owned());
    (response.status().as_u16(), header("location"), header("set-cookie"))
}

/// As the hydrated page calls the server function; returns the status and the JSON error.
pub async fn call(app: &TestApp, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> (u16, Value) {
    let mut request = app.client.post(app.url(path)).header("x-forwarded-for", "203.0.113.7").form(fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn sign_in(app: &TestApp, email: &str, password: &str) -> String {
    let (status, location, cookie) =
        post_form(app, SignIn::PATH, None, &[("email", email), ("password", password)]).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard")));
    let cookie = cookie.expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

pub async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

on_each_database!(signing_in_opens_the_dashboard_with_only_your_organizations, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Editor).await;
    member(&app, "bo@other.example", "other", Role::Admin).await;
    let response = app.client.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(response.status(), 303, "signed out, the dashboard sends you to sign in");
    assert_eq!(response.headers()["location"], "/login?next=%2Fdashboard");

    let (_, _, raw_cookie) =
        post_form(&app, SignIn::PATH, None, &[("email", "Ana@Acme.example"), ("password", PASSWORD)]).await;
    let raw_cookie = raw_cookie.unwrap();
    assert!(raw_cookie.starts_with("herald_session=hrls_"), "{raw_cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(raw_cookie.contains(attribute), "{attribute} missing: {raw_cookie}");
    }
    assert!(!raw_cookie.contains("Secure"), "plain http has no Secure cookie");
    let cookie = raw_cookie.split(';').next().unwrap().to_owned();
    let (status, html) = page(&app, "/dashboard", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("acme Inc") && html.contains("Editor"), "{html}");
    assert!(!html.contains("other Inc"), "another organization leaked into the dashboard");
    assert!(html.contains("ana@acme.example"));

    // Behind an https proxy the cookie is Secure.
    let response = app
        .client
        .post(app.url(SignIn::PATH))
        .header("accept", "text/html")
        .header("x-forwarded-proto", "https")
        .form(&[("email", "ana@acme.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));

    // Only a path on this site is followed after signing in.
    let (_, location, _) = post_form(
        &app,
        SignIn::PATH,
        None,
        &[("email", "ana@acme.example"), ("password", PASSWORD), ("next", "//evil.example/")],
    )
    .await;
    assert_eq!(location.as_deref(), Some("/dashboard"));
});

on_each_database!(wrong_credentials_look_alike_and_are_throttled, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let (status, wrong_password) =
        call(&app, SignIn::PATH, None, &[("email", "ana@acme.example"), ("password", "nope nope nope")]).await;
    assert_eq!(status, 422);
    let (status, unknown) =
        call(&app, SignIn::PATH, None, &[("email", "nobody@acme.example"), ("password", "nope nope nope")]).await;
    assert_eq!(status, 422);
    assert_eq!(wrong_password, unknown, "the answer must not tell which accounts exist");
    for _ in 0..4 {
        call(&app, SignIn::PATH, None, &[("email", "ana@acme.example"), ("password", "still wrong!")]).await;
    }
    let (status, throttled) =
        call(&app, SignIn::PATH, None, &[("email", "ana@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(status, 429, "{throttled}");
    assert!(throttled.to_string().contains("try again in"), "{throttled}");
    assert_eq!(sessions::Entity::find().count(&app.db).await.unwrap(), 0);
});

on_each_database!(signing_out_ends_one_session_or_all_of_them, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let laptop = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let phone = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (status, location, cleared) = post_form(&app, SignOut::PATH, Some(&laptop), &[]).await;
    assert_eq!((status, location.as_deref()), (302, Some("/login")));
    assert!(cleared.unwrap().contains("Max-Age=0"));
    assert_eq!(page(&app, "/dashboard", Some(&laptop)).await.0, 303, "the ended session no longer works");
    assert_eq!(page(&app, "/dashboard", Some(&phone)).await.0, 200, "the other one still does");

    let tablet = sign_in(&app, "ana@acme.example", PASSWORD).await;
    post_form(&app, SignOut::PATH, Some(&phone), &[("everywhere", "yes")]).await;
    assert_eq!(page(&app, "/dashboard", Some(&phone)).await.0, 303);
    assert_eq!(page(&app, "/dashboard", Some(&tablet)).await.0, 303);
    assert_eq!(sessions::Entity::find().count(&app.db).await.unwrap(), 0);
});

on_each_database!(changing_the_password_ends_the_other_sessions, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let here = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let elsewhere = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let change = |current: &'static str, new: &'static str, again: &'static str| {
        [("current_password", current), ("new_password", new), ("new_password_confirmation", again)]
    };
    let (status, error) =
        call(&app, ChangePassword::PATH, Some(&here), &change("wrong one!", "a new long secret", "a new long secret"))
            .await;
    assert_eq!(status, 422);
    assert!(error.to_string().contains("current_password"), "{error}");
    let (status, error) = call(&app, ChangePassword::PATH, Some(&here), &change(PASSWORD, "short", "short")).await;
    assert_eq!(status, 422);
    assert!(error.to_string().contains("new_password"), "{error}");
    let (status, error) =
        call(&app, ChangePassword::PATH, Some(&here), &change(PASSWORD, "a new long secret", "another long secret"))
            .await;
    assert_eq!(status, 422);
    assert!(error.to_string().contains("new_password_confirmation"), "{error}");
    let (status, _) =
        call(&app, ChangePassword::PATH, None, &change(PASSWORD, "a new long secret", "a new long secret")).await;
    assert_eq!(status, 401, "signed out, nothing changes");

    let (status, location, _) =
        post_form(&app, ChangePassword::PATH, Some(&here), &change(PASSWORD, "a new long secret", "a new long secret"))
            .await;
    assert_eq!((status, location.as_deref()), (302, Some("/account?changed=1")));
    assert_eq!(page(&app, "/dashboard", Some(&here)).await.0, 200);
    assert_eq!(page(&app, "/dashboard", Some(&elsewhere)).await.0, 303);
    sign_in(&app, "ana@acme.example", "a new long secret").await;
    let (status, _) = call(&app, SignIn::PATH, None, &[("email", "ana@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(status, 422, "the old password no longer works");
});

on_each_database!(a_forgotten_password_is_reset_by_a_link_that_works_once, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Editor).await;
    let before = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let (_, token) = password_reset::request(&app.db, "ana@acme.example", Utc::now()).await.unwrap().unwrap();
    let (_, spare) = password_reset::request(&app.db, "Ana@acme.example", Utc::now()).await.unwrap().unwrap();
    let ask = |email: &'static str| [("email", email)];
    let known = post_form(&app, RequestPasswordReset::PATH, None, &ask("ana@acme.example")).await;
    let unknown = post_form(&app, RequestPasswordReset::PATH, None, &ask("nobody@acme.example")).await;
    assert_eq!((known.0, known.1.as_deref()), (302, Some("/forgot-password?sent=1")));
    assert_eq!((unknown.0, unknown.1), (known.0, known.1), "the answer does not tell which accounts exist");
    post_form(&app, RequestPasswordReset::PATH, None, &ask("ana@acme.example")).await;
    assert_eq!(password_resets::Entity::find().count(&app.db).await.unwrap(), 3, "at most 3 links an hour");
    let (status, error) = call(&app, RequestPasswordReset::PATH, None, &ask("not an address")).await;
    assert_eq!(status, 422, "{error}");

    let (status, html) = page(&app, &format!("/reset-password/{token}"), None).await;
    assert_eq!(status, 200);
    assert!(html.contains("ana@acme.example") && html.contains("Choose a new password"), "{html}");
    fn reset_fields<'a>(token: &'a str, password: &'a str, again: &'a str) -> [(&'a str, &'a str); 3] {
        [("token", token), ("new_password", password), ("new_password_confirmation", again)]
    }
    let (status, error) = call(&app, ResetPassword::PATH, None, &reset_fields(&token, "short", "short")).await;
    assert_eq!(status, 422);
    assert!(error.to_string().contains("new_password"), "{error}");
    let differ = reset_fields(&token, "a fresh long secret", "another long secret");
    let (status, error) = call(&app, ResetPassword::PATH, None, &differ).await;
    assert_eq!(status, 422);
    assert!(error.to_string().contains("new_password_confirmation"), "{error}");

    let good = reset_fields(&token, "a fresh long secret", "a fresh long secret");
    let (status, location, cookie) = post_form(&app, ResetPassword::PATH, None, &good).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard")));
    let after = cookie.expect("signed in").split(';').next().unwrap().to_owned();
    assert_eq!(page(&app, "/dashboard", Some(&after)).await.0, 200);
    assert_eq!(page(&app, "/dashboard", Some(&before)).await.0, 303, "every earlier session ended");
    let (status, _) = call(&app, ResetPassword::PATH, None, &good).await;
    assert_eq!(status, 409, "the link works once");
    let (status, _) = page(&app, &format!("{}?token={spare}", GetPasswordReset::PATH), None).await;
    assert_eq!(status, 409, "and the other open links stop working too");
    sign_in(&app, "ana@acme.example", "a fresh long secret").await;
    let (status, _) = call(&app, SignIn::PATH, None, &[("email", "ana@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(status, 422, "the old password no longer works");
    assert_eq!(page(&app, "/reset-password/hrlr_made-up", None).await.0, 409);

    // A link left longer than an hour no longer works.
    password_resets::Entity::delete_many().exec(&app.db).await.unwrap();
    let two_hours_ago = Utc::now() - chrono::TimeDelta::hours(2);
    let (_, stale) = password_reset::request(&app.db, "ana@acme.example", two_hours_ago).await.unwrap().unwrap();
    let (status, error) = page(&app, &format!("{}?token={stale}", GetPasswordReset::PATH), None).await;
    assert_eq!(status, 409, "{error}");
    assert!(error.contains("expired"), "{error}");
});
