//! `/dashboard/:slug`: one organization's workspace. The open incidents and the components'
//! statuses stay live (another editor's change appears without a reload); the form to open an
//! incident is rendered once, so a live change never wipes what is being typed. Every form is
//! an `ActionForm`, so all of it works without JavaScript too.

use super::form_errors;
use crate::api::dashboard::{
    IncidentTemplate, OpenIncident, SetComponentStatus, StatusChoice, Workspace, WorkspaceComponent,
    WorkspaceOrganization, get_workspace,
};
use crate::components::{MarkdownEditor, StatusLabel};
use herald::{ComponentStatus, Impact, IncidentStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The statuses an editor sets by hand; maintenance and "no data" are Herald's to set.
pub(crate) const SETTABLE_STATUSES: [ComponentStatus; 4] = [
    ComponentStatus::Operational,
    ComponentStatus::DegradedPerformance,
    ComponentStatus::PartialOutage,
    ComponentStatus::MajorOutage,
];

/// An instant as the dashboard shows it, the same on the server and in the browser.
pub(crate) fn utc_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Fetches again whenever the organization changes (any editor, any replica) or `changed`
/// ticks (an action of this page finished).
pub(crate) fn keep_fresh<T: Send + Sync + 'static, F>(
    slug: String,
    changed: impl Fn() -> usize + Send + Sync + 'static,
    fetch: impl Fn() -> F + Send + Sync + 'static,
    into: RwSignal<T>,
) where
    F: std::future::Future<Output = Result<T, crate::error::AppError>> + 'static,
{
    let fetch = StoredValue::new(fetch);
    let reload = move || {
        let fresh = fetch.with_value(|fetch| fetch());
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = fresh.await {
                into.set(fresh);
            }
        })
    };
    let _live = crate::live::on_every_change(slug, move |_| reload());
    Effect::new(move |previous: Option<usize>| {
        let now = changed();
        if previous.is_some_and(|previous| previous != now) {
            reload();
        }
        now
    });
}

