//! Config as code: export, plan, apply and prune an organization's setup, by stable keys, in
//! one transaction; bad documents are refused with where and why, and change nothing.

use crate::on_each_database;
use app::error::AppError;
use app::ssr::configuration::{export, from_yaml, import, to_yaml};
use app::ssr::demo::{DemoOptions, seed};
use app::ssr::repositories::audit::Actor;
use app::ssr::status_page::organization;
use chrono::Utc;
use herald::{ConfigurationChange, Name};
use std::time::{Duration, Instant};

on_each_database!(an_exported_setup_applies_to_itself_as_nothing, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = organization(&app.db, "demo").await.unwrap();
    let exported = export(&app.db, &demo).await.unwrap();
    let yaml = to_yaml("demo", &exported).unwrap();
    assert!(yaml.contains("key: core-platform") && yaml.contains("brand_colour: '#4f46e5'"), "{yaml}");
    let read_back = from_yaml(&yaml).unwrap();
    assert_eq!(read_back, exported, "YAML round-trips");
    let plan = import(&app.db, None, Actor::System("test"), "demo", &read_back, true, false, Utc::now()).await.unwrap();
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

    let dry = import(&app.db, None, Actor::System("test"), "demo", &wanted, false, true, Utc::now()).await.unwrap();
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
    let applied =
        import(&app.db, None, Actor::System("test"), "demo", &wanted, false, false, Utc::now()).await.unwrap();
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
        import(&app.db, None, Actor::System("test"), "demo", &wanted, false, false, Utc::now()).await.unwrap(),
        Vec::new()
    );
});

on_each_database!(pruning_deletes_only_what_the_document_leaves_out, |app| async move {
    seed(&app.db, DemoOptions::default(), Utc::now(), |_| {}).await.unwrap();
    let demo = organization(&app.db, "demo").await.unwrap();
    let mut wanted = export(&app.db, &demo).await.unwrap();
    wanted.components.retain(|component| component.key.as_str() != "legacy-api-v1");
    let kept = import(&app.db, None, Actor::System("test"), "demo", &wanted, false, false, Utc::now()).await.unwrap();
    assert_eq!(kept, Vec::new(), "without --prune, what is left out stays");
    let pruned = import(&app.db, None, Actor::System("test"), "demo", &wanted, true, false, Utc::now()).await.unwrap();
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
    let unknown =
        import(&app.db, None, Actor::System("test"), "nobody", &from_yaml(&yaml).unwrap(), false, false, Utc::now())
            .await;
    assert!(matches!(unknown, Err(AppError::NotFound(_))));
});
