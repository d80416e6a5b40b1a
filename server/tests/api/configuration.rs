//! Config as code: export, plan, apply and prune an organization's setup, by stable keys, in
//! one transaction; bad documents are refused with where and why, and change nothing.

use crate::on_each_database;
use app::error::AppError;
use app::ssr::configuration::{ImportOptions, export, from_yaml, import, to_yaml};
use app::ssr::demo::{DemoOptions, seed};
use app::ssr::repositories::audit::Actor;
use app::ssr::status_page::organization;
use chrono::Utc;
use herald::{ConfigurationChange, Name};
use std::time::{Duration, Instant};

fn options(prune: bool, dry_run: bool) -> ImportOptions {
    ImportOptions { prune, dry_run, ..ImportOptions::default() }
}

on_each_database!(an_exported_setup_applies_to_itself_as_nothing, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = organization(&app.db, "demo").await.unwrap();
    let exported = export(&app.db, &demo).await.unwrap();
    let yaml = to_yaml("demo", &exported).unwrap();
    assert!(yaml.contains("key: core-platform") && yaml.contains("brand_colour: '#4f46e5'"), "{yaml}");
    let read_back = from_yaml(&yaml).unwrap();
    assert_eq!(read_back, exported, "YAML round-trips");
    let plan = import(&app.db, None, Actor::System("test"), "demo", &read_back, options(true, false), Utc::now())
        .await
        .unwrap()
        .plan;
    assert_eq!(plan, Vec::new(), "nothing to do, even with pruning");
});

on_each_database!(a_changed_document_is_planned_then_applied_by_key, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = organization(&app.db, "demo").await.unwrap();
    let mut wanted = export(&app.db, &demo).await.unwrap();
    // Rename API and move it to the end of its group; add a component and a template.
    let api = wanted.components.iter().position(|component| component.key.as_str() == "api").unwrap();
    let mut moved = wanted.components.remove(api);
    moved.name = Name::parse("Public API").unwrap();
    let last_in_core = wanted
        .components
        .iter()
        .rposition(|c| c.group.as_ref().is_some_and(|g| g.as_str() == "core-platform"))
        .unwrap();
    wanted.components.insert(last_in_core + 1, moved);
    let yaml = to_yaml("demo", &wanted).unwrap().replace(
        "templates: []",
        "templates:\n- key: db-outage\n  kind: incident\n  name: Database outage\n  title: Database unavailable\n  body: We are restoring the database.\n  impact: critical\n  components: [api]\n",
    );
    let yaml = yaml.replace(
        "components:\n",
        "components:\n- key: status-api\n  name: Status API\n  description: This very page, for machines\n",
    );
    let wanted = from_yaml(&yaml).unwrap_or_else(|error| panic!("{error}\n{yaml}"));

    let dry = import(&app.db, None, Actor::System("test"), "demo", &wanted, options(false, true), Utc::now())
        .await
        .unwrap()
        .plan;
    let lines: Vec<String> = dry.iter().map(ToString::to_string).collect();
    assert!(lines.contains(&"+ component status-api".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"+ template db-outage".to_owned()), "{lines:#?}");
    assert!(
        lines.iter().any(|line| line.starts_with("~ component api:") && line.contains("\"Public API\"")),
        "{lines:#?}"
    );
    assert_eq!(
        export(&app.db, &demo).await.unwrap().components.len(),
        wanted.components.len() - 1,
        "a dry run writes nothing"
    );

    // Someone is polling the API: the change reaches it like any other.
    let before: serde_json::Value = app.get("/s/demo/api/v2/components.json").await.json().await.unwrap();
    assert!(!before.to_string().contains("Status API"));
    let applied = import(&app.db, None, Actor::System("test"), "demo", &wanted, options(false, false), Utc::now())
        .await
        .unwrap()
        .plan;
    assert_eq!(applied, dry);
    let after = export(&app.db, &demo).await.unwrap();
    assert_eq!(after.components, wanted.components, "the page order is the document's order");
    assert_eq!(after.templates, wanted.templates);
    let started = Instant::now();
    loop {
        let body = app.get("/s/demo/api/v2/components.json").await.text().await.unwrap();
        if body.contains("Status API") && body.contains("Public API") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the API never showed the new setup");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        import(&app.db, None, Actor::System("test"), "demo", &wanted, options(false, false), Utc::now())
            .await
            .unwrap()
            .plan,
        Vec::new()
    );
});

on_each_database!(pruning_deletes_only_what_the_document_leaves_out, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = organization(&app.db, "demo").await.unwrap();
    let mut wanted = export(&app.db, &demo).await.unwrap();
    wanted.components.retain(|component| component.key.as_str() != "legacy-api-v1");
    let kept = import(&app.db, None, Actor::System("test"), "demo", &wanted, options(false, false), Utc::now())
        .await
        .unwrap()
        .plan;
    assert_eq!(kept, Vec::new(), "without --prune, what is left out stays");
    let pruned = import(&app.db, None, Actor::System("test"), "demo", &wanted, options(true, false), Utc::now())
        .await
        .unwrap()
        .plan;
    assert_eq!(pruned, vec![ConfigurationChange::Delete { kind: "component", key: "legacy-api-v1".into() }]);
    let after = export(&app.db, &demo).await.unwrap();
    assert!(after.components.iter().all(|component| component.key.as_str() != "legacy-api-v1"));
    assert_eq!(after.components.len(), wanted.components.len());
});

