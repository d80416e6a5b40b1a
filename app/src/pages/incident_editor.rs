//! `/dashboard/:slug/incidents/:id`: one incident's timeline, kept live, and the form for its
//! next update (status, message, component changes). Resolving is an update whose status is
//! "Resolved": the components come back to whatever else still holds them, or operational.

use super::form_errors;
use super::workspace::{SETTABLE_STATUSES, WorkspaceHeader, keep_fresh, utc_time};
use crate::api::dashboard::{IncidentEditor, PostIncidentUpdate, PostedUpdate, SavePostmortem, get_incident_editor};
use crate::components::{MarkdownEditor, StatusLabel};
use herald::IncidentStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn IncidentEditorPage() -> impl IntoView {
    let params = use_params_map();
    let editor = Resource::new(
        move || {
            params.with(|params| {
                (params.get("slug").unwrap_or_default(), params.get("id").and_then(|id| id.parse::<i64>().ok()))
            })
        },
        |(slug, id)| async move {
            match id {
                Some(id) => get_incident_editor(slug, id).await,
                None => Err(crate::error::AppError::NotFound("There is no such incident.".into())),
            }
        },
    );
    view! {
        <super::HeraldFrame>
            {super::loaded(editor, |editor| view! { <LiveIncidentEditor editor/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn LiveIncidentEditor(editor: IncidentEditor) -> impl IntoView {
    let organization = editor.organization.clone();
    let slug = organization.slug.clone();
    let id = editor.id;
    let action = ServerAction::<PostIncidentUpdate>::new();
    let current = RwSignal::new(editor.clone());
    {
        let slug = slug.clone();
        keep_fresh(
            organization.slug.clone(),
            move || action.version().get(),
            move || get_incident_editor(slug.clone(), id),
            current,
        );
    }
    let public_link = format!("/s/{slug}/incidents/{id}");
    let form_state =
        Memo::new(move |_| current.with(|editor| (editor.status, editor.held.clone(), editor.components.clone())));
    let postmortem_state = Memo::new(move |_| current.with(|editor| (editor.status, editor.version)));
    let message = RwSignal::new(String::new());
    // A posted update clears the message, ready for the next one.
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            message.set(String::new());
        }
    });
    view! {
        <Title text=format!("{} · {} · Herald", editor.name, organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            <h2 class="incident-editor__name">{move || current.with(|editor| editor.name.clone())}</h2>
            <p class="incident-editor__state" aria-live="polite">
                <span class="incident-editor__status">{move || current.with(|editor| editor.status.label())}</span>
                " · " {move || current.with(|editor| editor.impact.label())} " impact · started "
                {move || current.with(|editor| utc_time(editor.started_at))}
                {move || current.with(|editor| editor.resolved_at.map(|at| format!(" · resolved {}", utc_time(at))))}
                " · " <a href=public_link>"On the public page"</a>
            </p>
            <ul class="held-components">
                <For
                    each=move || current.with(|editor| editor.held.clone())
                    key=super::content_key
                    children=|held| view! { <li>{held.name} " " <StatusLabel status=held.status/></li> }
                />
            </ul>
            {organization.may_edit.then(|| view! {
                // Rebuilt when the incident's state changes (after this form's post, or another
                // editor's), so its defaults match; the message being typed lives outside it.
                {move || {
                    let _ = form_state.get();
                    view! { <UpdateForm editor=current.get_untracked() action message/> }
                }}
            })}
            {organization.may_edit.then(|| view! {
                // Rebuilt only when the incident is saved again, so a live refresh for some
                // other change never wipes a postmortem being written.
                {move || {
                    let (status, _) = postmortem_state.get();
                    matches!(status, IncidentStatus::Resolved | IncidentStatus::Postmortem)
                        .then(|| view! { <PostmortemForm editor=current.get_untracked()/> })
                }}
            })}
            <h2>"Timeline"</h2>
            <ol class="update-list">
                <For
                    each=move || current.with(|editor| editor.updates.clone())
                    key=super::content_key
                    children=|update| view! { <UpdateItem update/> }
                />
            </ol>
        </section>
    }
}

#[component]
fn UpdateItem(update: PostedUpdate) -> impl IntoView {
    view! {
        <li class="update-list__item">
            <p class="update-list__heading">
                <strong>{update.status.label()}</strong> " · " {utc_time(update.at)}
                {update.author.map(|author| format!(" · {author}"))}
                {(!update.notify_subscribers).then_some(" · subscribers not notified")}
            </p>
            <div class="update-list__body prose" inner_html=update.body_html></div>
            {(!update.changes.is_empty()).then(|| view! {
                <ul class="update-list__changes">
                    {update.changes.into_iter().map(|change| view! {
                        <li>{change.component} ": " {change.old_status.label()} " → " {change.new_status.label()}</li>
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}

#[component]
fn UpdateForm(
    editor: IncidentEditor,
    action: ServerAction<PostIncidentUpdate>,
    message: RwSignal<String>,
) -> impl IntoView {
    let (message_for, general) = form_errors(move || action.value().get());
    let next_status = match editor.status {
        IncidentStatus::Investigating => IncidentStatus::Identified,
        IncidentStatus::Identified => IncidentStatus::Monitoring,
        IncidentStatus::Monitoring => IncidentStatus::Resolved,
        settled => settled,
    };
    let held: Vec<i64> = editor.held.iter().map(|held| held.id).collect();
    // The components the incident holds first: they are the ones an update usually changes.
    let mut components = editor.components.clone();
    components.sort_by_key(|component| !held.contains(&component.id));
    let invalid = move |field: &'static str, base: &'static str| {
        move || if message_for(field).get().is_some() { format!("{base} field--invalid") } else { base.to_owned() }
    };
    view! {
        <h2>"Post an update"</h2>
        <ActionForm action attr:class="form incident-form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            <input type="hidden" name="slug" value=editor.organization.slug.clone()/>
            <input type="hidden" name="incident_id" value=editor.id/>
            <div class=invalid("status", "field")>
                <label for="update-status">"Status"</label>
                <select id="update-status" name="status">
                    {IncidentStatus::ALL.iter().map(|&status| view! {
                        <option value=status.as_str() selected=status == next_status>{status.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field__hint">"Resolved gives each component back to whatever else still holds it, or operational."</p>
                <p class="field__error" role="alert">{message_for("status")}</p>
            </div>
            <fieldset class=invalid("components", "components-field")>
                <legend>"Component changes"</legend>
                {components.into_iter().map(|component| {
                    let id = format!("changes-{}", component.id);
                    let now = if held.contains(&component.id) {
                        format!("No change (held at {})", editor.held.iter().find(|h| h.id == component.id).map_or("", |h| h.status.label()))
                    } else {
                        format!("Not affected ({})", component.status.label())
                    };
                    view! {
                        <div class="component-choice">
                            <label for=id.clone()>{component.name.clone()}</label>
                            <select id=id name=format!("components[{}]", component.id)>
                                <option value="" selected>{now}</option>
                                {SETTABLE_STATUSES.iter().map(|&status| view! {
                                    <option value=status.as_str()>{status.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{message_for("components")}</p>
            </fieldset>
            <MarkdownEditor id="update-message".to_owned() name="message" label="Message" value=message rows=4 error=message_for("message")/>
            <details class="catalog__panel" open=message_for("at").get_untracked().is_some()>
                <summary>"Backdate this update"</summary>
                <div class=invalid("at", "field")>
                    <label for="update-at">"Happened at (UTC)"</label>
                    <input id="update-at" name="at" type="datetime-local"/>
                    <p class="field__hint">"For an incident recorded after the fact; leave empty for now."</p>
                    <p class="field__error" role="alert">{message_for("at")}</p>
                </div>
            </details>
            <label class="checkbox"><input type="checkbox" name="notify" value="yes" checked/> " Notify subscribers"</label>
            <button class="button" type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Posting…" } else { "Post update" }}
            </button>
        </ActionForm>
    }
}

/// A resolved incident's postmortem: written in Markdown with a preview, saved as a draft or
/// published on the public page.
#[component]
fn PostmortemForm(editor: IncidentEditor) -> impl IntoView {
    let action = ServerAction::<SavePostmortem>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let text = RwSignal::new(editor.postmortem.clone());
    view! {
        <h2>"Postmortem"</h2>
        <ActionForm action attr:class="form incident-form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            <input type="hidden" name="slug" value=editor.organization.slug.clone()/>
            <input type="hidden" name="incident_id" value=editor.id/>
            <input type="hidden" name="version" value=editor.version/>
            <MarkdownEditor id="postmortem".to_owned() name="postmortem" label="What happened, why, and what changes" value=text rows=10
                placeholder="## What happened\n\n## Why\n\n## What we are changing" error=message_for("postmortem")/>
            <label class="checkbox"><input type="checkbox" name="publish" value="yes" checked=editor.postmortem_published/> " Published on the public page"</label>
            <p class="field__error" role="alert">{message_for("postmortem_published")}</p>
            <button class="button" type="submit" disabled=move || action.pending().get()>"Save postmortem"</button>
        </ActionForm>
    }
}
