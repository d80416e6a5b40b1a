//! Herald's Leptos application: the pages and components that render on the server and
//! hydrate in the browser, the server functions they call, and (behind the `ssr` feature)
//! the server-only state, database access, use cases and workers.

// Leptos view types nest deeply; the layout of the largest pages needs more than the default.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod i18n;
pub mod live;
pub mod locale;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The name the build gives the wasm, JS and CSS files under `/pkg`.
pub const OUTPUT_NAME: &str = "herald";

/// Applies a theme chosen earlier in this browser before the first paint, so a dark-mode
/// visitor never sees a light flash.
const THEME_BOOT: &str = "try{var t=localStorage.getItem('herald-theme');if(t==='dark'||t==='light')document.documentElement.setAttribute('data-theme',t)}catch(e){}";

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = locale::provide_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <script>{THEME_BOOT}</script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    locale::provide_locale();
    locale::provide_hydrated();
    // Effects run only in the browser, so this marks the moment the wasm bundle has taken over
    // the server-rendered page: tests wait for it, and CSS may use it.
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="herald-style" href=format!("/pkg/{OUTPUT_NAME}.css")/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title formatter=|title: String| if title.is_empty() { "Herald".to_owned() } else { title }/>
        <Meta name="description" content="Service status, incidents and maintenance."/>
        <Router>
            <Routes fallback=pages::NotFoundPage>
                // Every page waits for its data before sending HTML, so it is complete and
                // correct without JavaScript and carries the right HTTP status (e.g. 404).
                <Route path=path!("/") view=pages::DirectoryPage ssr=SsrMode::Async/>
                <Route path=path!("/setup") view=pages::SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=pages::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view=pages::ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/reset-password/:token") view=pages::ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard") view=pages::DashboardPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug") view=pages::WorkspacePage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/incidents/:id") view=pages::IncidentEditorPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/components") view=pages::ComponentsPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/templates") view=pages::TemplatesPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/checks") view=pages::ChecksPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/maintenance") view=pages::MaintenancePlannerPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/subscribers") view=pages::SubscribersPagePage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/members") view=pages::TeamPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/settings") view=pages::SettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/audit") view=pages::AuditPage ssr=SsrMode::Async/>
                <Route path=path!("/dashboard/:slug/api-tokens") view=pages::ApiTokensPagePage ssr=SsrMode::Async/>
                <Route path=path!("/invitations/:token") view=pages::InvitationPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=pages::AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug") view=pages::StatusPagePage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/embed") view=pages::EmbedPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/history") view=pages::HistoryPagePage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/incidents/:id") view=pages::IncidentPagePage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/maintenance/:id") view=pages::MaintenancePagePage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
