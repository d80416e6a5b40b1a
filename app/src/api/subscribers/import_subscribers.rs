use super::ImportReport;
use crate::error::AppError;
use leptos::prelude::*;

/// Imports a CSV list of subscribers (pasted, or read from a file by the page): all of it, or
/// nothing and every problem by line. `confirmed`: the editor vouches that the people listed
/// agreed to hear from the organization, so rows that do not say get no confirmation email.
#[server]
pub async fn import_subscribers(
    slug: String,
    csv: String,
    confirmed: Option<String>,
) -> Result<ImportReport, AppError> {
    use crate::ssr::admin::subscriber_lists;
    use crate::ssr::{AppState, dashboard, respond_to_form};
    respond_to_form(
        async {
            let app = AppState::current()?;
            let now = chrono::Utc::now();
            let (caller, _) = dashboard::signed_in(&app.db, &slug, now).await?;
            caller.may_change(herald::Permission::Edit)?;
            subscriber_lists::import(
                &app.db,
                &app.keyring,
                app.subscription_rules,
                &caller,
                &csv,
                confirmed.is_some(),
                now,
            )
            .await
        }
        .await,
    )
}
