//! Members and invitations: inviting, accepting with a new or an existing account, single-use
//! links that expire and can be withdrawn, roles changed and members removed by Admins only,
//! and an organization that always keeps an Admin.

use crate::accounts::{PASSWORD, call, join, member, page, post_form, sign_in};
use crate::on_each_database;
use crate::support::TestApp;
use app::api::dashboard::GetWorkspace;
use app::api::members::{
    AcceptInvitation, ChangeMemberRole, GetInvitation, GetMembers, InviteMember, RemoveMember, RevokeInvitation,
};
use app::ssr::entities::{audit_log, invitations};
use chrono::{TimeDelta, Utc};
use herald::Role;
use leptos::server_fn::ServerFn;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

async fn read(app: &TestApp, path: &str, query: &[(&str, &str)], cookie: Option<&str>) -> (u16, Value) {
    let mut request = app.client.get(app.url(path)).query(query);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Invites as a browser without JavaScript; returns the token from the page it lands on.
async fn invite(app: &TestApp, cookie: &str, slug: &str, email: &str, role: &str) -> String {
    let (status, location, _) =
        post_form(app, InviteMember::PATH, Some(cookie), &[("slug", slug), ("email", email), ("role", role)]).await;
    let location = location.unwrap_or_default();
    assert_eq!(status, 302, "{location}");
    let token = location.split("?invited=").nth(1).unwrap_or_else(|| panic!("no token in {location}"));
    assert!(token.starts_with("hrli_"), "{token}");
    token.to_owned()
}

async fn user_id(app: &TestApp, cookie: &str, slug: &str, email: &str) -> i64 {
    let (status, team) = read(app, GetMembers::PATH, &[("slug", slug)], Some(cookie)).await;
    assert_eq!(status, 200, "{team}");
    team["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|member| member["email"] == email)
        .and_then(|member| member["user_id"].as_i64())
        .unwrap_or_else(|| panic!("{email} is not in {team}"))
}

on_each_database!(an_invited_person_joins_with_a_new_account, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let token = invite(&app, &ana, "acme", "New.Person@Acme.example", "editor").await;
    let (status, html) = page(&app, &format!("/dashboard/acme/members?invited={token}"), Some(&ana)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/invitations/{token}")), "the Admin sees the link to send");
    assert!(html.contains("new.person@acme.example") && html.contains("Pending invitations"), "{html}");

    let (status, html) = page(&app, &format!("/invitations/{token}"), None).await;
    assert_eq!(status, 200);
    assert!(html.contains("Join acme Inc") && html.contains("Choose a password"), "{html}");
    let (_, offer) = read(&app, GetInvitation::PATH, &[("token", &token)], None).await;
    assert_eq!((offer["role"].as_str(), offer["account_exists"].as_bool()), (Some("editor"), Some(false)));

    let (status, error) = call(
        &app,
        AcceptInvitation::PATH,
        None,
        &[("token", &token), ("password", "short"), ("password_confirmation", "short")],
    )
    .await;
    assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some("password")));
    let (status, location, cookie) = post_form(
        &app,
        AcceptInvitation::PATH,
        None,
        &[("token", &token), ("password", "a long new secret"), ("password_confirmation", "a long new secret")],
    )
    .await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme")));
    let cookie = cookie.expect("the new account is signed in").split(';').next().unwrap().to_owned();
    let (status, workspace) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], Some(&cookie)).await;
    assert_eq!(status, 200);
    assert_eq!(
        (workspace["organization"]["role"].as_str(), workspace["organization"]["may_edit"].as_bool()),
        (Some("Editor"), Some(true))
    );
    sign_in(&app, "new.person@acme.example", "a long new secret").await;

    let (status, error) = call(
        &app,
        AcceptInvitation::PATH,
        None,
        &[("token", &token), ("password", "another long one"), ("password_confirmation", "another long one")],
    )
    .await;
    assert_eq!(status, 409, "the link works once: {error}");
    let (status, team) = read(&app, GetMembers::PATH, &[("slug", "acme")], Some(&ana)).await;
    assert_eq!(status, 200);
    assert_eq!(team["members"].as_array().map(Vec::len), Some(2));
    assert_eq!(team["pending"].as_array().map(Vec::len), Some(0));
    let actions: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::OrganizationId.eq(acme))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert!(actions.contains(&"member.invited".into()) && actions.contains(&"member.joined".into()), "{actions:?}");
});

