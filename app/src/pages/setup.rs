use crate::api::setup::{CompleteSetup, get_setup_needed};
use crate::components::{ErrorPanel, Field};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/setup`: first run — create the first administrator and organization.
#[component]
pub fn SetupPage() -> impl IntoView {
    let needed = Resource::new(|| (), |_| get_setup_needed());
    view! {
        <Title text="Set up Herald"/>
        <super::HeraldFrame>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match needed.await {
                        Ok(true) => view! { <SetupForm/> }.into_any(),
                        Ok(false) => view! {
                            <section class="panel">
                                <h1>"Herald is already set up"</h1>
                                <p>"An administrator exists. New accounts are created by invitation."</p>
                                <p><a href="/">"Go to the status pages"</a></p>
                            </section>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </super::HeraldFrame>
    }
}

#[component]
fn SetupForm() -> impl IntoView {
    let action = ServerAction::<CompleteSetup>::new();
    let error = move || action.value().get().and_then(Result::err);
    let message_for = move |field: &'static str| move || error().and_then(|error| error.message_for(field));
    let general = move || error().filter(AppError::is_general).map(|error| error.to_string());
    view! {
        <section class="panel">
            <h1>"Set up Herald"</h1>
            <p>"Create the first administrator and your organization's status page. You can add more organizations and people later."</p>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <fieldset>
                    <legend>"Organization"</legend>
                    <Field name="organization_name" label="Name" kind="text" autocomplete="organization" hint="Shown at the top of the status page." error=Signal::derive(message_for("organization_name"))/>
                    <Field name="slug" label="Page address" kind="text" autocomplete="off" hint="Lowercase letters, digits and hyphens; the page will be at /s/<address>. Leave empty to derive it from the name." error=Signal::derive(message_for("slug"))/>
                </fieldset>
                <fieldset>
                    <legend>"Administrator"</legend>
                    <Field name="email" label="Email" kind="email" autocomplete="email" hint="" error=Signal::derive(message_for("email"))/>
                    <Field name="password" label="Password" kind="password" autocomplete="new-password" hint="At least 10 characters." error=Signal::derive(message_for("password"))/>
                    <Field name="password_confirmation" label="Password again" kind="password" autocomplete="new-password" hint="" error=Signal::derive(message_for("password_confirmation"))/>
                </fieldset>
                <button class="button" type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating…" } else { "Create administrator and page" }}
                </button>
            </ActionForm>
        </section>
    }
}
