use super::LocalTime;
use crate::i18n::{self, texts};
use crate::locale::use_locale;
use crate::model::{AffectedComponent, IncidentView, MaintenanceView, UpdateStatus, UpdateView};
use leptos::prelude::*;

fn status_words(update: UpdateStatus) -> &'static str {
    let locale = use_locale();
    match update {
        UpdateStatus::Incident(status) => i18n::incident_status(locale, status),
        UpdateStatus::Maintenance(status) => i18n::maintenance_status(locale, status),
    }
}

/// One entry of a timeline. The body was rendered from Markdown and made safe on the server.
#[component]
fn TimelineEntry(update: UpdateView, reference_year: i32) -> impl IntoView {
    view! {
        <li class="timeline__entry">
            <p class="timeline__head">
                <strong class="timeline__status">{status_words(update.status)}</strong>
                " · "
                <LocalTime moment=update.at reference_year/>
            </p>
            <div class="timeline__body prose" inner_html=update.body_html></div>
        </li>
    }
}

#[component]
pub fn Timeline(updates: Vec<UpdateView>, reference_year: i32) -> impl IntoView {
    view! {
        <ol class="timeline">
            {updates.into_iter().map(|update| view! { <TimelineEntry update reference_year/> }).collect_view()}
        </ol>
    }
}

#[component]
fn Affected(components: Vec<AffectedComponent>) -> impl IntoView {
    let t = texts(use_locale());
    (!components.is_empty()).then(|| {
        let names = components.iter().map(|component| component.name.as_str()).collect::<Vec<_>>().join(", ");
        view! { <p class="affected"><span class="affected__label">{t.affected}": "</span>{names}</p> }
    })
}

/// An unresolved incident on the status page: its latest update, the rest a click away (a
/// native disclosure, so it works without JavaScript).
#[component]
pub fn IncidentCard(incident: IncidentView, slug: String, reference_year: i32) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let mut updates = incident.updates.into_iter();
    let latest = updates.next();
    let earlier: Vec<UpdateView> = updates.collect();
    view! {
        <article class=format!("incident incident--{}", incident.impact.as_str())>
            <h3 class="incident__name">
                <a href=format!("/s/{slug}/incidents/{}", incident.id)>{incident.name}</a>
            </h3>
            <p class="incident__meta">
                {i18n::impact(locale, incident.impact)} " " {t.impact} " · " {t.started} " "
                <LocalTime moment=incident.started reference_year/>
            </p>
            <Affected components=incident.components/>
            {latest.map(|update| view! { <Timeline updates=vec![update] reference_year/> })}
            {(!earlier.is_empty()).then(|| view! {
                <details class="incident__more">
                    <summary>{t.full_timeline}</summary>
                    <Timeline updates=earlier reference_year/>
                </details>
            })}
        </article>
    }
}

/// Maintenance in progress or coming up.
#[component]
pub fn MaintenanceCard(maintenance: MaintenanceView, slug: String, reference_year: i32) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let latest: Vec<UpdateView> =
        maintenance.updates.into_iter().filter(|update| !update.body_html.trim().is_empty()).take(1).collect();
    view! {
        <article class=format!("maintenance maintenance--{}", maintenance.status.as_str())>
            <h3 class="maintenance__name">
                <a href=format!("/s/{slug}/maintenance/{}", maintenance.id)>{maintenance.name}</a>
            </h3>
            <p class="maintenance__meta">
                <strong>{i18n::maintenance_status(locale, maintenance.status)}</strong>
                " · " {t.scheduled_for} " " <LocalTime moment=maintenance.starts reference_year/>
                " " {t.until} " " <LocalTime moment=maintenance.ends reference_year/>
            </p>
            <Affected components=maintenance.components/>
            {(!latest.is_empty()).then(|| view! { <Timeline updates=latest reference_year/> })}
        </article>
    }
}
