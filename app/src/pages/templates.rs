//! `/dashboard/:slug/templates`: the incident and maintenance templates that pre-fill the
//! create forms: a name to pick them by, the title and first message, the default impact and
//! status, and the components they pre-select.

use super::workspace::{WorkspaceHeader, keep_fresh};
use super::{confirm_box, form_errors};
use crate::api::dashboard::WorkspaceComponent;
use crate::api::templates::{DeleteTemplate, SaveTemplate, TemplateItem, TemplateLibrary, get_templates};
use crate::components::MarkdownEditor;
use herald::{Impact, IncidentStatus, TemplateKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let params = use_params_map();
    let library = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_templates);
    view! {
        <super::HeraldFrame>
            {super::loaded(library, |library| view! { <LiveTemplates library/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn LiveTemplates(library: TemplateLibrary) -> impl IntoView {
    let organization = library.organization.clone();
    let current = RwSignal::new(library.clone());
    let changed = RwSignal::new(0usize);
    {
        let slug = organization.slug.clone();
        keep_fresh(organization.slug.clone(), move || changed.get(), move || get_templates(slug.clone()), current);
    }
    let slug = StoredValue::new(organization.slug.clone());
    let components = StoredValue::new(library.components.clone());
    let may_edit = organization.may_edit;
    view! {
        <Title text=format!("Templates · {} · Herald", organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            <h2>"Templates"</h2>
            <p class="field__hint">"Pick one when opening an incident or scheduling maintenance: it fills the form, and you can change anything before posting."</p>
            <Show
                when=move || current.with(|library| !library.templates.is_empty())
                fallback=|| view! { <p class="workspace__calm">"No templates yet."</p> }
            >
                <ul class="catalog">
                    <For
                        each=move || current.with(|library| library.templates.clone())
                        key=super::content_key
                        children=move |template| view! { <TemplateEntry template slug components changed may_edit/> }
                    />
                </ul>
            </Show>
            {may_edit.then(|| view! {
                <div class="catalog__create">
                    <details class="catalog__panel" open=true>
                        <summary>"New template"</summary>
                        <TemplateForm template=None slug components changed/>
                    </details>
                </div>
            })}
        </section>
    }
}

#[component]
fn TemplateEntry(
    template: TemplateItem,
    slug: StoredValue<String>,
    components: StoredValue<Vec<WorkspaceComponent>>,
    changed: RwSignal<usize>,
    may_edit: bool,
) -> impl IntoView {
    let names = components.with_value(|components| {
        components
            .iter()
            .filter(|component| template.component_ids.contains(&component.id))
            .map(|component| component.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let defaults = [
        Some(match template.kind {
            TemplateKind::Incident => "Incident".to_owned(),
            TemplateKind::Maintenance => "Maintenance".to_owned(),
        }),
        template.impact.map(|impact| format!("{} impact", impact.label())),
        template.status.map(|status| status.label().to_owned()),
        (!names.is_empty()).then(|| names.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="catalog__item" data-template=template.key.clone()>
            <div class="catalog__line">
                <span class="catalog__name">{template.name.clone()}</span>
                <span class="catalog__kind">{defaults}</span>
            </div>
            <p class="catalog__description">{template.title.clone()}</p>
            {may_edit.then(|| view! {
                <details class="catalog__panel">
                    <summary>{format!("Edit {}", template.name)}</summary>
                    <TemplateForm template=Some(template.clone()) slug components changed/>
                </details>
                <DeleteTemplateForm template=template.clone() slug changed/>
            })}
        </li>
    }
}

#[component]
fn TemplateForm(
    template: Option<TemplateItem>,
    slug: StoredValue<String>,
    components: StoredValue<Vec<WorkspaceComponent>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let action = ServerAction::<SaveTemplate>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    Effect::new(move |_| {
        if action.version().get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
    let prefix = StoredValue::new(
        template.as_ref().map_or_else(|| "new-template".to_owned(), |template| format!("template-{}", template.id)),
    );
    let id = move |field: &str| prefix.with_value(|prefix| format!("{prefix}-{field}"));
    let body = RwSignal::new(template.as_ref().map(|template| template.body.clone()).unwrap_or_default());
    let is_new = template.is_none();
    // A new template's form is emptied after it is saved, for the next one.
    Effect::new(move |_| {
        if is_new && matches!(action.value().get(), Some(Ok(()))) {
            body.set(String::new());
        }
    });
    let field_class = move |field: &'static str| {
        let error = message_for(field);
        move || if error.get().is_some() { "field field--invalid" } else { "field" }
    };
    let text = move |field: &'static str, label: &'static str, value: String, hint: &'static str| {
        let error = message_for(field);
        view! {
            <div class=field_class(field)>
                <label for=id(field)>{label}</label>
                <input id=id(field) name=field type="text" value=value/>
                <p class="field__hint">{hint}</p>
                <p class="field__error" role="alert">{move || error.get()}</p>
            </div>
        }
    };
    let existing = template.clone();
    let chosen_components = template.as_ref().map(|template| template.component_ids.clone()).unwrap_or_default();
    view! {
        <ActionForm action attr:class="form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            <input type="hidden" name="slug" value=slug.get_value()/>
            {existing.as_ref().map(|template| view! {
                <input type="hidden" name="template_id" value=template.id/>
                <input type="hidden" name="version" value=template.version/>
                <input type="hidden" name="kind" value=template.kind.as_str()/>
            })}
            {existing.is_none().then(|| view! {
                <div class=field_class("kind")>
                    <label for=id("kind")>"For"</label>
                    <select id=id("kind") name="kind">
                        <option value="incident" selected=true>"Incidents"</option>
                        <option value="maintenance">"Maintenance"</option>
                    </select>
                    <p class="field__error" role="alert">{message_for("kind")}</p>
                </div>
            })}
            {text("name", "Name", existing.as_ref().map(|template| template.name.clone()).unwrap_or_default(), "How editors pick it, such as Database failover.")}
            {text("title", "Title", existing.as_ref().map(|template| template.title.clone()).unwrap_or_default(), "The incident's or maintenance's name it fills in.")}
            <MarkdownEditor id=id("body") name="body" label="First message" value=body error=message_for("body")/>
            <div class="field-row">
                <div class=field_class("impact")>
                    <label for=id("impact")>"Impact"</label>
                    <select id=id("impact") name="impact">
                        <option value="">"No default"</option>
                        {Impact::ALL.iter().map(|&impact| view! {
                            <option value=impact.as_str() selected=existing.as_ref().and_then(|template| template.impact) == Some(impact)>{impact.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__hint">"Incident templates only."</p>
                    <p class="field__error" role="alert">{message_for("impact")}</p>
                </div>
                <div class=field_class("status")>
                    <label for=id("status")>"Status"</label>
                    <select id=id("status") name="status">
                        <option value="">"No default"</option>
                        {IncidentStatus::ALL.iter().filter(|status| **status != IncidentStatus::Postmortem).map(|&status| view! {
                            <option value=status.as_str() selected=existing.as_ref().and_then(|template| template.status) == Some(status)>{status.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__hint">"Incident templates only."</p>
                    <p class="field__error" role="alert">{message_for("status")}</p>
                </div>
            </div>
            <fieldset class="components-field">
                <legend>"Components it pre-selects"</legend>
                {components.get_value().into_iter().map(|component| {
                    let box_id = id(&format!("component-{}", component.id));
                    view! {
                        <label class="checkbox" for=box_id.clone()>
                            <input id=box_id.clone() type="checkbox" name=format!("components[{}]", component.id) value="yes"
                                checked=chosen_components.contains(&component.id)/>
                            " " {component.name.clone()}
                        </label>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{move || message_for("components").get().or_else(|| message_for("component_ids").get())}</p>
            </fieldset>
            <button class="button" type="submit" disabled=move || action.pending().get()>
                {if existing.is_some() { "Save" } else { "Add template" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn DeleteTemplateForm(template: TemplateItem, slug: StoredValue<String>, changed: RwSignal<usize>) -> impl IntoView {
    let action = ServerAction::<DeleteTemplate>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    Effect::new(move |_| {
        if action.version().get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
    let confirm_id = format!("delete-template-{}", template.id);
    let confirm_error = message_for("confirm");
    view! {
        <details class="catalog__panel catalog__panel--danger">
            <summary>"Delete…"</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=slug.get_value()/>
                <input type="hidden" name="template_id" value=template.id/>
                {confirm_box(confirm_id, format!("Yes, delete {}", template.name), confirm_error)}
                <button class="button button--quiet button--danger" type="submit">{format!("Delete {}", template.name)}</button>
            </ActionForm>
        </details>
    }
}
