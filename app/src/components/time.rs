use crate::i18n;
use crate::locale::{hydrated, use_locale};
use crate::model::Moment;
use leptos::prelude::*;

/// A point in time: the organization's clock in the server's HTML, the visitor's own clock once
/// the browser has taken over. The machine-readable instant is always in `datetime`.
#[component]
pub fn LocalTime(moment: Moment, #[prop(optional)] reference_year: Option<i32>) -> impl IntoView {
    let locale = use_locale();
    let year = reference_year.unwrap_or(chrono::Datelike::year(&moment.local));
    let organization_text = i18n::date_time(locale, moment.local, &moment.zone, year);
    let utc = moment.utc;
    let hydrated = hydrated();
    let text = move || {
        if hydrated.get() {
            #[cfg(feature = "hydrate")]
            if let Some(local) = crate::locale::browser_local(locale, utc) {
                return local;
            }
        }
        let _ = utc;
        organization_text.clone()
    };
    view! { <time datetime=moment.utc.to_rfc3339()>{text}</time> }
}
