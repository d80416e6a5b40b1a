//! `/dashboard/:slug/settings`: the organization's name and look, its custom domain, language
//! and time zone, with a preview of the page's header that follows the form as it is typed;
//! and its address, which moves on its own form because old links must keep working.

use super::workspace::WorkspaceHeader;
use super::{confirm_box, form_errors, text_field};
use crate::api::dashboard::{MoveOrganization, OrganizationSettings, SaveSettings, get_settings};
use herald::Locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let params = use_params_map();
    let settings = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_settings);
    view! {
        <super::HeraldFrame>
            {super::loaded(settings, |settings| view! { <SettingsForm settings/> })}
        </super::HeraldFrame>
    }
}

fn locale_name(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "English",
        Locale::De => "Deutsch",
        Locale::Fr => "Français",
    }
}

#[component]
fn SettingsForm(settings: OrganizationSettings) -> impl IntoView {
    let action = ServerAction::<SaveSettings>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let query = use_query_map();
    let saved = move || query.with(|query| query.get("saved")).is_some();
    let moved = move || query.with(|query| query.get("moved")).is_some();
    let name = RwSignal::new(settings.name.clone());
    let tagline = RwSignal::new(settings.tagline.clone());
    let logo_url = RwSignal::new(settings.logo_url.clone());
    let brand_colour = RwSignal::new(settings.brand_colour.clone());
    // Only a well-formed colour reaches the preview's style, as on the page itself.
    let preview_style = move || {
        herald::Colour::parse(brand_colour.get())
            .ok()
            .map(|colour| format!("--brand: {colour}; --on-brand: {};", colour.readable_text_colour()))
    };
    let field = move |id: &'static str, label: &'static str, value: RwSignal<String>, hint: &'static str| {
        let error = message_for(id);
        view! {
            <div class=move || if error.get().is_some() { "field field--invalid" } else { "field" }>
                <label for=id>{label}</label>
                <input id=id name=id type="text" prop:value=value value=value.get_untracked()
                    on:input=move |event| value.set(event_target_value(&event))/>
                <p class="field__hint">{hint}</p>
                <p class="field__error" role="alert">{move || error.get()}</p>
            </div>
        }
    };
    let fixed = move |id: &'static str, label: &'static str, value: String, hint: &'static str| {
        field(id, label, RwSignal::new(value), hint)
    };
    let locale_error = message_for("default_locale");
    let move_form = view! { <MoveForm slug=settings.organization.slug.clone() former=settings.former_slugs.clone()/> };
    view! {
        <Title text=format!("Settings · {} · Herald", settings.organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=settings.organization.clone()/>
            <h2>"Settings"</h2>
            {move || saved().then(|| view! { <p class="form__notice" role="status">"Saved. The public page shows the change now."</p> })}
            {move || moved().then(|| view! { <p class="form__notice" role="status">"Moved. The page is at its new address; the old one redirects here."</p> })}
            <div class="settings">
                <ActionForm action attr:class="form incident-form" attr:novalidate="">
                    {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                    <input type="hidden" name="slug" value=settings.organization.slug.clone()/>
                    {field("name", "Name", name, "As the page's header and title show it.")}
                    {field("tagline", "Tagline", tagline, "One line under the name; optional.")}
                    {field("logo_url", "Logo URL", logo_url, "An https:// address of an image; optional.")}
                    {fixed("website_url", "Website", settings.website_url.clone(), "Where the logo links to; optional.")}
                    {field("brand_colour", "Brand colour", brand_colour, "#rrggbb, such as #4f46e5; empty for Herald's.")}
                    {fixed("custom_domain", "Custom domain", settings.custom_domain.clone(), "Serve the page at a host of your own, such as status.example.com (point its DNS here).")}
                    <div class=move || if locale_error.get().is_some() { "field field--invalid" } else { "field" }>
                        <label for="default_locale">"Language"</label>
                        <select id="default_locale" name="default_locale">
                            {Locale::ALL.iter().map(|&locale| view! {
                                <option value=locale.as_str() selected=locale.as_str() == settings.default_locale>{locale_name(locale)}</option>
                            }).collect_view()}
                        </select>
                        <p class="field__hint">"For visitors whose browser asks for none of Herald's languages."</p>
                        <p class="field__error" role="alert">{move || locale_error.get()}</p>
                    </div>
                    {fixed("time_zone", "Time zone", settings.time_zone.clone(), "An IANA name, such as Europe/Berlin or America/New_York.")}
                    <label class="checkbox"><input type="checkbox" name="listed" value="yes" checked=settings.listed/> " List on this Herald's front page"</label>
                    <button class="button" type="submit" disabled=move || action.pending().get()>"Save settings"</button>
                </ActionForm>
                <aside class="settings__preview" aria-label="Preview">
                    <p class="field__hint">"Preview"</p>
                    <div class="settings__header" style=preview_style>
                        {move || (!logo_url.get().trim().is_empty()).then(|| view! { <img src=logo_url.get() alt="" height="32"/> })}
                        <div>
                            <strong>{move || name.get()}</strong>
                            <span class="settings__tagline">{move || tagline.get()}</span>
                        </div>
                    </div>
                </aside>
            </div>
            {move_form}
        </section>
    }
}

/// The page's address. Links people already have (emails, feed readers, embeds, badges,
/// bookmarks) keep working: the old address redirects, and stays reserved for this page.
#[component]
fn MoveForm(slug: String, former: Vec<String>) -> impl IntoView {
    let action = ServerAction::<MoveOrganization>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let confirm_error = message_for("confirm");
    let former = (!former.is_empty()).then(|| {
        view! { <p class="field__hint">"Former addresses, still redirecting here: " {former.join(", ")}</p> }
    });
    view! {
        <details class="catalog__panel catalog__panel--danger settings__move">
            <summary>"Change the page's address…"</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <input type="hidden" name="slug" value=slug.clone()/>
                <p class="field__hint">"The public page is at " <code>{format!("/s/{slug}")}</code> ". After the move the old address redirects to the new one, so links people have keep working; no other organization can take it."</p>
                {former}
                {text_field("new_slug".to_owned(), "new_slug", "New address", slug.clone(), "Lowercase letters, digits and dashes, such as acme-status.", message_for("slug"))}
                {confirm_box("confirm-move".to_owned(), "Yes, move the page".to_owned(), confirm_error)}
                <button class="button button--quiet button--danger" type="submit" disabled=move || action.pending().get()>"Move the page"</button>
            </ActionForm>
        </details>
    }
}
