use herald::{ComponentStatus, Indicator};
use leptos::prelude::*;

/// A component's status as a coloured mark and words: colour alone never carries meaning.
#[component]
pub fn StatusLabel(status: ComponentStatus) -> impl IntoView {
    view! {
        <span class=format!("status status--{}", status.as_str())>
            <span class="status__mark" aria-hidden="true"></span>
            <span class="status__text">{status.label()}</span>
        </span>
    }
}

/// The page-wide banner: the one line a visitor reads first.
#[component]
pub fn IndicatorBanner(indicator: Indicator) -> impl IntoView {
    view! {
        <section class=format!("banner banner--{}", indicator.as_str()) aria-live="polite">
            <span class="banner__mark" aria-hidden="true"></span>
            <h2 class="banner__headline">{indicator.headline()}</h2>
        </section>
    }
}

/// An organization's overall state in a line, for lists of organizations.
#[component]
pub fn IndicatorLabel(indicator: Indicator) -> impl IntoView {
    view! {
        <span class=format!("indicator indicator--{}", indicator.as_str())>
            <span class="indicator__mark" aria-hidden="true"></span>
            <span class="indicator__text">{indicator.headline()}</span>
        </span>
    }
}