on_each_database!(an_existing_account_accepts_signed_in_as_the_invited_address, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Admin).await;
    member(&app, "bo@other.example", "other", Role::Admin).await;
    member(&app, "carol@third.example", "third", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let token = invite(&app, &ana, "acme", "bo@other.example", "viewer").await;
    let (_, offer) = read(&app, GetInvitation::PATH, &[("token", &token)], None).await;
    assert_eq!(offer["account_exists"], true);
    let (_, html) = page(&app, &format!("/invitations/{token}"), None).await;
    assert!(html.contains("Sign in to accept"), "{html}");
    let (status, _) = call(
        &app,
        AcceptInvitation::PATH,
        None,
        &[("token", &token), ("password", "a long new secret"), ("password_confirmation", "a long new secret")],
    )
    .await;
    assert_eq!(status, 409, "no second account for an address that has one");

    let carol = sign_in(&app, "carol@third.example", PASSWORD).await;
    let (status, error) = call(&app, AcceptInvitation::PATH, Some(&carol), &[("token", &token)]).await;
    assert_eq!(status, 403, "{error}");
    assert!(error.to_string().contains("bo@other.example"), "{error}");

    let bo = sign_in(&app, "bo@other.example", PASSWORD).await;
    let (status, location, _) = post_form(&app, AcceptInvitation::PATH, Some(&bo), &[("token", &token)]).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme")));
    let (status, workspace) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], Some(&bo)).await;
    assert_eq!((status, workspace["organization"]["may_edit"].as_bool()), (200, Some(false)), "joined as a Viewer");
    let (_, html) = page(&app, "/dashboard", Some(&bo)).await;
    assert!(html.contains("acme Inc") && html.contains("other Inc"), "both organizations are listed");
    let (status, _) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], Some(&carol)).await;
    assert_eq!(status, 404, "carol did not get in");
});

