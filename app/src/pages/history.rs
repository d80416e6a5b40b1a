use crate::api::status_page::get_history_page;
use crate::components::{LocalTime, OrganizationHeader};
use crate::i18n::{self, texts};
use crate::locale::use_locale;
use crate::model::{HistoryEntry, HistoryPage, UpdateStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/s/:slug/history?page=N`: past incidents and maintenance, month by month.
#[component]
pub fn HistoryPagePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), query.read().get("page")),
        |(slug, page)| get_history_page(slug, page),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <HistoryView page/> }.into_any(),
                    Err(error) => super::not_found_view(error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryView(page: HistoryPage) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let slug = page.organization.slug.clone();
    let title = format!("{} — {}", t.incident_history, page.organization.name);
    let newer = page.has_newer.then(|| format!("/s/{slug}/history?page={}", page.page - 1));
    let older = page.has_older.then(|| format!("/s/{slug}/history?page={}", page.page + 1));
    view! {
        <Title text=title/>
        <div class="status-page">
            <OrganizationHeader organization=page.organization.clone()/>
            <main class="status-main status-main--page">
                <div class="panel history">
                    <p class="breadcrumb"><a href=format!("/s/{slug}")>{t.back_to_status}</a></p>
                    <h1>{t.incident_history}</h1>
                    {page.months.into_iter().map(|month| {
                        let slug = slug.clone();
                        let empty = month.incidents.is_empty() && month.maintenances.is_empty();
                        view! {
                            <section class="history__month">
                                <h2>{i18n::month_heading(locale, month.month)}</h2>
                                {empty.then(|| view! { <p class="muted">{t.no_incidents_this_month}</p> })}
                                <ul class="history__list">
                                    {month.incidents.into_iter().map(|entry| view! { <Entry entry path=format!("/s/{slug}/incidents")/> }).collect_view()}
                                    {month.maintenances.into_iter().map(|entry| view! { <Entry entry path=format!("/s/{slug}/maintenance")/> }).collect_view()}
                                </ul>
                            </section>
                        }
                    }).collect_view()}
                    <nav class="pager" aria-label=t.history>
                        {newer.map(|href| view! { <a rel="prev" href=href>"← " {t.newer}</a> })}
                        {older.map(|href| view! { <a rel="next" href=href>{t.older} " →"</a> })}
                    </nav>
                </div>
            </main>
            <super::Footer/>
        </div>
    }
    .into_any()
}

#[component]
fn Entry(entry: HistoryEntry, path: String) -> impl IntoView {
    let locale = use_locale();
    let status = match entry.status {
        UpdateStatus::Incident(status) => i18n::incident_status(locale, status),
        UpdateStatus::Maintenance(status) => i18n::maintenance_status(locale, status),
    };
    let class = entry.impact.map_or("history__entry history__entry--maintenance".to_owned(), |impact| {
        format!("history__entry history__entry--{}", impact.as_str())
    });
    view! {
        <li class=class>
            <a class="history__name" href=format!("{path}/{}", entry.id)>{entry.name}</a>
            {(!entry.summary.is_empty()).then(|| view! { <p class="history__summary">{entry.summary}</p> })}
            <p class="history__meta">
                <strong>{status}</strong> " · " <LocalTime moment=entry.from/>
                {entry.until.map(|until| view! { " – " <LocalTime moment=until/> })}
            </p>
        </li>
    }
    .into_any()
}
