//! RSS, Atom and iCalendar feeds: well-formed (each parsed back by a reader library or checked
//! line by line), stable ids, updates and cancellations reflected, one component's narrowing.

use crate::accounts::join;
use crate::on_each_database;
use crate::support::{insert_component, insert_organization_with_api};
use app::ssr::admin::maintenance::{self as planner, MaintenanceTransition, NewMaintenance};
use app::ssr::caller::{Caller, Via};
use app::ssr::incidents::{self, Author, OpenIncident, UpdateIncident};
use chrono::{TimeDelta, Utc};
use herald::{ComponentStatus, Impact, IncidentSource, IncidentStatus, MaintenanceStatus, Role};

on_each_database!(feeds_follow_incidents_and_maintenance, |app| async move {
    let acme = insert_organization_with_api(&app.db, "acme").await;
    let web = insert_component(&app.db, acme.id, "web", "Website").await;
    let api = crate::notifications::api_component(&app.db, acme.id).await;
    let incident = incidents::open(
        &app.db,
        None,
        acme.id,
        OpenIncident {
            name: "Login <errors>".into(),
            impact: Impact::Minor,
            status: IncidentStatus::Investigating,
            message: "Looking into *it*.".into(),
            components: vec![(api.id, ComponentStatus::DegradedPerformance)],
            notify_subscribers: true,
            started_at: None,
            source: IncidentSource::Manual,
            external_key: None,
            author: Author::system("Test"),
        },
        Utc::now(),
    )
    .await
    .expect("open an incident");
    incidents::post_update(
        &app.db,
        None,
        acme.id,
        incident.id,
        UpdateIncident {
            status: IncidentStatus::Resolved,
            message: "Fixed.".into(),
            components: Vec::new(),
            notify_subscribers: true,
            at: None,
            author: Author::system("Test"),
        },
        Utc::now(),
    )
    .await
    .expect("resolve it");
    let ana = join(&app, "ana@acme.example", acme.id, Role::Editor).await;
    let editor = Caller {
        organization_id: acme.id,
        role: Role::Editor,
        via: Via::Person { user_id: ana, email: "ana@acme.example".into() },
    };
    let start = Utc::now() + TimeDelta::days(2);
    let mut windows = Vec::new();
    for name in ["Database upgrade", "Network change"] {
        let scheduled = planner::schedule(
            &app.db,
            None,
            &editor,
            NewMaintenance {
                name: name.into(),
                message: "Writes pause for a minute.".into(),
                scheduled_start: start,
                scheduled_end: start + TimeDelta::hours(1),
                component_ids: vec![web.id],
                auto_start: None,
                auto_complete: None,
            },
            Utc::now(),
        )
        .await
        .expect("schedule maintenance");
        windows.push(scheduled.id);
    }
    planner::move_to(
        &app.db,
        None,
        &editor,
        windows[1],
        MaintenanceStatus::Cancelled,
        MaintenanceTransition { message: None },
        Utc::now(),
    )
    .await
    .expect("cancel one");

    let response = app.get("/s/acme/history.rss").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/rss+xml"));
    let rss = rss::Channel::read_from(&response.bytes().await.expect("a body")[..]).expect("valid RSS");
    assert_eq!(rss.title(), "acme Inc status");
    assert_eq!(rss.items().len(), 3);
    let item =
        rss.items().iter().find(|item| item.title().unwrap_or_default().contains("Login")).expect("the incident");
    assert_eq!(item.title(), Some("Login <errors> [Resolved]"));
    assert_eq!(
        item.guid().map(|guid| guid.value()),
        Some(app.url(&format!("/s/acme/incidents/{}", incident.id)).as_str())
    );
    let description = item.description().unwrap_or_default();
    assert!(description.contains("<em>it</em>") && description.contains("Fixed."), "{description}");

    let atom = app.get("/s/acme/history.atom").await.bytes().await.expect("a body");
    let atom = atom_syndication::Feed::read_from(&atom[..]).expect("valid Atom");
    assert_eq!(atom.entries().len(), 3);
    assert!(atom.links().iter().any(|link| link.rel() == "self" && link.href().ends_with("/s/acme/history.atom")));

    // One component's feed has only what touched it.
    let web_feed = app.get("/s/acme/components/web/history.rss").await.bytes().await.expect("a body");
    let web_feed = rss::Channel::read_from(&web_feed[..]).expect("valid RSS");
    assert_eq!(web_feed.title(), "acme Inc status: Website");
    assert!(web_feed.items().iter().all(|item| item.title().unwrap_or_default().starts_with("Maintenance: ")));
    assert_eq!(app.get("/s/acme/components/nope/history.rss").await.status().as_u16(), 404);
    assert_eq!(app.get("/s/nobody/history.atom").await.status().as_u16(), 404);

    let response = app.get("/s/acme/maintenance.ics").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/calendar"));
    let ics = response.text().await.expect("a body").replace("\r\n ", "");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.trim_end().ends_with("END:VCALENDAR"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    let host = app.address.ip().to_string();
    assert!(ics.contains(&format!("UID:maintenance-{}@{host}", windows[0])), "{ics}");
    assert!(ics.contains(&format!("UID:maintenance-{}@{host}", windows[1])));
    assert!(ics.contains("STATUS:CONFIRMED") && ics.contains("STATUS:CANCELLED"));
    assert!(ics.contains(&format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ"))), "{ics}");
    assert!(ics.contains("SUMMARY:acme Inc: Database upgrade"));
    // The cancelled one's sequence went up, so calendars replace their copy.
    assert!(ics.contains("SEQUENCE:2"), "{ics}");
});