on_each_database!(links_expire_can_be_withdrawn_and_a_new_invitation_replaces_the_old, |app| async move {
    member(&app, "ana@acme.example", "acme", Role::Admin).await;
    member(&app, "bo@other.example", "other", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let first = invite(&app, &ana, "acme", "x@acme.example", "viewer").await;
    let second = invite(&app, &ana, "acme", "x@acme.example", "editor").await;
    let (status, error) = read(&app, GetInvitation::PATH, &[("token", &first)], None).await;
    assert_eq!(status, 409, "{error}");
    assert!(error.to_string().contains("withdrawn"), "{error}");
    let (status, offer) = read(&app, GetInvitation::PATH, &[("token", &second)], None).await;
    assert_eq!((status, offer["role"].as_str()), (200, Some("editor")));
    let (_, team) = read(&app, GetMembers::PATH, &[("slug", "acme")], Some(&ana)).await;
    let pending = team["pending"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "{team}");
    let id = pending[0]["id"].as_i64().unwrap().to_string();

    let bo = sign_in(&app, "bo@other.example", PASSWORD).await;
    let (status, _) = call(&app, RevokeInvitation::PATH, Some(&bo), &[("slug", "other"), ("invitation_id", &id)]).await;
    assert_eq!(status, 404, "another organization's invitation");
    let (status, _) = call(&app, RevokeInvitation::PATH, Some(&ana), &[("slug", "acme"), ("invitation_id", &id)]).await;
    assert!(status < 400);
    let (status, _) = read(&app, GetInvitation::PATH, &[("token", &second)], None).await;
    assert_eq!(status, 409);
    let (status, _) = call(&app, RevokeInvitation::PATH, Some(&ana), &[("slug", "acme"), ("invitation_id", &id)]).await;
    assert_eq!(status, 409, "already withdrawn");

    let late = invite(&app, &ana, "acme", "late@acme.example", "viewer").await;
    let row = invitations::Entity::find()
        .filter(invitations::Column::Email.eq("late@acme.example"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    invitations::ActiveModel {
        id: Set(row.id),
        expires_at: Set(Utc::now() - TimeDelta::seconds(1)),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    let (status, error) = read(&app, GetInvitation::PATH, &[("token", &late)], None).await;
    assert_eq!(status, 409);
    assert!(error.to_string().contains("expired"), "{error}");
    let (status, _) = read(&app, GetInvitation::PATH, &[("token", "hrli_not-a-real-one")], None).await;
    assert_eq!(status, 404);
    assert_eq!(page(&app, "/invitations/garbage", None).await.0, 404);

    for (email, role, field) in [
        ("ana@acme.example", "editor", "email"),
        ("not an address", "editor", "email"),
        ("y@acme.example", "owner", "role"),
    ] {
        let (status, error) =
            call(&app, InviteMember::PATH, Some(&ana), &[("slug", "acme"), ("email", email), ("role", role)]).await;
        assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some(field)), "{error}");
    }
});

on_each_database!(only_admins_manage_members_and_the_last_admin_stays, |app| async move {
    let acme = member(&app, "ana@acme.example", "acme", Role::Admin).await;
    join(&app, "eve@acme.example", acme, Role::Editor).await;
    join(&app, "vic@acme.example", acme, Role::Viewer).await;
    member(&app, "bo@other.example", "other", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let ana_id = user_id(&app, &ana, "acme", "ana@acme.example").await.to_string();
    let eve_id = user_id(&app, &ana, "acme", "eve@acme.example").await.to_string();
    let vic_id = user_id(&app, &ana, "acme", "vic@acme.example").await.to_string();

    for email in ["eve@acme.example", "vic@acme.example"] {
        let cookie = sign_in(&app, email, PASSWORD).await;
        let (status, _) = read(&app, GetMembers::PATH, &[("slug", "acme")], Some(&cookie)).await;
        assert_eq!(status, 403, "{email} lists members");
        let attempts: [(&str, Vec<(&str, &str)>); 4] = [
            (InviteMember::PATH, vec![("email", "z@acme.example"), ("role", "admin")]),
            (ChangeMemberRole::PATH, vec![("user_id", &vic_id), ("role", "admin")]),
            (RemoveMember::PATH, vec![("user_id", &ana_id)]),
            (RevokeInvitation::PATH, vec![("invitation_id", "1")]),
        ];
        for (path, mut fields) in attempts {
            fields.push(("slug", "acme"));
            let (status, _) = call(&app, path, Some(&cookie), &fields).await;
            assert_eq!(status, 403, "{email} at {path}");
        }
        let (_, html) = page(&app, "/dashboard/acme", Some(&cookie)).await;
        assert!(!html.contains("/dashboard/acme/members"), "no Members link for {email}");
    }

    fn change<'a>(user: &'a str, role: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![("slug", "acme"), ("user_id", user), ("role", role)]
    }
    let (status, error) = call(&app, ChangeMemberRole::PATH, Some(&ana), &change(&ana_id, "editor")).await;
    assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some("role")), "{error}");
    let (status, _) = call(&app, RemoveMember::PATH, Some(&ana), &[("slug", "acme"), ("user_id", &ana_id)]).await;
    assert_eq!(status, 409, "the last Admin cannot leave");

    let bo = sign_in(&app, "bo@other.example", PASSWORD).await;
    let (status, _) = call(&app, ChangeMemberRole::PATH, Some(&bo), &change(&eve_id, "viewer")).await;
    assert_eq!(status, 404, "bo is not in acme");
    let (status, _) =
        call(&app, ChangeMemberRole::PATH, Some(&bo), &[("slug", "other"), ("user_id", &eve_id), ("role", "viewer")])
            .await;
    assert_eq!(status, 404, "eve is not in other");

    let (status, location, _) = post_form(&app, ChangeMemberRole::PATH, Some(&ana), &change(&eve_id, "admin")).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/members")));
    let (status, _) = call(&app, ChangeMemberRole::PATH, Some(&ana), &change(&ana_id, "editor")).await;
    assert!(status < 400, "with another Admin, ana may step down");
    let (_, workspace) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], Some(&ana)).await;
    assert_eq!(workspace["organization"]["may_administer"], false);
    let (status, _) = read(&app, GetMembers::PATH, &[("slug", "acme")], Some(&ana)).await;
    assert_eq!(status, 403, "and is no longer an Admin");

    let eve = sign_in(&app, "eve@acme.example", PASSWORD).await;
    let (status, _) = call(&app, RemoveMember::PATH, Some(&eve), &[("slug", "acme"), ("user_id", &vic_id)]).await;
    assert!(status < 400);
    let vic = sign_in(&app, "vic@acme.example", PASSWORD).await;
    let (status, _) = read(&app, GetWorkspace::PATH, &[("slug", "acme")], Some(&vic)).await;
    assert_eq!(status, 404, "a removed member no longer gets in");
});

