use crate::on_each_database;

on_each_database!(healthz_reports_a_reachable_database, |app| async move {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "status": "ok", "database": "ok" }));
});

on_each_database!(healthz_turns_503_when_the_database_is_gone, |app| async move {
    app.db.close_by_ref().await.unwrap();
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
});
