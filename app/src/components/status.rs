use crate::i18n;
use crate::locale::use_locale;
use herald::{ComponentStatus, Indicator};
use leptos::prelude::*;

/// A component's status as a coloured mark and words: colour alone never carries meaning.
#[component]
pub fn StatusLabel(status: ComponentStatus) -> impl IntoView {
    view! {
        <span class=format!("status status--{}", status.as_str())>
            <span class="status__mark" aria-hidden="true"></span>
            <span class="status__text">{i18n::component_status(use_locale(), status)}</span>
        </span>
    }
}

/// The page-wide banner: the one line a visitor reads first.
#[component]
pub fn IndicatorBanner(#[prop(into)] indicator: Signal<Indicator>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class=move || format!("banner banner--{}", indicator.get().as_str()) aria-live="polite">
            <span class="banner__mark" aria-hidden="true"></span>
            <h2 class="banner__headline">{move || i18n::headline(locale, indicator.get())}</h2>
        </section>
    }
}

/// An organization's overall state in a line, for lists of organizations.
#[component]
pub fn IndicatorLabel(indicator: Indicator) -> impl IntoView {
    view! {
        <span class=format!("indicator indicator--{}", indicator.as_str())>
            <span class="indicator__mark" aria-hidden="true"></span>
            <span class="indicator__text">{i18n::headline(use_locale(), indicator)}</span>
        </span>
    }
}
