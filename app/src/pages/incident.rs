use crate::api::status_page::get_incident_page;
use crate::components::{LocalTime, OrganizationHeader, StatusLabel, Timeline};
use crate::i18n::{self, texts};
use crate::locale::use_locale;
use crate::model::IncidentPage;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/s/:slug/incidents/:id`: one incident, its whole timeline and its postmortem.
#[component]
pub fn IncidentPagePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.with(|p| (p.get("slug").unwrap_or_default(), p.get("id").unwrap_or_default())),
        |(slug, id)| get_incident_page(slug, id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <IncidentView page/> }.into_any(),
                    Err(error) => super::not_found_view(error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IncidentView(page: IncidentPage) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let incident = page.incident;
    let slug = page.organization.slug.clone();
    let year = incident.started.local.year();
    let minutes = (incident.resolved.as_ref().map(|at| at.utc).unwrap_or(incident.started.utc) - incident.started.utc)
        .num_minutes();
    let title = format!("{} — {}", incident.name, page.organization.name);
    view! {
        <Title text=title/>
        <div class="status-page">
            <OrganizationHeader organization=page.organization/>
            <main class="status-main status-main--page">
                <article class=format!("panel incident-page incident--{}", incident.impact.as_str())>
                    <p class="breadcrumb"><a href=format!("/s/{slug}")>{t.back_to_status}</a></p>
                    <h1>{incident.name}</h1>
                    <dl class="facts">
                        <div><dt>{t.impact}</dt><dd>{i18n::impact(locale, incident.impact)}</dd></div>
                        <div><dt>{t.started}</dt><dd><LocalTime moment=incident.started.clone() reference_year=year/></dd></div>
                        {incident.resolved.clone().map(|resolved| view! {
                            <div><dt>{t.resolved}</dt><dd><LocalTime moment=resolved reference_year=year/></dd></div>
                            <div><dt>{t.duration}</dt><dd>{i18n::duration(locale, minutes)}</dd></div>
                        })}
                        {incident.resolved.is_none().then(|| view! {
                            <div><dt>{t.duration}</dt><dd>{t.ongoing}</dd></div>
                        })}
                    </dl>
                    {(!incident.components.is_empty()).then(|| view! {
                        <section class="affected-list">
                            <h2>{t.affected}</h2>
                            <ul>
                                {incident.components.into_iter().map(|component| view! {
                                    <li><span>{component.name}</span> <StatusLabel status=component.status/></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {incident.postmortem_html.map(|html| view! {
                        <section class="postmortem">
                            <h2>{t.postmortem}</h2>
                            <div class="prose" inner_html=html></div>
                        </section>
                    })}
                    <section>
                        <h2 class="visually-hidden">{t.full_timeline}</h2>
                        <Timeline updates=incident.updates reference_year=year/>
                    </section>
                </article>
            </main>
            <super::Footer/>
        </div>
    }
    .into_any()
}
