use crate::error::AppError;
use leptos::prelude::*;
use std::collections::HashMap;

/// Creates a template (no `template_id`) or saves an edit of one (`template_id` and the
/// `version` the form was filled from). `components[<id>]` is present for each component the
/// template pre-selects; `impact` and `status` may be empty for "no default".
#[server]
pub async fn save_template(
    slug: String,
    template_id: Option<i64>,
    version: Option<i32>,
    kind: String,
    name: String,
    title: String,
    body: String,
    impact: Option<String>,
    status: Option<String>,
    components: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    use crate::ssr::admin::templates::{self, NewTemplate, TemplateChanges};
    use crate::ssr::catalog::key_for;
    use crate::ssr::template_library::{checked_ids, optional_choice, template_kind};
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let state = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(&state.db, &slug, now).await?;
            // The role decides before the form is read, so a Viewer is told they may not.
            caller.may_change(herald::Permission::Edit)?;
            let impact = optional_choice("impact", impact.as_deref())?;
            let status = optional_choice("status", status.as_deref())?;
            let component_ids = checked_ids(components)?;
            match template_id {
                None => {
                    let new = NewTemplate {
                        key: key_for("", &name, "template", now)?,
                        kind: template_kind(&kind)?,
                        name,
                        title,
                        body,
                        impact,
                        status,
                        component_ids,
                    };
                    templates::create(&state.db, &caller, new, now).await?;
                }
                Some(id) => {
                    let changes = TemplateChanges {
                        name: Some(name),
                        title: Some(title),
                        body: Some(body),
                        impact: Some(impact),
                        status: Some(status),
                        component_ids: Some(component_ids),
                        version,
                    };
                    templates::update(&state.db, &caller, id, changes, now).await?;
                }
            }
            leptos_axum::redirect(&format!("/dashboard/{}/templates", organization.slug));
            Ok(())
        }
        .await,
    )
}
