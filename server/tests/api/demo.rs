use crate::on_each_database;
use app::ssr::demo::{DEMO_SLUG, DemoOptions, DemoOutcome, seed};
use app::ssr::entities::{component_status_intervals, components, incidents, maintenances, organizations};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_each_database!(the_demo_is_complete_and_safe_to_run_twice, |app| async move {
    let now = Utc::now();
    let first = seed(&app.db, DemoOptions::default(), now, |_| {}).await.unwrap();
    let DemoOutcome::Created { components: component_count, incidents: incident_count, intervals, .. } = first else {
        panic!("the first run creates the demo: {first:?}");
    };
    assert!(component_count >= 8);
    assert!(incident_count >= 4);

    let organization = organizations::Entity::find()
        .filter(organizations::Column::Slug.eq(DEMO_SLUG))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let open = incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization.id))
        .filter(incidents::Column::ResolvedAt.is_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(open, 1, "one open incident");
    let with_postmortem =
        incidents::Entity::find().filter(incidents::Column::PostmortemBody.is_not_null()).count(&app.db).await.unwrap();
    assert!(with_postmortem >= 1, "a resolved incident with a postmortem");
    let upcoming = maintenances::Entity::find()
        .filter(maintenances::Column::Status.eq("scheduled"))
        .filter(maintenances::Column::ScheduledStart.gt(now))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(upcoming, 1, "an upcoming maintenance");

    // 90 days of contiguous history per component, ending in one ongoing interval that matches
    // the component's current status.
    for component in components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization.id))
        .all(&app.db)
        .await
        .unwrap()
    {
        let mut stretches = component_status_intervals::Entity::find()
            .filter(component_status_intervals::Column::ComponentId.eq(component.id))
            .all(&app.db)
            .await
            .unwrap();
        stretches.sort_by_key(|stretch| stretch.started_at);
        let first = stretches.first().unwrap();
        assert!(first.started_at <= now - Duration::days(39), "{} has history", component.name);
        for pair in stretches.windows(2) {
            assert_eq!(pair[0].ended_at, Some(pair[1].started_at), "{}: no gaps or overlaps", component.name);
        }
        let last = stretches.last().unwrap();
        assert_eq!(last.ended_at, None);
        assert_eq!(last.status, component.status, "{}", component.name);
    }

    assert_eq!(seed(&app.db, DemoOptions::default(), now, |_| {}).await.unwrap(), DemoOutcome::AlreadyPresent);
    assert_eq!(
        component_status_intervals::Entity::find().count(&app.db).await.unwrap() as usize,
        intervals,
        "a second run adds nothing"
    );

    let reset = seed(&app.db, DemoOptions { reset: true, edge_locations: 0 }, now, |_| {}).await.unwrap();
    assert!(matches!(reset, DemoOutcome::Created { .. }));
    assert_eq!(organizations::Entity::find().count(&app.db).await.unwrap(), 1, "reset replaces, never duplicates");
    assert_eq!(component_status_intervals::Entity::find().count(&app.db).await.unwrap() as usize, intervals);
});
