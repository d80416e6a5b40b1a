use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

/// Schedules a maintenance window. The times are wall-clock times in the organization's
/// time zone (`YYYY-MM-DDTHH:MM`, as a datetime-local input sends them); `components[<id>]`
/// is present for each component it covers. A template fills the name and message left
/// empty and, when none is ticked, the components.
#[server]
pub async fn schedule_maintenance(
    slug: String,
    template_id: Option<String>,
    name: String,
    message: String,
    scheduled_start: String,
    scheduled_end: String,
    components: Option<HashMap<String, String>>,
    auto_start: Option<String>,
    auto_complete: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::admin::maintenance::{self, NewMaintenance};
    use crate::ssr::admin::templates;
    use crate::ssr::catalog::optional_id;
    use crate::ssr::dashboard::filled;
    use crate::ssr::planner::{local_instant, signed_in_with_zone};
    use crate::ssr::template_library::checked_ids;
    use crate::ssr::{AppState, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization, zone) = signed_in_with_zone(&state.db, &slug, now).await?;
            // The role decides before the form is read, so a Viewer is told they may not.
            caller.may_change(herald::Permission::Edit)?;
            let template = match optional_id("template_id", template_id.as_deref().unwrap_or_default())? {
                Some(id) => Some(templates::get(&state.db, &caller, id).await?),
                None => None,
            };
            let mut component_ids = checked_ids(components)?;
            if component_ids.is_empty()
                && let Some(template) = &template
            {
                component_ids = template.component_ids.clone();
            }
            let new = NewMaintenance {
                name: filled(name)
                    .or_else(|| template.as_ref().map(|template| template.title.clone()))
                    .unwrap_or_default(),
                message: filled(message)
                    .or_else(|| template.as_ref().map(|template| template.body.clone()))
                    .unwrap_or_default(),
                scheduled_start: local_instant(&zone, "scheduled_start", &scheduled_start)?,
                scheduled_end: local_instant(&zone, "scheduled_end", &scheduled_end)?,
                component_ids,
                auto_start: Some(auto_start.is_some()),
                auto_complete: Some(auto_complete.is_some()),
            };
            maintenance::schedule(&state.db, Some(&state.hub), &caller, new, now).await?;
            leptos_axum::redirect(&format!("/dashboard/{}/maintenance", organization.slug));
            Ok(())
        }
        .await,
    )
}
