//! `/dashboard/:slug/components`: the components and groups of the public page, in its order.
//! Editors add, edit, delete (after ticking a box that says they mean it) and move them; the
//! list stays live, and every form also works without JavaScript.

use super::form_errors;
use super::workspace::{WorkspaceHeader, keep_fresh};
use super::{confirm_box, field_class, reset_after_success, text_field};
use crate::api::catalog::{
    Catalog, CatalogComponent, CatalogEntry, CatalogGroup, CreateComponent, CreateGroup, DeleteComponent, DeleteGroup,
    EditComponent, EditGroup, GroupChoice, MoveEntry, Place, get_catalog,
};
use crate::components::StatusLabel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ComponentsPage() -> impl IntoView {
    let params = use_params_map();
    let catalog = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_catalog);
    view! {
        <super::HeraldFrame>
            {super::loaded(catalog, |catalog| view! { <LiveCatalog catalog/> })}
        </super::HeraldFrame>
    }
}

/// What every row needs besides its own data.
#[derive(Clone, Copy)]
struct Context {
    slug: StoredValue<String>,
    may_edit: bool,
    groups: Signal<Vec<GroupChoice>>,
    moves: ServerAction<MoveEntry>,
    /// Ticks whenever a form of the page finished, so the list is fetched again at once.
    changed: RwSignal<usize>,
}

