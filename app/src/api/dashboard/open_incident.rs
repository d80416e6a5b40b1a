use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

/// Opens an incident from the dashboard form and goes to it. Fields left empty come from the
/// template, if one is chosen; `components[<id>]` is `suggested` (the status the impact
/// suggests), a component status, or empty for a component the incident does not affect.
#[server]
pub async fn open_incident(
    slug: String,
    template_id: Option<String>,
    name: String,
    impact: String,
    status: String,
    message: String,
    components: Option<HashMap<String, String>>,
    notify: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::incidents::{self, AffectedComponent, NewIncident};
    use crate::ssr::dashboard::{self, chosen, component_choices, filled, resolve_choice};
    use crate::ssr::{AppState, respond_to_form};
    use herald::{ComponentStatus, Impact};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            let template_id = match template_id.as_deref().map(str::trim).filter(|id| !id.is_empty()) {
                Some(id) => Some(
                    id.parse::<i64>()
                        .map_err(|_| AppError::invalid("template_id", "Choose a template from the list."))?,
                ),
                None => None,
            };
            let impact: Impact = chosen("impact", &impact)?;
            let suggested = impact.suggested_component_status().unwrap_or(ComponentStatus::Operational);
            let affected: Vec<AffectedComponent> = component_choices(components)?
                .into_iter()
                .filter_map(|(component_id, choice)| {
                    resolve_choice(choice, suggested)
                        .map(|status| AffectedComponent { component_id, status: Some(status) })
                })
                .collect();
            let new = NewIncident {
                template_id,
                name: filled(name),
                impact: Some(impact),
                status: Some(chosen("status", &status)?),
                message: filled(message),
                components: (!affected.is_empty() || template_id.is_none()).then_some(affected),
                notify_subscribers: Some(notify.is_some()),
                started_at: None,
            };
            let opened = incidents::open(&state.db, Some(&state.hub), &caller, new, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/incidents/{}", organization.slug, opened.incident.id));
            Ok(())
        }
        .await,
    )
}
