//! `/dashboard/:slug/maintenance`: schedule a maintenance window in the organization's time
//! zone, and follow it: the server starts and completes it on time by itself, and editors can
//! start it early, complete it or cancel it by hand.

use super::form_errors;
use super::workspace::{WorkspaceHeader, keep_fresh};
use crate::api::planner::{MoveMaintenance, PlannedMaintenance, Planner, ScheduleMaintenance, get_planner};
use crate::components::MarkdownEditor;
use herald::MaintenanceStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MaintenancePlannerPage() -> impl IntoView {
    let params = use_params_map();
    let planner = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_planner);
    view! {
        <super::HeraldFrame>
            {super::loaded(planner, |planner| view! { <LivePlanner planner/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn LivePlanner(planner: Planner) -> impl IntoView {
    let organization = planner.organization.clone();
    let current = RwSignal::new(planner.clone());
    let moves = ServerAction::<MoveMaintenance>::new();
    let schedule = ServerAction::<ScheduleMaintenance>::new();
    {
        let slug = organization.slug.clone();
        keep_fresh(
            organization.slug.clone(),
            move || moves.version().get() + schedule.version().get(),
            move || get_planner(slug.clone()),
            current,
        );
    }
    let (_, move_error) = form_errors(move || moves.value().get());
    let slug = StoredValue::new(organization.slug.clone());
    let may_edit = organization.may_edit;
    let list = move |windows: fn(&Planner) -> &Vec<PlannedMaintenance>, empty: &'static str| {
        view! {
            <Show
                when=move || current.with(|planner| !windows(planner).is_empty())
                fallback=move || view! { <p class="workspace__calm">{empty}</p> }
            >
                <ul class="incident-list">
                    <For
                        each=move || current.with(|planner| windows(planner).clone())
                        key=super::content_key
                        children=move |window| view! { <WindowItem window slug may_edit moves/> }
                    />
                </ul>
            </Show>
        }
    };
    view! {
        <Title text=format!("Maintenance · {} · Herald", organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            {move || move_error().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
            <h2>"In progress"</h2>
            {list(|planner| &planner.active, "No maintenance in progress.")}
            <h2>"Upcoming"</h2>
            {list(|planner| &planner.upcoming, "Nothing scheduled.")}
            {may_edit.then(|| view! { <ScheduleForm planner=planner.clone() action=schedule/> })}
            <h2>"Recently finished"</h2>
            {list(|planner| &planner.finished, "None yet.")}
        </section>
    }
}

#[component]
fn WindowItem(
    window: PlannedMaintenance,
    slug: StoredValue<String>,
    may_edit: bool,
    moves: ServerAction<MoveMaintenance>,
) -> impl IntoView {
    let button = move |to: MaintenanceStatus, label: String, quiet: bool| {
        view! {
            <ActionForm action=moves attr:class="inline-form">
                <input type="hidden" name="slug" value=slug.get_value()/>
                <input type="hidden" name="maintenance_id" value=window.id/>
                <input type="hidden" name="to" value=to.as_str()/>
                <button class=if quiet { "button button--quiet button--danger" } else { "button button--quiet" } type="submit">{label}</button>
            </ActionForm>
        }
    };
    let actions = match window.status {
        MaintenanceStatus::Scheduled => vec![
            button(MaintenanceStatus::InProgress, format!("Start {} now", window.name), false),
            button(MaintenanceStatus::Cancelled, format!("Cancel {}", window.name), true),
        ],
        MaintenanceStatus::InProgress | MaintenanceStatus::Verifying => vec![
            button(MaintenanceStatus::Completed, format!("Complete {}", window.name), false),
            button(MaintenanceStatus::Cancelled, format!("Cancel {}", window.name), true),
        ],
        MaintenanceStatus::Completed | MaintenanceStatus::Cancelled => Vec::new(),
    };
    let automatic = match (window.auto_start, window.auto_complete) {
        (true, true) => "starts and completes on time by itself",
        (true, false) => "starts by itself, completed by hand",
        (false, true) => "started by hand, completes by itself",
        (false, false) => "started and completed by hand",
    };
    view! {
        <li class="incident-list__item maintenance-item" data-maintenance=window.id>
            <a href=format!("/s/{}/maintenance/{}", slug.get_value(), window.id)>{window.name.clone()}</a>
            <span class="incident-list__meta">
                {window.status.label()} " · " {window.local_window.clone()} " · " {window.components.join(", ")}
            </span>
            {(window.status == MaintenanceStatus::Scheduled).then(|| view! { <span class="incident-list__meta">{automatic}</span> })}
            {(may_edit && !actions.is_empty()).then(|| view! { <span class="maintenance-item__actions">{actions}</span> })}
        </li>
    }
}

#[component]
fn ScheduleForm(planner: Planner, action: ServerAction<ScheduleMaintenance>) -> impl IntoView {
    let (message_for, general) = form_errors(move || action.value().get());
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let chosen: Vec<(i64, String, RwSignal<bool>)> = planner
        .components
        .iter()
        .map(|component| (component.id, component.name.clone(), RwSignal::new(false)))
        .collect();
    let templates = StoredValue::new(planner.templates.clone());
    let boxes = StoredValue::new(chosen.clone());
    let template_id = RwSignal::new(String::new());
    let on_template = move |event: leptos::ev::Event| {
        let id = event_target_value(&event);
        template_id.set(id.clone());
        templates.with_value(|templates| {
            if let Some(template) = templates.iter().find(|template| template.id.to_string() == id) {
                name.set(template.title.clone());
                message.set(template.body.clone());
                boxes.with_value(|boxes| {
                    for (component_id, _, ticked) in boxes {
                        ticked.set(template.component_ids.contains(component_id));
                    }
                });
            }
        });
    };
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            name.set(String::new());
            message.set(String::new());
            template_id.set(String::new());
            boxes.with_value(|boxes| boxes.iter().for_each(|(_, _, ticked)| ticked.set(false)));
        }
    });
    let field_class = move |field: &'static str| {
        let error = message_for(field);
        move || if error.get().is_some() { "field field--invalid" } else { "field" }
    };
    let zone = planner.time_zone.clone();
    view! {
        <h2>"Schedule maintenance"</h2>
        <ActionForm action attr:class="form incident-form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            <input type="hidden" name="slug" value=planner.organization.slug.clone()/>
            {(!planner.templates.is_empty()).then(|| view! {
                <div class=field_class("template_id")>
                    <label for="maintenance-template">"Start from a template"</label>
                    <select id="maintenance-template" name="template_id" prop:value=template_id on:change=on_template>
                        <option value="">"No template"</option>
                        {planner.templates.iter().map(|template| view! {
                            <option value=template.id.to_string()>{template.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <p class="field__hint">"Fills the fields below; without JavaScript, it fills the ones you leave empty."</p>
                    <p class="field__error" role="alert">{message_for("template_id")}</p>
                </div>
            })}
            <div class=field_class("name")>
                <label for="maintenance-name">"Name"</label>
                <input id="maintenance-name" name="name" type="text" maxlength="200" placeholder="Database upgrade"
                    prop:value=name on:input=move |event| name.set(event_target_value(&event))/>
                <p class="field__error" role="alert">{message_for("name")}</p>
            </div>
            <div class="field-row">
                <div class=field_class("scheduled_start")>
                    <label for="maintenance-start">"Starts"</label>
                    <input id="maintenance-start" name="scheduled_start" type="datetime-local" value=planner.suggested_start.clone()/>
                    <p class="field__hint">{format!("In {zone}.")}</p>
                    <p class="field__error" role="alert">{message_for("scheduled_start")}</p>
                </div>
                <div class=field_class("scheduled_end")>
                    <label for="maintenance-end">"Ends"</label>
                    <input id="maintenance-end" name="scheduled_end" type="datetime-local" value=planner.suggested_end.clone()/>
                    <p class="field__hint">{format!("In {zone}.")}</p>
                    <p class="field__error" role="alert">{message_for("scheduled_end")}</p>
                </div>
            </div>
            <fieldset class=move || if message_for("component_ids").get().is_some() { "components-field field--invalid" } else { "components-field" }>
                <legend>"Components under maintenance"</legend>
                {chosen.into_iter().map(|(component_id, component_name, ticked)| {
                    let box_id = format!("maintenance-component-{component_id}");
                    view! {
                        <label class="checkbox" for=box_id.clone()>
                            <input id=box_id.clone() type="checkbox" name=format!("components[{component_id}]") value="yes"
                                prop:checked=ticked on:change=move |event| ticked.set(event_target_checked(&event))/>
                            " " {component_name}
                        </label>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{move || message_for("component_ids").get().or_else(|| message_for("components").get())}</p>
            </fieldset>
            <MarkdownEditor id="maintenance-message".to_owned() name="message" label="Message" value=message
                placeholder="We will upgrade the database; checkout may be slow for a few minutes." error=message_for("message")/>
            <label class="checkbox"><input type="checkbox" name="auto_start" value="yes" checked/> " Start by itself at the start time"</label>
            <label class="checkbox"><input type="checkbox" name="auto_complete" value="yes" checked/> " Complete by itself at the end time"</label>
            <button class="button" type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Scheduling…" } else { "Schedule maintenance" }}
            </button>
        </ActionForm>
    }
}
