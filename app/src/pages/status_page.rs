use crate::api::status_page::get_status_page;
use crate::components::{
    Heatmap, IncidentCard, IndicatorBanner, LocalTime, MaintenanceCard, OrganizationHeader, StatusLabel,
    SubscribeDialog,
};
use crate::i18n::{self, texts};
use crate::locale::use_locale;
use crate::model::{ComponentRow, GroupSection, HeatmapFrame, Section, StatusPage};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::Serialize;
use std::hash::{DefaultHasher, Hash, Hasher};

/// `/s/:slug`: an organization's public status page, kept live over a WebSocket.
#[component]
pub fn StatusPagePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_status_page);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <LiveStatusPage page/> }.into_any(),
                    Err(error) => super::not_found_view(error),
                }
            })}
        </Suspense>
    }
}

/// A list item's identity for keyed rendering: its content. A row whose data changed is
/// replaced; the others keep their DOM (and focus, and open disclosures).
pub fn content_key<T: Serialize>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    serde_json::to_string(value).unwrap_or_default().hash(&mut hasher);
    hasher.finish()
}

#[component]
fn LiveStatusPage(page: StatusPage) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let organization = page.organization.clone();
    let slug = organization.slug.clone();
    // The components a visitor can choose in the subscribe dialog: the ones the page shows.
    let subscribable: Vec<(i64, String)> = page
        .sections
        .iter()
        .flat_map(|section| match section {
            Section::Component(component) => std::slice::from_ref(component),
            Section::Group(group) => group.components.as_slice(),
        })
        .map(|component| (component.id.0, component.name.clone()))
        .collect();
    let page = RwSignal::new(page);
    let live = crate::live::follow(slug.clone(), page);

    let indicator = Memo::new(move |_| page.with(|page| page.indicator));
    let reference_year = Memo::new(move |_| page.with(|page| page.generated_at.local.year()));
    let title = format!("{} status", organization.name);
    let description = move || format!("{} — {}", organization.name, i18n::headline(locale, indicator.get()));
    let brand_style = organization.brand_colour.as_ref().map(|colour| {
        format!("--brand: {colour}; --on-brand: {};", organization.text_on_brand.clone().unwrap_or_default())
    });

    let incidents_slug = slug.clone();
    let maintenance_slug = slug.clone();
    view! {
        <Title text=title/>
        <Meta name="description" content=description/>
        <div class="status-page" style=brand_style>
            <OrganizationHeader organization=page.with_untracked(|page| page.organization.clone()) live/>
            <main class="status-main">
                <IndicatorBanner indicator/>
                <Show when=move || page.with(|page| !page.active_incidents.is_empty())>
                    <section class="incidents" aria-labelledby="active-incidents">
                        <h2 id="active-incidents">{t.active_incidents}</h2>
                        <For
                            each=move || page.with(|page| page.active_incidents.clone())
                            key=content_key
                            children={
                                let slug = incidents_slug.clone();
                                move |incident| view! { <IncidentCard incident slug=slug.clone() reference_year=reference_year.get_untracked()/> }.into_any()
                            }
                        />
                    </section>
                </Show>
                <Show when=move || page.with(|page| !page.maintenances.is_empty())>
                    <section class="maintenances" aria-labelledby="maintenance-heading">
                        <h2 id="maintenance-heading">{t.maintenance}</h2>
                        <For
                            each=move || page.with(|page| page.maintenances.clone())
                            key=content_key
                            children={
                                let slug = maintenance_slug.clone();
                                move |maintenance| view! { <MaintenanceCard maintenance slug=slug.clone() reference_year=reference_year.get_untracked()/> }.into_any()
                            }
                        />
                    </section>
                </Show>
                <section class="components" aria-labelledby="components-heading">
                    <h2 id="components-heading" class="visually-hidden">{t.components}</h2>
                    <ul class="component-list">
                        <For
                            each=move || page.with(|page| page.sections.iter().map(|section| (section.clone(), page.heatmap.clone())).collect::<Vec<_>>())
                            key=content_key
                            children=|(section, frame)| section_view(section, frame)
                        />
                    </ul>
                </section>
                // A div, not a paragraph: the subscribe dialog inside is not phrasing content, and
                // a browser would close a paragraph before it (and hydration would then differ).
                <div class="page-links">
                    <a href=format!("/s/{slug}/history")>{t.incident_history}</a>
                    <SubscribeDialog slug=slug.clone() label=t.subscribe components=subscribable.clone()/>
                    <a rel="external" href=format!("/s/{slug}/history.rss") type="application/rss+xml">"RSS"</a>
                    <a rel="external" href=format!("/s/{slug}/history.atom") type="application/atom+xml">"Atom"</a>
                    <a rel="external" href=format!("/s/{slug}/maintenance.ics") type="text/calendar">{t.calendar}</a>
                </div>
                <p class="generated-at">
                    {t.last_updated} " "
                    {move || {
                        let generated = page.with(|page| page.generated_at.clone());
                        view! { <LocalTime moment=generated reference_year=reference_year.get()/> }
                    }}
                </p>
            </main>
            <super::Footer/>
        </div>
    }
    .into_any()
}

fn section_view(section: Section, frame: HeatmapFrame) -> AnyView {
    match section {
        Section::Component(component) => view! { <ComponentItem component frame/> }.into_any(),
        Section::Group(group) => view! { <GroupItem group frame/> }.into_any(),
    }
}

#[component]
fn GroupItem(group: GroupSection, frame: HeatmapFrame) -> impl IntoView {
    let heatmap = group.heatmap.clone().map(|row| {
        let frame = frame.clone();
        view! { <div class="component-group__uptime"><Heatmap name=group.name.clone() row frame/></div> }
    });
    // A native <details> folds without JavaScript.
    view! {
        <li class="component-group">
            <details open=!group.collapsed>
                <summary class="component-group__summary">
                    <span class="component-group__name">{group.name.clone()}</span>
                    <StatusLabel status=group.status/>
                </summary>
                {group.description.map(|text| view! { <p class="component-group__description">{text}</p> })}
                <ul class="component-list component-list--nested">
                    {group.components.into_iter().map(|component| view! { <ComponentItem component frame=frame.clone()/> }).collect_view()}
                </ul>
            </details>
            {heatmap}
        </li>
    }
    .into_any()
}

#[component]
fn ComponentItem(component: ComponentRow, frame: HeatmapFrame) -> impl IntoView {
    let name = component.name.clone();
    let focusable = component.description.as_ref().map(|_| "0");
    view! {
        <li class="component" data-component-id=component.id.to_string()>
            <div class="component__head">
                <span class="component__name" tabindex=focusable>
                    {component.name}
                    {component.description.map(|text| view! { <span class="component__help" role="tooltip">{text}</span> })}
                </span>
                <StatusLabel status=component.status/>
            </div>
            {component.heatmap.map(|row| view! { <Heatmap name row frame/> })}
        </li>
    }
    .into_any()
}