on_each_database!(bad_documents_say_where_and_change_nothing, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = organization(&app.db, "demo").await.unwrap();
    let yaml = to_yaml("demo", &export(&app.db, &demo).await.unwrap()).unwrap();
    let cases = [
        (yaml.replace("time_zone: Europe/Berlin", "time_zone: Mars/Olympus"), "Mars/Olympus"),
        (yaml.replace("  collapsed: false\n", "  collapsed: false\n  colour: red\n"), "colour"),
        (yaml.replace("key: dashboard", "key: api"), "used twice"),
        (yaml.replace("group: data", "group: nowhere"), "nowhere"),
        (yaml.replace("version: 1", "version: 7"), "version 7"),
        (yaml.replace("- key: website", "- key: Web Site"), "line"),
        ("organization: [".to_owned(), "cannot be read"),
    ];
    for (document, hint) in cases {
        match from_yaml(&document) {
            Err(AppError::Invalid { message, .. }) => assert!(message.contains(hint), "{hint}: {message}"),
            other => panic!("{hint}: {other:?}"),
        }
    }
    assert_eq!(to_yaml("demo", &export(&app.db, &demo).await.unwrap()).unwrap(), yaml, "nothing changed");
    let unknown = import(
        &app.db,
        None,
        Actor::System("test"),
        "nobody",
        &from_yaml(&yaml).unwrap(),
        options(false, false),
        Utc::now(),
    )
    .await;
    assert!(matches!(unknown, Err(AppError::NotFound(_))));
});

on_each_database!(checks_travel_with_the_setup, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = organization(&app.db, "demo").await.unwrap();
    let yaml = to_yaml("demo", &export(&app.db, &demo).await.unwrap()).unwrap();
    assert!(!yaml.contains("checks:"), "the demo has no checks");
    let with_checks = format!(
        "{yaml}checks:\n\
         - key: api-health\n  name: API health\n  component: api\n  kind: http\n  target:\n    url: https://api.example.com/health\n  interval_seconds: 60\n  degraded_latency_ms: 800\n\
         - key: nightly-backup\n  name: Nightly backup\n  kind: heartbeat\n  target:\n    grace_seconds: 600\n  interval_seconds: 3600\n\
         - key: db-port\n  name: Database port\n  component: api\n  kind: tcp\n  target:\n    host: db.internal\n    port: 5432\n  paused: true\n"
    );
    let wanted = from_yaml(&with_checks).unwrap_or_else(|error| panic!("{error}\n{with_checks}"));
    let imported =
        import(&app.db, None, Actor::System("test"), "demo", &wanted, options(false, false), Utc::now()).await.unwrap();
    let lines: Vec<String> = imported.plan.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["+ check api-health", "+ check nightly-backup", "+ check db-port"]);
    assert_eq!(imported.heartbeat_paths.len(), 1);
    let (check, path) = &imported.heartbeat_paths[0];
    assert_eq!(check, "nightly-backup");
    assert!(path.starts_with("/api/v1/heartbeat/hrlh_"), "{path}");
    let ping = app.client.post(app.url(path)).send().await.unwrap();
    assert_eq!(ping.status().as_u16(), 200, "the printed URL is the heartbeat's");

    // The export now carries them with every setting spelled out, and applies as nothing.
    let exported = export(&app.db, &demo).await.unwrap();
    let keys: Vec<&str> = exported.checks.iter().map(|check| check.key.as_str()).collect();
    assert_eq!(keys, ["api-health", "db-port", "nightly-backup"]);
    let health = &exported.checks[0];
    assert_eq!(health.component.as_ref().map(|key| key.as_str()), Some("api"));
    assert_eq!((health.degraded_latency_ms, health.confirmations, health.auto_incident), (Some(800), 3, true));
    assert_eq!(health.target["method"], "GET", "{}", health.target);
    assert!(exported.checks[1].paused);
    let again = from_yaml(&to_yaml("demo", &exported).unwrap()).unwrap();
    assert_eq!(again, exported, "YAML round-trips");
    assert_eq!(
        import(&app.db, None, Actor::System("test"), "demo", &again, options(true, false), Utc::now())
            .await
            .unwrap()
            .plan,
        Vec::new()
    );
    assert_eq!(
        import(&app.db, None, Actor::System("test"), "demo", &wanted, options(false, false), Utc::now())
            .await
            .unwrap()
            .plan,
        Vec::new(),
        "defaults left out of the document are not a change"
    );

    // Changes are checked as the dashboard checks them, and refused whole.
    let mut faster = exported.clone();
    faster.checks[0].interval_seconds = 5;
    match import(&app.db, None, Actor::System("test"), "demo", &faster, options(false, false), Utc::now()).await {
        Err(AppError::Invalid { message, .. }) => {
            assert!(message.starts_with("Check \"api-health\": "), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let mut retyped = exported.clone();
    retyped.checks[1].kind = herald::CheckKind::Dns;
    retyped.checks[1].target = serde_json::json!({"host": "db.internal"});
    match import(&app.db, None, Actor::System("test"), "demo", &retyped, options(false, false), Utc::now()).await {
        Err(AppError::Invalid { message, .. }) => assert!(message.contains("cannot become a dns check"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(export(&app.db, &demo).await.unwrap(), exported, "a refused document changes nothing");

    // An update by key keeps the check (and its history); pruning removes the ones left out.
    let mut changed = exported.clone();
    changed.checks[0].interval_seconds = 120;
    changed.checks.remove(2);
    let plan = import(&app.db, None, Actor::System("test"), "demo", &changed, options(true, false), Utc::now())
        .await
        .unwrap()
        .plan;
    let lines: Vec<String> = plan.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["~ check api-health: interval_seconds 60 → 120", "- check nightly-backup"]);
    let after = export(&app.db, &demo).await.unwrap();
    assert_eq!(after.checks, changed.checks);
});