/// Counts the finished submissions of `version`'s action into `changed`.
fn report_to(changed: RwSignal<usize>, version: RwSignal<usize>) {
    Effect::new(move |_| {
        if version.get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
}

#[component]
fn LiveCatalog(catalog: Catalog) -> impl IntoView {
    let organization = catalog.organization.clone();
    let current = RwSignal::new(catalog);
    let changed = RwSignal::new(0usize);
    {
        let slug = organization.slug.clone();
        keep_fresh(organization.slug.clone(), move || changed.get(), move || get_catalog(slug.clone()), current);
    }
    let moves = ServerAction::<MoveEntry>::new();
    report_to(changed, moves.version());
    let (_, move_error) = form_errors(move || moves.value().get());
    let context = Context {
        slug: StoredValue::new(organization.slug.clone()),
        may_edit: organization.may_edit,
        groups: Signal::derive(move || current.with(|catalog| catalog.groups.clone())),
        moves,
        changed,
    };
    view! {
        <Title text=format!("Components · {} · Herald", organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            <h2>"Components"</h2>
            <p class="field__hint">"In the order of the public page. Groups fold their components under one heading."</p>
            {move || move_error().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
            <Show
                when=move || current.with(|catalog| !catalog.entries.is_empty())
                fallback=|| view! { <p class="workspace__calm">"No components yet: add the first one below."</p> }
            >
                <ol class="catalog">
                    <For
                        each=move || current.with(|catalog| catalog.entries.clone())
                        key=super::content_key
                        children=move |entry| match entry {
                            CatalogEntry::Component(component) => view! { <ComponentItem component context/> }.into_any(),
                            CatalogEntry::Group(group, members) => view! { <GroupItem group members context/> }.into_any(),
                        }
                    />
                </ol>
            </Show>
            {organization.may_edit.then(|| view! {
                <div class="catalog__create">
                    <NewComponentForm context/>
                    <NewGroupForm context/>
                </div>
            })}
        </section>
    }
}

fn group_select(
    id: String,
    selected: Option<i64>,
    groups: Signal<Vec<GroupChoice>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class=field_class(error)>
            <label for=id.clone()>"Group"</label>
            <select id=id name="group_id">
                <option value="" selected=selected.is_none()>"No group"</option>
                {move || groups.get().into_iter().map(|group| view! {
                    <option value=group.id.to_string() selected=selected == Some(group.id)>{group.name}</option>
                }).collect_view()}
            </select>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn NewComponentForm(context: Context) -> impl IntoView {
    let action = ServerAction::<CreateComponent>::new();
    report_to(context.changed, action.version());
    let (message_for, general) = form_errors(move || action.value().get());
    let form = NodeRef::new();
    reset_after_success(form, move || matches!(action.value().get(), Some(Ok(()))));
    view! {
        <details class="catalog__panel" open=true>
            <summary>"Add a component"</summary>
            <ActionForm action node_ref=form attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=context.slug.get_value()/>
                {text_field("new-component-name".into(), "name", "Name", String::new(), "As visitors read it, such as API or Checkout.", message_for("name"))}
                {text_field("new-component-key".into(), "key", "Key", String::new(), "Stable id for config files and alert labels; leave empty to make it from the name.", message_for("key"))}
                {text_field("new-component-description".into(), "description", "Description", String::new(), "Shown when a visitor asks what it is; optional.", message_for("description"))}
                {group_select("new-component-group".into(), None, context.groups, message_for("group_id"))}
                <label class="checkbox"><input type="checkbox" name="only_show_if_degraded" value="yes"/> " Only show it on the page while it is not operational"</label>
                <label class="checkbox"><input type="checkbox" name="hide_uptime" value="yes"/> " Hide its 90-day uptime bar"</label>
                <button class="button" type="submit" disabled=move || action.pending().get()>"Add component"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn NewGroupForm(context: Context) -> impl IntoView {
    let action = ServerAction::<CreateGroup>::new();
    report_to(context.changed, action.version());
    let (message_for, general) = form_errors(move || action.value().get());
    let form = NodeRef::new();
    reset_after_success(form, move || matches!(action.value().get(), Some(Ok(()))));
    view! {
        <details class="catalog__panel">
            <summary>"Add a group"</summary>
            <ActionForm action node_ref=form attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=context.slug.get_value()/>
                {text_field("new-group-name".into(), "name", "Name", String::new(), "Such as Europe or Payments; components join it from their edit form.", message_for("name"))}
                {text_field("new-group-description".into(), "description", "Description", String::new(), "", message_for("description"))}
                <label class="checkbox"><input type="checkbox" name="collapsed" value="yes"/> " Show it folded until a visitor opens it"</label>
                <button class="button" type="submit" disabled=move || action.pending().get()>"Add group"</button>
            </ActionForm>
        </details>
    }
}

/// The arrows that move an entry among its siblings; an arrow that cannot move it is left out.
#[component]
fn MoveButtons(entry: &'static str, id: i64, name: String, place: Place, context: Context) -> impl IntoView {
    let button = move |direction: &'static str, symbol: &'static str, label: String| {
        view! {
            <ActionForm action=context.moves attr:class="inline-form">
                <input type="hidden" name="slug" value=context.slug.get_value()/>
                <input type="hidden" name="entry" value=entry/>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="direction" value=direction/>
                <button class="button button--quiet catalog__move" type="submit" aria-label=label.clone() title=label>{symbol}</button>
            </ActionForm>
        }
    };
    view! {
        <span class="catalog__moves">
            {(!place.first).then(|| button("up", "↑", format!("Move {name} up")))}
            {(!place.last).then(|| button("down", "↓", format!("Move {name} down")))}
        </span>
    }
}

#[component]
fn ComponentItem(component: CatalogComponent, context: Context) -> impl IntoView {
    let flags = [
        (!component.showcase).then_some("hidden from the page"),
        component.only_show_if_degraded.then_some("shown only when not operational"),
        (!component.show_uptime).then_some("no uptime bar"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="catalog__item" data-component=component.key.clone()>
            <div class="catalog__line">
                <span class="catalog__name">{component.name.clone()}</span>
                <code class="catalog__key">{component.key.clone()}</code>
                <StatusLabel status=component.status/>
                {context.may_edit.then(|| view! {
                    <MoveButtons entry="component" id=component.id name=component.name.clone() place=component.place context/>
                })}
            </div>
            {(!component.description.is_empty()).then(|| view! { <p class="catalog__description">{component.description.clone()}</p> })}
            {(!flags.is_empty()).then(|| view! { <p class="catalog__flags">{flags}</p> })}
            {context.may_edit.then(|| view! {
                <EditComponentForm component=component.clone() context/>
                <DeleteForm what="component" id=component.id name=component.name.clone()
                    consequence="Its uptime history, and its place in past incidents and maintenance, go with it." context/>
            })}
        </li>
    }
}

#[component]
fn EditComponentForm(component: CatalogComponent, context: Context) -> impl IntoView {
    let action = ServerAction::<EditComponent>::new();
    report_to(context.changed, action.version());
    let (message_for, general) = form_errors(move || action.value().get());
    let id = component.id;
    view! {
        <details class="catalog__panel">
            <summary>{format!("Edit {}", component.name)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=context.slug.get_value()/>
                <input type="hidden" name="component_id" value=id/>
                <input type="hidden" name="version" value=component.version/>
                {text_field(format!("component-{id}-name"), "name", "Name", component.name.clone(), "", message_for("name"))}
                {text_field(format!("component-{id}-description"), "description", "Description", component.description.clone(), "", message_for("description"))}
                {group_select(format!("component-{id}-group"), component.group_id, context.groups, message_for("group_id"))}
                <label class="checkbox"><input type="checkbox" name="showcase" value="yes" checked=component.showcase/> " Show it on the public page"</label>
                <label class="checkbox"><input type="checkbox" name="only_show_if_degraded" value="yes" checked=component.only_show_if_degraded/> " Only while it is not operational"</label>
                <label class="checkbox"><input type="checkbox" name="show_uptime" value="yes" checked=component.show_uptime/> " Show its 90-day uptime bar"</label>
                <button class="button" type="submit" disabled=move || action.pending().get()>"Save"</button>
            </ActionForm>
        </details>
    }
}

/// Deleting asks for a ticked box in the same form, so one stray click deletes nothing, with
/// or without JavaScript.
#[component]
fn DeleteForm(what: &'static str, id: i64, name: String, consequence: &'static str, context: Context) -> impl IntoView {
    let confirm_id = format!("delete-{what}-{id}");
    let button = format!("Delete {name}");
    let body = move |message_for: Signal<Option<String>>, general: Box<dyn Fn() -> Option<String> + Send + Sync>| {
        view! {
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            <input type="hidden" name="slug" value=context.slug.get_value()/>
            <p class="field__hint">{consequence}</p>
            {confirm_box(confirm_id.clone(), format!("Yes, delete {name}"), message_for)}
            <button class="button button--quiet button--danger" type="submit">{button.clone()}</button>
        }
    };
    let form = if what == "group" {
        let action = ServerAction::<DeleteGroup>::new();
        report_to(context.changed, action.version());
        let (message_for, general) = form_errors(move || action.value().get());
        view! {
            <ActionForm action attr:class="form" attr:novalidate="">
                <input type="hidden" name="group_id" value=id/>
                {body(message_for("confirm"), Box::new(general))}
            </ActionForm>
        }
        .into_any()
    } else {
        let action = ServerAction::<DeleteComponent>::new();
        report_to(context.changed, action.version());
        let (message_for, general) = form_errors(move || action.value().get());
        view! {
            <ActionForm action attr:class="form" attr:novalidate="">
                <input type="hidden" name="component_id" value=id/>
                {body(message_for("confirm"), Box::new(general))}
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <details class="catalog__panel catalog__panel--danger">
            <summary>"Delete…"</summary>
            {form}
        </details>
    }
}

#[component]
fn GroupItem(group: CatalogGroup, members: Vec<CatalogComponent>, context: Context) -> impl IntoView {
    view! {
        <li class="catalog__group" data-group=group.key.clone()>
            <div class="catalog__line">
                <span class="catalog__name">{group.name.clone()}</span>
                <span class="catalog__kind">"group"</span>
                {group.collapsed.then(|| view! { <span class="catalog__flags">"folded"</span> })}
                {context.may_edit.then(|| view! {
                    <MoveButtons entry="group" id=group.id name=group.name.clone() place=group.place context/>
                })}
            </div>
            {(!group.description.is_empty()).then(|| view! { <p class="catalog__description">{group.description.clone()}</p> })}
            {context.may_edit.then(|| view! {
                <EditGroupForm group=group.clone() context/>
                <DeleteForm what="group" id=group.id name=group.name.clone()
                    consequence="Its components stay, ungrouped." context/>
            })}
            {if members.is_empty() {
                view! { <p class="catalog__flags">"No components yet: choose this group in a component's edit form. A group without components is not shown on the page."</p> }.into_any()
            } else {
                view! {
                    <ol class="catalog catalog--members">
                        {members.into_iter().map(|component| view! { <ComponentItem component context/> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </li>
    }
}

#[component]
fn EditGroupForm(group: CatalogGroup, context: Context) -> impl IntoView {
    let action = ServerAction::<EditGroup>::new();
    report_to(context.changed, action.version());
    let (message_for, general) = form_errors(move || action.value().get());
    let id = group.id;
    view! {
        <details class="catalog__panel">
            <summary>{format!("Edit {}", group.name)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=context.slug.get_value()/>
                <input type="hidden" name="group_id" value=id/>
                <input type="hidden" name="version" value=group.version/>
                {text_field(format!("group-{id}-name"), "name", "Name", group.name.clone(), "", message_for("name"))}
                {text_field(format!("group-{id}-description"), "description", "Description", group.description.clone(), "", message_for("description"))}
                <label class="checkbox"><input type="checkbox" name="collapsed" value="yes" checked=group.collapsed/> " Show it folded until a visitor opens it"</label>
                <button class="button" type="submit" disabled=move || action.pending().get()>"Save"</button>
            </ActionForm>
        </details>
    }
}
