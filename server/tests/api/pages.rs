use crate::on_each_database;
use chrono::Utc;

on_each_database!(the_front_page_invites_to_set_up_a_new_instance, |app| async move {
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Welcome to Herald"), "{html}");
    assert!(html.contains("href=\"/setup\""));
    assert!(html.contains("<title>Status pages</title>"));
});

on_each_database!(the_front_page_lists_organizations_with_their_state, |app| async move {
    app::ssr::demo::seed(&app.db, Default::default(), Utc::now(), |_| {}).await.unwrap();
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Acme Cloud"));
    assert!(html.contains("href=\"/s/demo\""));
    // The demo has an open minor incident and degraded search.
    assert!(html.contains("indicator--minor"), "{html}");
});

on_each_database!(the_status_page_renders_components_and_incidents_from_the_database, |app| async move {
    app::ssr::demo::seed(&app.db, Default::default(), Utc::now(), |_| {}).await.unwrap();
    let (status, html) = app.get_text("/s/demo").await;
    assert_eq!(status, 200);
    for text in
        ["Acme Cloud", "Core platform", "Authentication", "Object storage", "Email delivery", "Slow search queries"]
    {
        assert!(html.contains(text), "missing {text:?}");
    }
    assert!(html.contains("banner--minor"), "the open minor incident sets the banner");
    assert!(html.contains("status--degraded_performance"), "search is degraded");
    assert!(!html.contains("Legacy API v1"), "only-if-degraded components stay hidden while operational");
    assert!(html.contains("<title>Acme Cloud status</title>"));
    // The page carries the data the browser hydrates from.
    assert!(html.contains("/pkg/herald"), "the hydration scripts are linked");
});

on_each_database!(an_unknown_or_malformed_slug_is_a_real_404_page, |app| async move {
    for path in ["/s/nobody-here", "/s/Not_A_Slug!", "/s/%00"] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("There is no status page at this address."), "{path}: {html}");
    }
});

on_each_database!(an_unknown_path_is_a_real_404_page, |app| async move {
    let (status, html) = app.get_text("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    assert!(html.contains("<html"), "a whole page, not a bare message");
});