on_each_database!(admins_make_list_and_revoke_api_tokens_on_the_dashboard, |app| async move {
    use app::api::api_tokens::{CreateApiToken, GetApiTokens, RevokeApiToken};
    let acme = member(&app, "ana@acme.example", "acme", Role::Admin).await;
    join(&app, "ed@acme.example", acme, Role::Editor).await;
    member(&app, "eve@evil.example", "evil", Role::Admin).await;
    let ana = sign_in(&app, "ana@acme.example", PASSWORD).await;
    let fields = |name: &'static str, scope: &'static str, days: &'static str| {
        vec![("slug", "acme"), ("name", name), ("scope", scope), ("role", "editor"), ("expires_in_days", days)]
    };

    let (status, made) = call(&app, CreateApiToken::PATH, Some(&ana), &fields("Deploy pipeline", "write", "30")).await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(made["name"], "Deploy pipeline");
    let token = made["token"].as_str().expect("the secret, once").to_owned();
    assert!(token.starts_with("hrlt_"), "{token}");

    // The token works on the API, and the list says it was used.
    let api = |token: String| {
        let app = &app;
        async move {
            app.client.get(app.url("/api/v1/components")).bearer_auth(token).send().await.unwrap().status().as_u16()
        }
    };
    assert_eq!(api(token.clone()).await, 200);
    let (status, listed) = read(&app, GetApiTokens::PATH, &[("slug", "acme")], Some(&ana)).await;
    assert_eq!(status, 200, "{listed}");
    let line = &listed["tokens"][0];
    assert_eq!(
        (line["name"].as_str(), line["scope"].as_str(), line["role"].as_str()),
        (Some("Deploy pipeline"), Some("write"), Some("editor"))
    );
    assert!(!line["last_used_at"].is_null() && !line["expires_at"].is_null() && line["works"] == true, "{line}");
    assert!(!listed.to_string().contains(&token), "the secret is never listed");

    // Bad input, named by field; nothing made.
    for (name, scope, days, field) in [
        ("", "write", "", "name"),
        ("Reader", "everything", "", "scope"),
        ("Reader", "read", "0", "expires_in_days"),
        ("Reader", "read", "soon", "expires_in_days"),
    ] {
        let (status, error) = call(&app, CreateApiToken::PATH, Some(&ana), &fields(name, scope, days)).await;
        assert_eq!((status, error.pointer("/Invalid/field").and_then(Value::as_str)), (422, Some(field)), "{error}");
    }
    let (_, listed) = read(&app, GetApiTokens::PATH, &[("slug", "acme")], Some(&ana)).await;
    assert_eq!(listed["tokens"].as_array().unwrap().len(), 1);

    // Editors do not manage tokens; another organization's Admin cannot reach this one's.
    let ed = sign_in(&app, "ed@acme.example", PASSWORD).await;
    assert_eq!(read(&app, GetApiTokens::PATH, &[("slug", "acme")], Some(&ed)).await.0, 403);
    assert_eq!(call(&app, CreateApiToken::PATH, Some(&ed), &fields("Mine", "read", "")).await.0, 403);
    let id = line["id"].as_i64().unwrap().to_string();
    let eve = sign_in(&app, "eve@evil.example", PASSWORD).await;
    let (status, _) = call(&app, RevokeApiToken::PATH, Some(&eve), &[("slug", "evil"), ("token_id", &id)]).await;
    assert_eq!(status, 404);
    assert_eq!(api(token.clone()).await, 200, "still working");

    // Revoked (a plain form post): it stops working at once and stays listed as revoked.
    let (status, location, _) =
        post_form(&app, RevokeApiToken::PATH, Some(&ana), &[("slug", "acme"), ("token_id", &id)]).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard/acme/api-tokens")));
    assert_eq!(api(token).await, 401);
    let (_, listed) = read(&app, GetApiTokens::PATH, &[("slug", "acme")], Some(&ana)).await;
    assert!(!listed["tokens"][0]["revoked_at"].is_null() && listed["tokens"][0]["works"] == false);
    let actions: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Action.starts_with("api_token."))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert_eq!(actions, ["api_token.created", "api_token.revoked"]);
    let (status, html) = page(&app, "/dashboard/acme/api-tokens", Some(&ana)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Deploy pipeline") && html.contains("Make a token"), "{html}");
});
