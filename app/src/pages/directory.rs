use crate::api::directory::get_directory;
use crate::components::{ErrorPanel, IndicatorLabel};
use crate::model::Directory;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: the status pages this Herald hosts.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let directory = Resource::new(|| (), |_| get_directory());
    view! {
        <Title text="Status pages"/>
        <super::HeraldFrame>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match directory.await {
                        Ok(directory) => view! { <DirectoryList directory/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </super::HeraldFrame>
    }
}

#[component]
fn DirectoryList(directory: Directory) -> impl IntoView {
    let setup = directory.setup_needed.then(|| {
        view! {
            <section class="panel panel--callout">
                <h2>"Welcome to Herald"</h2>
                <p>"No administrator exists yet. Create the first account and organization to start."</p>
                <p><a class="button" href="/setup">"Set up Herald"</a></p>
            </section>
        }
    });
    let empty = directory.organizations.is_empty();
    view! {
        <h1>"Status pages"</h1>
        {setup}
        <Show when=move || empty>
            <p class="muted">"No status page is listed here yet."</p>
        </Show>
        <ul class="directory">
            {directory
                .organizations
                .into_iter()
                .map(|organization| {
                    view! {
                        <li class="directory__entry">
                            <a class="directory__link" href=format!("/s/{}", organization.slug)>
                                <span class="directory__name">{organization.name}</span>
                                {organization.tagline.map(|tagline| view! { <span class="directory__tagline">{tagline}</span> })}
                            </a>
                            <IndicatorLabel indicator=organization.indicator/>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