/// The header every workspace page shares: where you are, and the ways out.
#[component]
pub(crate) fn WorkspaceHeader(organization: WorkspaceOrganization) -> impl IntoView {
    view! {
        <div class="panel__heading workspace__heading">
            <h1><a href=format!("/dashboard/{}", organization.slug)>{organization.name.clone()}</a></h1>
            <p class="panel__meta">
                "You are " <span class="role">{organization.role.clone()}</span> " · "
                <a href=format!("/s/{}", organization.slug)>"Public page"</a> " · "
                <a href=format!("/dashboard/{}/components", organization.slug)>"Components"</a> " · "
                <a href=format!("/dashboard/{}/checks", organization.slug)>"Monitoring"</a> " · "
                <a href=format!("/dashboard/{}/maintenance", organization.slug)>"Maintenance"</a> " · "
                <a href=format!("/dashboard/{}/templates", organization.slug)>"Templates"</a> " · "
                <a href=format!("/dashboard/{}/subscribers", organization.slug)>"Subscribers"</a> " · "
                {organization.may_administer.then(|| view! {
                    <a href=format!("/dashboard/{}/members", organization.slug)>"Members"</a> " · "
                    <a href=format!("/dashboard/{}/settings", organization.slug)>"Settings"</a> " · "
                    <a href=format!("/dashboard/{}/audit", organization.slug)>"Audit log"</a> " · "
                    <a href=format!("/dashboard/{}/api-tokens", organization.slug)>"API tokens"</a> " · "
                })}
                <a href="/dashboard">"Switch organization"</a> " · "
                <a href="/account">"Account"</a>
            </p>
        </div>
    }
}

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let params = use_params_map();
    let workspace = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_workspace);
    view! {
        <super::HeraldFrame>
            {super::loaded(workspace, |workspace| view! { <LiveWorkspace workspace/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn LiveWorkspace(workspace: Workspace) -> impl IntoView {
    let organization = workspace.organization.clone();
    let slug = organization.slug.clone();
    let may_edit = organization.may_edit;
    let set_status = ServerAction::<SetComponentStatus>::new();
    let current = RwSignal::new(workspace.clone());
    {
        let slug = slug.clone();
        keep_fresh(
            organization.slug.clone(),
            move || set_status.version().get(),
            move || get_workspace(slug.clone()),
            current,
        );
    }
    let (_, status_error) = form_errors(move || set_status.value().get());
    let incidents_slug = slug.clone();
    view! {
        <Title text=format!("{} · Herald", organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            <h2>"Open incidents"</h2>
            <Show
                when=move || current.with(|workspace| !workspace.open_incidents.is_empty())
                fallback=|| view! { <p class="workspace__calm">"No open incidents."</p> }
            >
                <ul class="incident-list">
                    <For
                        each=move || current.with(|workspace| workspace.open_incidents.clone())
                        key=super::content_key
                        children={
                            let slug = incidents_slug.clone();
                            move |incident| {
                                view! {
                                    <li class=format!("incident-list__item impact--{}", incident.impact.as_str())>
                                        <a href=format!("/dashboard/{slug}/incidents/{}", incident.id)>{incident.name}</a>
                                        <span class="incident-list__meta">
                                            {incident.status.label()} " · " {incident.impact.label()} " impact · "
                                            {incident.components.join(", ")} " · since " {utc_time(incident.started_at)}
                                        </span>
                                    </li>
                                }
                            }
                        }
                    />
                </ul>
            </Show>
            {may_edit.then(|| view! { <NewIncidentForm workspace=workspace.clone()/> })}
            <h2>"Components"</h2>
            {move || status_error().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
            <table class="component-table">
                <thead><tr><th scope="col">"Component"</th><th scope="col">"Status"</th>{may_edit.then(|| view! { <th scope="col">"Set by hand"</th> })}</tr></thead>
                <tbody>
                    <For
                        each=move || current.with(|workspace| workspace.components.clone())
                        key=super::content_key
                        children={
                            let slug = slug.clone();
                            move |component| view! { <ComponentRow component slug=slug.clone() may_edit action=set_status/> }
                        }
                    />
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn ComponentRow(
    component: WorkspaceComponent,
    slug: String,
    may_edit: bool,
    action: ServerAction<SetComponentStatus>,
) -> impl IntoView {
    let select_id = format!("status-of-{}", component.id);
    let label = format!("New status of {}", component.name);
    view! {
        <tr>
            <th scope="row">
                {component.name.clone()}
                {component.group.clone().map(|group| view! { <span class="component-table__group">{group}</span> })}
            </th>
            <td><StatusLabel status=component.status/></td>
            {may_edit.then(|| view! {
                <td>
                    <ActionForm action attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug/>
                        <input type="hidden" name="component_id" value=component.id/>
                        <label class="visually-hidden" for=select_id.clone()>{label}</label>
                        <select id=select_id name="status">
                            {SETTABLE_STATUSES.iter().map(|&status| view! {
                                <option value=status.as_str() selected=status == component.status>{status.label()}</option>
                            }).collect_view()}
                        </select>
                        <button class="button button--quiet" type="submit">"Set"</button>
                    </ActionForm>
                </td>
            })}
        </tr>
    }
}

/// What a component's "affected" choice reads for the current impact.
fn suggested_text(impact: &str) -> String {
    match impact.parse::<Impact>().ok().and_then(Impact::suggested_component_status) {
        Some(status) => format!("Affected: {} (from the impact)", status.label()),
        None => "Affected: stays operational (no impact)".to_owned(),
    }
}

fn apply_template(
    template: &IncidentTemplate,
    fields: (RwSignal<String>, RwSignal<String>, RwSignal<String>, RwSignal<String>),
    choices: &[(WorkspaceComponent, RwSignal<String>)],
) {
    let (name, message, impact, status) = fields;
    name.set(template.title.clone());
    message.set(template.body.clone());
    if let Some(chosen) = template.impact {
        impact.set(chosen.as_str().to_owned());
    }
    if let Some(chosen) = template.status {
        status.set(chosen.as_str().to_owned());
    }
    for (component, choice) in choices {
        let affected = template.component_ids.contains(&component.id);
        let value = if affected { StatusChoice::Suggested } else { StatusChoice::Unchanged };
        choice.set(value.as_value().to_owned());
    }
}

/// Opening an incident: a template fills the fields, the impact pre-fills each affected
/// component's status, and the editor may change any of it before posting.
#[component]
fn NewIncidentForm(workspace: Workspace) -> impl IntoView {
    let action = ServerAction::<OpenIncident>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let slug = workspace.organization.slug.clone();
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let impact = RwSignal::new(Impact::Minor.as_str().to_owned());
    let status = RwSignal::new(IncidentStatus::Investigating.as_str().to_owned());
    let template_id = RwSignal::new(String::new());
    let template_applied = RwSignal::new(false);
    let choices: Vec<(WorkspaceComponent, RwSignal<String>)> =
        workspace.components.iter().map(|component| (component.clone(), RwSignal::new(String::new()))).collect();
    let templates = StoredValue::new(workspace.templates.clone());
    let template_choices = StoredValue::new(choices.clone());
    let on_template = move |event: leptos::ev::Event| {
        let id = event_target_value(&event);
        template_id.set(id.clone());
        templates.with_value(|templates| {
            if let Some(template) = templates.iter().find(|template| template.id.to_string() == id) {
                template_choices
                    .with_value(|choices| apply_template(template, (name, message, impact, status), choices));
                template_applied.set(true);
            }
        });
    };
    let field_class = move |field: &'static str| {
        let error = message_for(field);
        move || if error.get().is_some() { "field field--invalid" } else { "field" }
    };
    view! {
        <h2>"Open an incident"</h2>
        <ActionForm action attr:class="form incident-form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            <input type="hidden" name="slug" value=slug/>
            {move || template_applied.get().then(|| view! { <input type="hidden" name="template_applied" value="yes"/> })}
            {(!workspace.templates.is_empty()).then(|| view! {
                <div class=field_class("template_id")>
                    <label for="template_id">"Start from a template"</label>
                    <select id="template_id" name="template_id" prop:value=template_id on:change=on_template>
                        <option value="">"No template"</option>
                        {workspace.templates.iter().map(|template| view! {
                            <option value=template.id.to_string()>{template.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__hint">"Fills the fields below; without JavaScript, it fills the ones you leave empty."</p>
                    <p class="field__error" role="alert">{message_for("template_id")}</p>
                </div>
            })}
            <div class=field_class("name")>
                <label for="incident-name">"Name"</label>
                <input id="incident-name" name="name" type="text" maxlength="200" placeholder="Checkout is failing"
                    prop:value=name on:input=move |event| name.set(event_target_value(&event))/>
                <p class="field__error" role="alert">{message_for("name")}</p>
            </div>
            <div class="field-row">
                <div class=field_class("impact")>
                    <label for="incident-impact">"Impact"</label>
                    <select id="incident-impact" name="impact" prop:value=impact on:change=move |event| impact.set(event_target_value(&event))>
                        {Impact::ALL.iter().map(|&choice| view! {
                            <option value=choice.as_str() selected=choice == Impact::Minor>{choice.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">{message_for("impact")}</p>
                </div>
                <div class=field_class("status")>
                    <label for="incident-status">"Status"</label>
                    <select id="incident-status" name="status" prop:value=status on:change=move |event| status.set(event_target_value(&event))>
                        {IncidentStatus::ALL.iter().filter(|choice| **choice != IncidentStatus::Postmortem).map(|&choice| view! {
                            <option value=choice.as_str() selected=choice == IncidentStatus::Investigating>{choice.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">{message_for("status")}</p>
                </div>
            </div>
            <fieldset class=move || if message_for("components").get().is_some() { "components-field field--invalid" } else { "components-field" }>
                <legend>"Affected components"</legend>
                <p class="field__hint">"Each affected component takes the status the impact suggests; change any of them here."</p>
                {choices.into_iter().map(|(component, choice)| {
                    let id = format!("affects-{}", component.id);
                    view! {
                        <div class="component-choice">
                            <label for=id.clone()>{component.name.clone()}</label>
                            <select id=id name=format!("components[{}]", component.id) prop:value=choice
                                on:change=move |event| choice.set(event_target_value(&event))>
                                <option value="">"Not affected"</option>
                                <option value=StatusChoice::SUGGESTED>{move || suggested_text(&impact.get())}</option>
                                {SETTABLE_STATUSES.iter().map(|&status| view! {
                                    <option value=status.as_str()>{format!("Affected: {}", status.label())}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{message_for("components")}</p>
            </fieldset>
            <MarkdownEditor id="incident-message".to_owned() name="message" label="Message" value=message
                placeholder="We are investigating failed payments." hint="What your users read. Markdown works: **bold**, lists, links."
                error=message_for("message")/>
            <details class="catalog__panel" open=message_for("started_at").get_untracked().is_some()>
                <summary>"Record a past incident"</summary>
                <div class=field_class("started_at")>
                    <label for="incident-started-at">"Began at (UTC)"</label>
                    <input id="incident-started-at" name="started_at" type="datetime-local"/>
                    <p class="field__hint">"For an incident you record after the fact: choose Resolved as its status, then backdate its updates. Leave empty for now."</p>
                    <p class="field__error" role="alert">{message_for("started_at")}</p>
                </div>
            </details>
            <label class="checkbox"><input type="checkbox" name="notify" value="yes" checked/> " Notify subscribers"</label>
            <button class="button" type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Opening…" } else { "Open incident" }}
            </button>
        </ActionForm>
    }
}
