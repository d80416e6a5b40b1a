//! One module per route.

mod account;
mod api_tokens;
mod audit;
mod catalog;
mod checks;
mod directory;
mod embed;
mod history;
mod incident;
mod incident_editor;
mod maintenance;
mod members;
mod not_found;
mod planner;
mod settings;
mod setup;
mod status_page;
mod subscribers;
mod templates;
mod workspace;

pub use account::{AccountPage, DashboardPage, ForgotPasswordPage, LoginPage, ResetPasswordPage};
pub use api_tokens::ApiTokensPagePage;
pub use audit::AuditPage;
pub use catalog::ComponentsPage;
pub use checks::ChecksPage;
pub use directory::DirectoryPage;
pub use embed::EmbedPage;
pub use history::HistoryPagePage;
pub use incident::IncidentPagePage;
pub use incident_editor::IncidentEditorPage;
pub use maintenance::MaintenancePagePage;
pub use members::{InvitationPage, TeamPage};
pub use not_found::NotFoundPage;
pub use planner::MaintenancePlannerPage;
pub use settings::SettingsPage;
pub use setup::SetupPage;
pub use status_page::{StatusPagePage, content_key};
pub use subscribers::SubscribersPagePage;
pub use templates::TemplatesPage;
pub use workspace::WorkspacePage;

use crate::components::ErrorPanel;
use crate::error::AppError;
use crate::i18n::texts;
use crate::locale::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

/// The frame shared by Herald's own pages (not the organizations' status pages).
#[component]
fn HeraldFrame(children: Children) -> impl IntoView {
    view! {
        <header class="herald-header">
            <a class="herald-header__brand" href="/">"Herald"</a>
        </header>
        <main class="herald-main">{children()}</main>
        <Footer/>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let t = texts(use_locale());
    view! {
        <footer class="site-footer">
            <p>{t.powered_by} " " <a href="/">"Herald"</a></p>
        </footer>
    }
}

/// What an organization page shows when its data could not be loaded (a 404 when it does not
/// exist; the status code was set by the server function).
fn not_found_view(error: AppError) -> AnyView {
    view! {
        <Title text="Page not found"/>
        <main class="herald-main"><ErrorPanel error/></main>
    }
    .into_any()
}

/// The messages a failed action left for each field, and for the form as a whole.
pub(crate) fn form_errors(
    value: impl Fn() -> Option<Result<(), AppError>> + Copy + Send + Sync + 'static,
) -> (impl Fn(&'static str) -> Signal<Option<String>> + Copy, impl Fn() -> Option<String> + Copy) {
    let error = move || value().and_then(Result::err);
    let message_for =
        move |field: &'static str| Signal::derive(move || error().and_then(|error| error.message_for(field)));
    let general = move || error().filter(AppError::is_general).map(|error| error.to_string());
    (message_for, general)
}

/// Empties a create form each time `succeeded` turns true, ready for the next one. (Rendering
/// the form again would not: the renderer keeps the same input elements and what was typed.)
pub(crate) fn reset_after_success(
    form: NodeRef<leptos::html::Form>,
    succeeded: impl Fn() -> bool + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if succeeded()
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
}

/// A form field's class: marked invalid while the server has an error for it.
pub(crate) fn field_class(error: Signal<Option<String>>) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || if error.get().is_some() { "field field--invalid" } else { "field" }
}

/// A labelled one-line input of `input_type` with its hint (if any) and its error.
pub(crate) fn input_field(
    id: String,
    name: &'static str,
    label: &'static str,
    input_type: &'static str,
    value: String,
    hint: &'static str,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class=field_class(error)>
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=input_type value=value/>
            {(!hint.is_empty()).then(|| view! { <p class="field__hint">{hint}</p> })}
            <p class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// The box a destructive form needs ticked (`confirm=yes`), so one stray click changes nothing,
/// with or without JavaScript; the server's refusal shows under it.
pub(crate) fn confirm_box(id: String, label: String, error: Signal<Option<String>>) -> impl IntoView {
    let label_for = id.clone();
    view! {
        <div class=field_class(error)>
            <label class="checkbox" for=label_for>
                <input id=id type="checkbox" name="confirm" value="yes"/>
                {format!(" {label}")}
            </label>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled one-line text input with its hint (if any) and its error.
pub(crate) fn text_field(
    id: String,
    name: &'static str,
    label: &'static str,
    value: String,
    hint: &'static str,
    error: Signal<Option<String>>,
) -> impl IntoView {
    input_field(id, name, label, "text", value, hint, error)
}

/// Waits for a signed-in page's data, then renders it; a failed load shows why (the server
/// function already set the HTTP status, such as 404 for another organization's page).
pub(crate) fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => render(value).into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A query-string value, percent-encoded.
pub(crate) fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
