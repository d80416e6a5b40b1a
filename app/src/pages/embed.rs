use crate::api::status_page::get_status_page;
use crate::i18n::{self, texts};
use crate::locale::use_locale;
use crate::model::StatusPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/s/:slug/embed`: the overall state in a small card for an `<iframe>` on another site,
/// kept live like the full page. `?theme=light|dark` overrides the visitor's system setting.
#[component]
pub fn EmbedPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let theme = query.with_untracked(|query| match query.get("theme").as_deref() {
        Some("dark") => "embed embed--dark",
        Some("light") => "embed embed--light",
        _ => "embed",
    });
    let page = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_status_page);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <EmbedCard page class=theme/> }.into_any(),
                    Err(error) => view! { <p class="embed embed--missing">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmbedCard(page: StatusPage, class: &'static str) -> impl IntoView {
    let locale = use_locale();
    let t = texts(locale);
    let organization = page.organization.clone();
    let page = RwSignal::new(page);
    let _live = crate::live::follow(organization.slug.clone(), page);
    let indicator = Memo::new(move |_| page.with(|page| page.indicator));
    let incident =
        move || page.with(|page| page.active_incidents.first().map(|incident| (incident.id, incident.name.clone())));
    let href = format!("/s/{}", organization.slug);
    view! {
        <Title text=format!("{} status", organization.name)/>
        <div class=class>
            <a class=move || format!("embed__card embed__card--{}", indicator.get().as_str()) href=href.clone() target="_blank" rel="noopener">
                <span class="embed__mark" aria-hidden="true"></span>
                <span class="embed__text">
                    <span class="embed__org">{organization.name.clone()}</span>
                    <strong class="embed__headline">{move || i18n::headline(locale, indicator.get())}</strong>
                    {move || incident().map(|(id, name)| view! {
                        <span class="embed__incident" data-incident-id=id.to_string()>{name}</span>
                    })}
                </span>
                <span class="embed__more">{t.view_status_page} " →"</span>
            </a>
        </div>
    }
    .into_any()
}
