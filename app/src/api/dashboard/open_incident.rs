use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

/// Opens an incident from the dashboard form and goes to it. `components[<id>]` is `suggested`
/// (the status the impact suggests), a component status, or empty for a component the incident
/// does not affect. With JavaScript the page applies a chosen template to the form itself and
/// says so (`template_applied`); without, the server does: the template fills the fields left
/// empty, and its components join the ones chosen, at the suggested status. `started_at`
/// (UTC, `YYYY-MM-DDTHH:MM`) backfills an incident that began earlier; empty means now.
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
    template_applied: Option<String>,
    started_at: Option<String>,
) -> Result<(), AppError> {
    use crate::api::dashboard::StatusChoice;
    use crate::ssr::admin::incidents::{self, AffectedComponent, NewIncident};
    use crate::ssr::admin::templates;
    use crate::ssr::dashboard::{self, backdated, chosen, component_choices, filled, resolve_choice};
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
            let mut choices = component_choices(components)?;
            if let (Some(id), None) = (template_id, &template_applied) {
                let template = templates::get(&state.db, &caller, id)
                    .await
                    .map_err(|_| AppError::invalid("template_id", format!("There is no template {id}.")))?;
                for component_id in template.component_ids {
                    if !choices.iter().any(|(chosen, _)| *chosen == component_id) {
                        choices.push((component_id, StatusChoice::Suggested));
                    }
                }
            }
            let affected: Vec<AffectedComponent> = choices
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
                components: Some(affected),
                notify_subscribers: Some(notify.is_some()),
                started_at: backdated("started_at", started_at.as_deref())?,
            };
            let opened = incidents::open(&state.db, Some(&state.hub), &caller, new, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/incidents/{}", organization.slug, opened.incident.id));
            Ok(())
        }
        .await,
    )
}
