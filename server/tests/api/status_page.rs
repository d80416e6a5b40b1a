//! The public status page as visitors and their browsers use it: cached and compressed
//! pages with validators, live updates over the WebSocket (also across replicas), badges,
//! the embed widget, custom domains, languages, and bad input.

use crate::on_each_database;
use crate::support::{TestApp, give_demo_a_domain, insert_organization_with_api, spawn_replica};
use app::model::LiveMessage;
use app::ssr::demo::{DemoOptions, seed};
use app::ssr::entities::incidents;
use app::ssr::operations::{self, ComponentChoice, OpenRequest, UpdateRequest};
use chrono::Utc;
use futures::StreamExt;
use herald::{ComponentStatus, Impact, IncidentStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

async fn with_demo(app: &TestApp) {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
}

async fn open_incident(app: &TestApp, name: &str, message: &str) -> i64 {
    let request = OpenRequest {
        name: name.into(),
        impact: Impact::Major,
        status: IncidentStatus::Investigating,
        message: message.into(),
        components: vec![ComponentChoice { key: "api".into(), status: None }],
        notify_subscribers: false,
    };
    operations::open_incident(&app.db, "demo", request, Utc::now()).await.unwrap()
}

/// Polls `path` until its body contains `needle`; returns how long that took.
async fn until_page_contains(app: &TestApp, address: SocketAddr, path: &str, needle: &str) -> Duration {
    let started = Instant::now();
    loop {
        let body = app.client.get(format!("http://{address}{path}")).send().await.unwrap().text().await.unwrap();
        if body.contains(needle) {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{path} never showed {needle:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(address: SocketAddr, slug: &str) -> Socket {
    let (socket, response) = tokio_tungstenite::connect_async(format!("ws://{address}/s/{slug}/live")).await.unwrap();
    assert_eq!(response.status().as_u16(), 101);
    socket
}

/// The next page the socket pushes.
async fn next_page(socket: &mut Socket) -> app::model::StatusPage {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a live message within 10 s")
            .expect("the socket stays open")
            .expect("a well-formed frame");
        if let Message::Text(text) = message {
            let LiveMessage::Page { page } = serde_json::from_str(&text).expect("a live message");
            return *page;
        }
    }
}

/// Reads pages until one satisfies `wanted`.
async fn until_pushed(socket: &mut Socket, wanted: impl Fn(&app::model::StatusPage) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let page = next_page(socket).await;
        if wanted(&page) {
            return started.elapsed();
        }
    }
}

on_each_database!(the_page_is_served_compressed_with_validators_and_304s, |app| async move {
    with_demo(&app).await;
    let response = app.client.get(app.url("/s/demo")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(headers["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(headers.contains_key("last-modified"));
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'self'"));
    let gzipped = response.bytes().await.unwrap();

    let brotli = app.client.get(app.url("/s/demo")).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["etag"].to_str().unwrap(), etag, "one representation set, one validator");
    assert!(brotli.bytes().await.unwrap().len() < gzipped.len());

    let plain = app.client.get(app.url("/s/demo")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let html = plain.text().await.unwrap();
    assert!(html.contains("Acme Cloud"));
    assert!(gzipped.len() * 4 < html.len(), "gzip is real: {} vs {}", gzipped.len(), html.len());

    let revalidated = app.client.get(app.url("/s/demo")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(revalidated.status(), 304);
    assert!(revalidated.bytes().await.unwrap().is_empty());
    let stale = app.client.get(app.url("/s/demo")).header("if-none-match", "\"other\"").send().await.unwrap();
    assert_eq!(stale.status(), 200);

    let head = app.client.head(app.url("/s/demo")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.bytes().await.unwrap().is_empty());
});

on_each_database!(a_change_reaches_the_cached_page_and_changes_its_etag, |app| async move {
    with_demo(&app).await;
    let before = app.get("/s/demo").await.headers()["etag"].to_str().unwrap().to_owned();
    open_incident(&app, "Payments are failing", "We are looking into failed card payments.").await;
    let took = until_page_contains(&app, app.address, "/s/demo", "Payments are failing").await;
    assert!(took < Duration::from_secs(3), "the page showed the incident after {took:?}");
    let after = app.get("/s/demo").await.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(before, after);
    let stale = app.client.get(app.url("/s/demo")).header("if-none-match", &before).send().await.unwrap();
    assert_eq!(stale.status(), 200, "the old validator no longer matches");
});

on_each_database!(the_live_socket_sends_the_page_then_every_change, |app| async move {
    with_demo(&app).await;
    let mut socket = connect(app.address, "demo").await;
    let first = next_page(&mut socket).await;
    assert_eq!(first.organization.slug, "demo");
    assert!(!first.sections.is_empty());

    let started = Instant::now();
    let id = open_incident(&app, "Login is slow", "Sign-in takes up to a minute.").await;
    until_pushed(&mut socket, |page| page.active_incidents.iter().any(|incident| incident.name == "Login is slow"))
        .await;
    assert!(started.elapsed() < Duration::from_secs(2), "pushed after {:?}", started.elapsed());

    let resolve = UpdateRequest {
        incident_id: id,
        status: IncidentStatus::Resolved,
        message: "Fixed.".into(),
        components: Vec::new(),
        notify_subscribers: false,
    };
    operations::update_incident(&app.db, "demo", resolve, Utc::now()).await.unwrap();
    until_pushed(&mut socket, |page| page.active_incidents.iter().all(|incident| incident.name != "Login is slow"))
        .await;

    let choice = ComponentChoice { key: "webhooks".into(), status: Some(ComponentStatus::MajorOutage) };
    operations::set_component_status(&app.db, "demo", &choice, Utc::now()).await.unwrap();
    until_pushed(&mut socket, |page| {
        page.sections.iter().any(|section| match section {
            app::model::Section::Group(group) => group
                .components
                .iter()
                .any(|component| component.key == "webhooks" && component.status == ComponentStatus::MajorOutage),
            app::model::Section::Component(_) => false,
        })
    })
    .await;
});

on_each_database!(a_change_on_one_replica_reaches_viewers_of_another, |app| async move {
    with_demo(&app).await;
    let (replica, _stop) = spawn_replica(&app).await;
    let mut on_replica = connect(replica, "demo").await;
    next_page(&mut on_replica).await;
    // Written through the first server's database connection, as another replica (or the
    // CLI) would: the replica learns of it from the database alone.
    open_incident(&app, "Replicated outage", "Seen everywhere.").await;
    let took = until_pushed(&mut on_replica, |page| {
        page.active_incidents.iter().any(|incident| incident.name == "Replicated outage")
    })
    .await;
    assert!(took < Duration::from_secs(3), "{took:?}");
    until_page_contains(&app, replica, "/s/demo", "Replicated outage").await;
});

on_each_database!(a_viewer_that_never_reads_does_not_hold_back_the_others, |app| async move {
    with_demo(&app).await;
    let _stalled = connect(app.address, "demo").await; // never read from
    let mut reader = connect(app.address, "demo").await;
    next_page(&mut reader).await;
    for round in 0..5 {
        let status = if round % 2 == 0 { ComponentStatus::PartialOutage } else { ComponentStatus::Operational };
        let choice = ComponentChoice { key: "search".into(), status: Some(status) };
        operations::set_component_status(&app.db, "demo", &choice, Utc::now()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let name = "After the stall";
    open_incident(&app, name, "Still live.").await;
    let took =
        until_pushed(&mut reader, |page| page.active_incidents.iter().any(|incident| incident.name == name)).await;
    assert!(took < Duration::from_secs(3), "{took:?}");
});

on_each_database!(the_live_socket_refuses_unknown_organizations, |app| async move {
    let outcome = tokio_tungstenite::connect_async(format!("ws://{}/s/nobody/live", app.address)).await;
    match outcome {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status().as_u16(), 404),
        other => panic!("expected a 404, got {other:?}"),
    }
});

on_each_database!(incident_bodies_are_rendered_safely, |app| async move {
    with_demo(&app).await;
    let id = open_incident(
        &app,
        "Markdown <b>test</b>",
        "**Bold** <script>alert('x')</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    .await;
    let (status, html) = app.get_text(&format!("/s/demo/incidents/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<strong>Bold</strong>"), "{html}");
    assert!(!html.contains("<script>alert"), "raw script must not pass");
    assert!(!html.contains("<img src=x"), "raw HTML must not pass");
    assert!(!html.contains("href=\"javascript:"), "script links must not pass");
    assert!(html.contains("Markdown &lt;b&gt;test&lt;/b&gt;"), "titles are text");
});

on_each_database!(incident_and_maintenance_pages_and_their_404s, |app| async move {
    with_demo(&app).await;
    let resolved = incidents::Entity::find()
        .filter(incidents::Column::ResolvedAt.is_not_null())
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo has a resolved incident");
    let (status, html) = app.get_text(&format!("/s/demo/incidents/{}", resolved.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains(&resolved.name));
    for path in
        ["/s/demo/incidents/999999", "/s/demo/incidents/abc", "/s/demo/maintenance/999999", "/s/nobody/incidents/1"]
    {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("<html"), "{path}: a whole page");
    }

    // Another organization's incident is not found under this slug.
    let other = insert_organization_with_api(&app.db, "other").await;
    let (status, _) = app.get_text(&format!("/s/{}/incidents/{}", other.slug, resolved.id)).await;
    assert_eq!(status, 404, "no leaking across organizations");
});

on_each_database!(history_is_paginated_and_absurd_parameters_are_ignored, |app| async move {
    with_demo(&app).await;
    let (status, first) = app.get_text("/s/demo/history").await;
    assert_eq!(status, 200);
    assert!(first.contains("Slow search queries"), "the demo's open incident is in this month: {first}");
    for query in ["?page=-1", "?page=abc", "?page=99999999999999999999", "?page=0&page=3", "?utm_source=x"] {
        let (status, html) = app.get_text(&format!("/s/demo/history{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(html.contains("Acme Cloud"), "{query}");
    }
    let (status, _) = app.get_text("/s/nobody/history").await;
    assert_eq!(status, 404);
});

on_each_database!(an_incident_opened_now_is_in_the_newest_month_of_history, |app| async move {
    with_demo(&app).await;
    open_incident(&app, "Payments timing out", "Looking into it.").await;
    let started = Instant::now();
    loop {
        let (status, html) = app.get_text("/s/demo/history").await;
        assert_eq!(status, 200);
        if html.contains("Payments timing out") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "history never listed the new incident: {html}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
});

on_each_database!(languages_follow_the_query_then_accept_language_then_the_default, |app| async move {
    with_demo(&app).await;
    let (_, german) = app.get_text("/s/demo?lang=de").await;
    assert!(german.contains("lang=\"de\""), "{german}");
    assert!(german.contains("Vorfall") || german.contains("Störung") || german.contains("Systeme"));
    let french =
        app.client.get(app.url("/s/demo")).header("accept-language", "fr-CH, fr;q=0.9, en;q=0.8").send().await.unwrap();
    assert!(french.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-language"));
    let french = french.text().await.unwrap();
    assert!(french.contains("lang=\"fr\""));
    let (_, fallback) = app.get_text("/s/demo?lang=xx-unknown").await;
    assert!(fallback.contains("lang=\"en\""), "an unknown language falls back to the organization's");
});

on_each_database!(the_embed_can_be_framed_anywhere_and_follows_theme_and_language, |app| async move {
    with_demo(&app).await;
    let response = app.get("/s/demo/embed").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors *"));
    assert!(response.headers().get("x-frame-options").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("href=\"/s/demo\""), "links to the full page");
    let (_, dark) = app.get_text("/s/demo/embed?theme=dark&lang=de").await;
    assert!(dark.contains("dark"), "{dark}");
    assert!(dark.contains("lang=\"de\""));
    let (status, _) = app.get_text("/s/nobody/embed").await;
    assert_eq!(status, 404);
});

on_each_database!(badges_are_svg_with_short_caching, |app| async move {
    with_demo(&app).await;
    let response = app.get("/s/demo/badge.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml; charset=utf-8");
    assert_eq!(response.headers()["cache-control"], "public, max-age=30");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let svg = response.text().await.unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("Acme Cloud"));
    let again = app.client.get(app.url("/s/demo/badge.svg")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);

    let (status, component) = app.get_text("/s/demo/components/api/badge.svg?style=for-the-badge&label=<API>").await;
    assert_eq!(status, 200);
    assert!(component.contains("&lt;API&gt;"), "{component}");
    assert!(component.contains("OPERATIONAL"), "{component}");
    let (_, german) = app.get_text("/s/demo/components/search/badge.svg?lang=de").await;
    assert!(!german.contains(">Degraded performance<"), "{german}");
    for path in ["/s/nobody/badge.svg", "/s/demo/components/nothing/badge.svg"] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
});

on_each_database!(a_custom_domain_serves_its_organization_at_the_root, |app| async move {
    with_demo(&app).await;
    give_demo_a_domain(&app.db, "status.acme.test").await;
    let started = Instant::now();
    loop {
        let response = app.client.get(app.url("/")).header("host", "status.acme.test:443").send().await.unwrap();
        let status = response.status();
        let html = response.text().await.unwrap();
        if status == 200 && html.contains("Acme Cloud") && html.contains("component") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the custom domain never served the page");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let badge = app.client.get(app.url("/badge.svg")).header("host", "STATUS.ACME.TEST").send().await.unwrap();
    assert_eq!(badge.headers()["content-type"], "image/svg+xml; charset=utf-8");
    let other =
        app.client.get(app.url("/")).header("host", "elsewhere.test").send().await.unwrap().text().await.unwrap();
    assert!(!other.contains("Uptime"), "other hosts get the instance's own front page");
});
