use crate::error::AppError;
use leptos::prelude::*;

/// Saves a check's edit form. The kind stays; only its fields are read (as for `add_check`),
/// and HTTP settings the form does not show are kept. `version` is the one the form was filled
/// from: if someone else saved the check meanwhile, nothing is written and the editor is told.
#[server]
pub async fn edit_check(
    slug: String,
    check_id: i64,
    version: i32,
    name: String,
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
) -> Result<(), AppError> {
    use crate::ssr::admin::checks::{self, CheckChanges};
    use crate::ssr::catalog::optional_id;
    use crate::ssr::check_board::{self, TargetFields};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            caller.may_change(herald::Permission::Edit)?;
            let current = checks::get(&state.db, &caller, check_id).await?;
            let fields = TargetFields { url, body_contains, host, port, record_type, expected, grace_seconds };
            let changes = CheckChanges {
                name: Some(name),
                component_id: Some(optional_id("component_id", &component_id)?),
                target: Some(check_board::edited_target(current.kind, &current.target, fields)?),
                interval_seconds: Some(check_board::whole("interval_seconds", &interval_seconds)?),
                timeout_ms: Some(check_board::whole("timeout_ms", &timeout_ms)?),
                degraded_latency_ms: Some(check_board::optional_whole(
                    "degraded_latency_ms",
                    degraded_latency_ms.as_deref(),
                )?),
                failure_status: Some(check_board::failure_status(&failure_status)?),
                confirmations: None,
                incident_threshold: None,
                recovery_minutes: None,
                auto_incident: Some(auto_incident.is_some()),
                version: Some(version),
            };
            checks::update(&state.db, Some(&state.hub), &caller, state.check_intervals, check_id, changes, now)
                .await
                .map_err(check_board::form_field)?;
            leptos_axum::redirect(&format!("/dashboard/{}/checks", organization.slug));
            Ok(())
        }
        .await,
    )
}
