use crate::i18n::{self, texts};
use crate::locale::{hydrated, use_locale};
use crate::model::{HeatmapFrame, HeatmapRow, NoteKind, day_status};
use leptos::prelude::*;

/// A component's (or group's) last 90 days, one cell per day. Each cell's label is its tooltip:
/// CSS shows it on hover, tap and keyboard focus, so it works without JavaScript; once the
/// browser has taken over, the arrow keys move between days and Tab leaves the row.
#[component]
pub fn Heatmap(name: String, row: HeatmapRow, frame: HeatmapFrame) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let last = usize::from(frame.days).saturating_sub(1);
    let hydrated = hydrated();
    let cells = row
        .days
        .chars()
        .enumerate()
        .map(|(index, letter)| {
            let status = day_status(letter);
            let uptime = row.uptime.get(index).copied().flatten();
            let notes: Vec<(&str, &str)> = row
                .notes
                .iter()
                .filter(|(day, _)| usize::from(*day) == index)
                .filter_map(|(_, note)| frame.notes.get(usize::from(*note)))
                .map(|note| {
                    let kind = match note.kind {
                        NoteKind::Incident => t.incident,
                        NoteKind::Maintenance => t.maintenance,
                    };
                    (kind, note.title.as_str())
                })
                .collect();
            let label =
                frame.day(index).map(|day| i18n::day_summary(locale, day, status, uptime, &notes)).unwrap_or_default();
            let class =
                if notes.is_empty() { format!("day day--{letter}") } else { format!("day day--{letter} day--noted") };
            // Without JavaScript every day is reachable with Tab; afterwards only the
            // row's current day is, and arrows move within the row.
            let tabindex = move || if !hydrated.get() || index == last { "0" } else { "-1" };
            view! { <li class=class tabindex=tabindex aria-label=label></li> }
        })
        .collect_view();
    let window = row.window_uptime.map(|uptime| format!("{} {}", i18n::percent(locale, uptime), t.uptime));
    view! {
        <div class="uptime">
            <ol class="heatmap" aria-label=format!("{name}: {}", t.uptime_over_window) on:keydown=move_between_days>
                {cells}
            </ol>
            <div class="uptime__legend" aria-hidden="true">
                <span class="uptime__from uptime__from--long">{t.days_ago}</span>
                <span class="uptime__from uptime__from--short">{t.days_ago_short}</span>
                <span class="uptime__total">{window.clone().unwrap_or_else(|| t.no_data.to_owned())}</span>
                <span>{t.today}</span>
            </div>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn move_between_days(event: leptos::ev::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    use web_sys::HtmlElement;
    let Some(current) = event.target().and_then(|target| target.dyn_into::<HtmlElement>().ok()) else { return };
    let Some(row) = current.parent_element() else { return };
    let next = match event.key().as_str() {
        "ArrowRight" => current.next_element_sibling(),
        "ArrowLeft" => current.previous_element_sibling(),
        "Home" => row.first_element_child(),
        "End" => row.last_element_child(),
        _ => return,
    };
    // Cells hidden on narrow screens are skipped.
    let Some(next) =
        next.and_then(|element| element.dyn_into::<HtmlElement>().ok()).filter(|element| element.offset_width() > 0)
    else {
        return;
    };
    event.prevent_default();
    let _ = current.set_attribute("tabindex", "-1");
    let _ = next.set_attribute("tabindex", "0");
    let _ = next.focus();
}

#[cfg(not(feature = "hydrate"))]
fn move_between_days(_: leptos::ev::KeyboardEvent) {}
