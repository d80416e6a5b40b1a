use crate::api::status_page::get_maintenance_page;
use crate::components::{LocalTime, OrganizationHeader, Timeline};
use crate::i18n::{self, texts};
use crate::locale::use_locale;
use crate::model::MaintenancePage;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/s/:slug/maintenance/:id`: one maintenance window and its timeline.
#[component]
pub fn MaintenancePagePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.with(|p| (p.get("slug").unwrap_or_default(), p.get("id").unwrap_or_default())),
        |(slug, id)| get_maintenance_page(slug, id),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <MaintenanceView page/> }.into_any(),
                    Err(error) => super::not_found_view(error),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MaintenanceView(page: MaintenancePage) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let maintenance = page.maintenance;
    let slug = page.organization.slug.clone();
    let year = maintenance.starts.local.year();
    let title = format!("{} — {}", maintenance.name, page.organization.name);
    let names = maintenance.components.iter().map(|component| component.name.clone()).collect::<Vec<_>>().join(", ");
    view! {
        <Title text=title/>
        <div class="status-page">
            <OrganizationHeader organization=page.organization/>
            <main class="status-main status-main--page">
                <article class="panel maintenance-page">
                    <p class="breadcrumb"><a href=format!("/s/{slug}")>{t.back_to_status}</a></p>
                    <h1>{maintenance.name}</h1>
                    <dl class="facts">
                        <div><dt>{t.maintenance}</dt><dd>{i18n::maintenance_status(locale, maintenance.status)}</dd></div>
                        <div><dt>{t.scheduled_for}</dt><dd><LocalTime moment=maintenance.starts reference_year=year/></dd></div>
                        <div><dt>{t.until}</dt><dd><LocalTime moment=maintenance.ends reference_year=year/></dd></div>
                        {(!names.is_empty()).then(|| view! { <div><dt>{t.affected}</dt><dd>{names}</dd></div> })}
                    </dl>
                    <Timeline updates=maintenance.updates reference_year=year/>
                </article>
            </main>
            <super::Footer/>
        </div>
    }
    .into_any()
}
