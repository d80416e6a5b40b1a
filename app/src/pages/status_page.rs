use crate::api::status_page::get_status_page;
use crate::components::{ErrorPanel, IndicatorBanner, StatusLabel};
use crate::model::{Branding, ComponentRow, GroupSection, IncidentSummary, Section, StatusPage};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// `/s/:slug`: an organization's public status page.
#[component]
pub fn StatusPagePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_status_page);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <StatusPageView page/> }.into_any(),
                    Err(error) => view! {
                        <Title text="Status page not found"/>
                        <main class="herald-main"><ErrorPanel error/></main>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatusPageView(page: StatusPage) -> impl IntoView {
    let organization = page.organization;
    let title = format!("{} status", organization.name);
    let description = format!("{} — {}", organization.name, page.indicator.headline());
    // The brand colour is data chosen by the organization: it only ever reaches CSS as a
    // validated `#rrggbb` value, never as free text.
    let brand_style = organization.brand_colour.as_ref().map(|colour| {
        format!("--brand: {colour}; --on-brand: {};", organization.text_on_brand.clone().unwrap_or_default())
    });
    let incidents = page.active_incidents;
    let has_incidents = !incidents.is_empty();
    view! {
        <Title text=title/>
        <Meta name="description" content=description/>
        <div class="status-page" style=brand_style>
            {organization_header(organization)}
            <main class="status-main">
                <IndicatorBanner indicator=page.indicator/>
                {has_incidents.then(|| active_incidents(incidents))}
                <section class="components" aria-labelledby="components-heading">
                    <h2 id="components-heading" class="visually-hidden">"Components"</h2>
                    <ul class="component-list">
                        {page.sections.into_iter().map(section_view).collect_view()}
                    </ul>
                </section>
                <p class="generated-at">"Last updated " <time datetime=page.generated_at.to_rfc3339()>{format_utc(page.generated_at)}</time></p>
            </main>
            <footer class="site-footer">
                <p>"Powered by " <a href="/">"Herald"</a></p>
            </footer>
        </div>
    }
}

// The page is assembled from type-erased parts: one concrete view type for the whole page
// would be deep enough to exhaust the compiler's recursion limit in the wasm build.
fn organization_header(organization: Branding) -> AnyView {
    view! {
        <header class="org-header">
            <div class="org-header__inner">
                <h1 class="org-header__name">
                    {match organization.website_url {
                        Some(url) => view! { <a href=url rel="noopener">{organization.name}</a> }.into_any(),
                        None => view! { <span>{organization.name}</span> }.into_any(),
                    }}
                </h1>
                {organization.tagline.map(|tagline| view! { <p class="org-header__tagline">{tagline}</p> })}
            </div>
        </header>
    }
    .into_any()
}

fn active_incidents(incidents: Vec<IncidentSummary>) -> AnyView {
    view! {
        <section class="incidents" aria-labelledby="active-incidents">
            <h2 id="active-incidents">"Active incidents"</h2>
            {incidents.into_iter().map(|incident| view! { <IncidentCard incident/> }).collect_view()}
        </section>
    }
    .into_any()
}

fn section_view(section: Section) -> AnyView {
    match section {
        Section::Component(component) => view! { <ComponentItem component/> }.into_any(),
        Section::Group(group) => view! { <GroupItem group/> }.into_any(),
    }
}

#[component]
fn GroupItem(group: GroupSection) -> impl IntoView {
    // A native <details> collapses and expands without JavaScript.
    view! {
        <li class="component-group">
            <details open=!group.collapsed>
                <summary class="component-group__summary">
                    <span class="component-group__name">{group.name}</span>
                    <StatusLabel status=group.status/>
                </summary>
                {group.description.map(|text| view! { <p class="component-group__description">{text}</p> })}
                <ul class="component-list component-list--nested">
                    {group.components.into_iter().map(|component| view! { <ComponentItem component/> }).collect_view()}
                </ul>
            </details>
        </li>
    }
}

#[component]
fn ComponentItem(component: ComponentRow) -> impl IntoView {
    view! {
        <li class="component" data-component-id=component.id.to_string()>
            <span class="component__name" title=component.description.clone()>{component.name}</span>
            <StatusLabel status=component.status/>
        </li>
    }
}

#[component]
fn IncidentCard(incident: IncidentSummary) -> impl IntoView {
    view! {
        <article class=format!("incident incident--{}", incident.impact.as_str())>
            <h3 class="incident__name">{incident.name}</h3>
            <p class="incident__meta">
                <span class="incident__status">{incident.status.label()}</span>
                " · " {incident.impact.label()} " impact · started "
                <time datetime=incident.started_at.to_rfc3339()>{format_utc(incident.started_at)}</time>
            </p>
            {incident.latest_update.map(|update| view! {
                <p class="incident__update">
                    <strong>{update.status.label()}</strong> " — " {update.body}
                    " " <time class="muted" datetime=update.at.to_rfc3339()>{format_utc(update.at)}</time>
                </p>
            })}
        </article>
    }
}

/// The same text on the server and in the browser, so hydration matches.
fn format_utc(at: DateTime<Utc>) -> String {
    at.format("%b %-d, %H:%M UTC").to_string()
}
