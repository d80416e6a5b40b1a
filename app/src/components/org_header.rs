use crate::i18n::texts;
use crate::live::LiveState;
use crate::locale::{hydrated, use_locale};
use crate::model::Branding;
use leptos::prelude::*;

/// The organization's band at the top of its pages. The brand colour only ever reaches CSS as
/// a validated `#rrggbb`.
#[component]
pub fn OrganizationHeader(
    organization: Branding,
    #[prop(optional)] live: Option<ReadSignal<LiveState>>,
) -> impl IntoView {
    let home = format!("/s/{}", organization.slug);
    let name = view! { <a href=home>{organization.name}</a> };
    // The organization's name heads its status page; other pages have their own heading.
    let name = if live.is_some() {
        view! { <h1 class="org-header__name">{name}</h1> }.into_any()
    } else {
        view! { <p class="org-header__name">{name}</p> }.into_any()
    };
    view! {
        <header class="org-header">
            <div class="org-header__inner">
                <div class="org-header__identity">
                    {organization.logo_url.map(|logo| view! { <img class="org-header__logo" src=logo alt="" height="40"/> })}
                    <div>
                        {name}
                        {organization.tagline.map(|tagline| view! { <p class="org-header__tagline">{tagline}</p> })}
                    </div>
                </div>
                <div class="org-header__tools">
                    {live.map(|state| view! { <LiveIndicator state/> })}
                    <ThemeToggle/>
                </div>
            </div>
        </header>
    }
}

/// Whether the page is receiving changes as they happen. Shown only once the browser runs the
/// page: without JavaScript there is nothing live to report.
#[component]
fn LiveIndicator(state: ReadSignal<LiveState>) -> impl IntoView {
    let t = texts(use_locale());
    let hydrated = hydrated();
    view! {
        <span
            class=move || format!("live live--{}", match state.get() { LiveState::Live => "on", LiveState::Connecting => "connecting", LiveState::Reconnecting => "off" })
            role="status"
            hidden=move || !hydrated.get()
        >
            <span class="live__dot" aria-hidden="true"></span>
            {move || match state.get() {
                LiveState::Live => t.live,
                LiveState::Connecting => t.connecting,
                LiveState::Reconnecting => t.reconnecting,
            }}
        </span>
    }
}

/// Light or dark, remembered in the browser. Without JavaScript the page follows the system
/// setting and the button stays hidden.
#[component]
fn ThemeToggle() -> impl IntoView {
    let t = texts(use_locale());
    let hydrated = hydrated();
    view! {
        <button class="theme-toggle" type="button" title=t.toggle_theme aria-label=t.toggle_theme hidden=move || !hydrated.get() on:click=|_| toggle_theme()>
            <span aria-hidden="true">"◐"</span>
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn toggle_theme() {
    let Some(root) = document().document_element() else { return };
    let dark_now = match root.get_attribute("data-theme").as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window().match_media("(prefers-color-scheme: dark)").ok().flatten().is_some_and(|query| query.matches()),
    };
    let next = if dark_now { "light" } else { "dark" };
    let _ = root.set_attribute("data-theme", next);
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item("herald-theme", next);
    }
}

#[cfg(not(feature = "hydrate"))]
fn toggle_theme() {}
