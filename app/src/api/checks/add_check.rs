use super::AddedCheck;
use crate::error::AppError;
use leptos::prelude::*;

/// Adds a check. Only the fields of the chosen kind are read: `url` (and keyword) for HTTP,
/// `host` and `port` for TCP, `host`, `record_type` and `expected` for DNS, `grace_seconds`
/// for a heartbeat.
#[server]
pub async fn add_check(
    slug: String,
    kind: String,
    name: String,
    key: String,
    component_id: String,
    url: Option<String>,
    body_contains: Option<String>,
    host: Option<String>,
    port: Option<String>,
    record_type: Option<String>,
    expected: Option<String>,
    grace_seconds: Option<String>,
    interval_seconds: String,
    timeout_ms: String,
    degraded_latency_ms: Option<String>,
    failure_status: String,
    auto_incident: Option<String>,
) -> Result<AddedCheck, AppError> {
    use crate::ssr::admin::checks;
    use crate::ssr::catalog::{key_for, optional_id};
    use crate::ssr::check_board::{self, TargetFields};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            caller.may_change(herald::Permission::Edit)?;
            let fields = TargetFields { url, body_contains, host, port, record_type, expected, grace_seconds };
            let new = checks::NewCheck {
                key: key_for(&key, &name, "check", now)?,
                kind: check_board::kind(&kind)?,
                target: check_board::target_settings(&kind, fields)?,
                name,
                component_id: optional_id("component_id", &component_id)?,
                interval_seconds: check_board::whole("interval_seconds", &interval_seconds)?,
                timeout_ms: check_board::whole("timeout_ms", &timeout_ms)?,
                degraded_latency_ms: check_board::optional_whole(
                    "degraded_latency_ms",
                    degraded_latency_ms.as_deref(),
                )?,
                failure_status: check_board::failure_status(&failure_status)?,
                confirmations: 3,
                incident_threshold: 3,
                recovery_minutes: 5,
                auto_incident: auto_incident.is_some(),
                paused: false,
            };
            let created = checks::create(&state.db, Some(&state.hub), &caller, state.check_intervals, new, now)
                .await
                .map_err(check_board::form_field)?;
            // A heartbeat's address is shown once, by the page; a browser without JavaScript
            // is sent back to the list (the API shows it too).
            if created.heartbeat_path.is_none() {
                leptos_axum::redirect(&format!("/dashboard/{}/checks", organization.slug));
            }
            Ok(AddedCheck { heartbeat_path: created.heartbeat_path })
        }
        .await,
    )
}
