use crate::on_each_database;

on_each_database!(healthz_reports_a_reachable_database, |app| async move {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "status": "ok", "database": "ok" }));
});

on_each_database!(healthz_turns_503_when_the_database_is_gone, |app| async move {
    // Closing marks the pool closed at once, then waits for connections in use to come back;
    // a background worker may keep one a while, and the wait is not what this test is about.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), app.db.close_by_ref()).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
});
