//! `/dashboard/:slug/subscribers`: who is told about incidents and maintenance, on which
//! channel, and what reached them. Editors add, import, export, test and remove subscribers;
//! every notification's deliveries and every subscriber's log are one click away. Filters are
//! a plain GET form, so they are links and work without JavaScript.

use super::workspace::{WorkspaceHeader, keep_fresh, utc_time};
use super::{confirm_box, form_errors, url_encode};
use crate::api::dashboard::WorkspaceComponent;
use crate::api::subscribers::{
    AddSubscriber, AddedSubscriber, EventDeliveries, ImportReport, ImportSubscribers, RemoveSubscriber,
    SelectedSubscriber, SendTestMessage, SubscriberLine, SubscribersPage, export_path, get_subscribers,
};
use herald::{Locale, SubscriberChannel, Topic};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn topic_label(topic: Topic) -> &'static str {
    match topic {
        Topic::All => "Incidents and maintenance",
        Topic::Incidents => "Incidents",
        Topic::Maintenance => "Maintenance",
    }
}

fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[component]
pub fn SubscribersPagePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let text = |name: &str| query.with(|query| query.get(name)).filter(|value| !value.is_empty());
            (
                params.read().get("slug").unwrap_or_default(),
                text("q"),
                text("channel"),
                text("state"),
                text("offset").and_then(|offset| offset.parse::<u64>().ok()),
                text("subscriber").and_then(|id| id.parse::<i64>().ok()),
            )
        },
        |(slug, q, channel, state, offset, subscriber)| get_subscribers(slug, q, channel, state, offset, subscriber),
    );
    view! {
        <super::HeraldFrame>
            {super::loaded(page, |page| view! { <Subscribers page/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn Subscribers(page: SubscribersPage) -> impl IntoView {
    let organization = page.organization.clone();
    let slug = organization.slug.clone();
    let may_edit = organization.may_edit;
    let query = use_query_map();
    let remembered = |name: &str| query.with_untracked(|query| query.get(name)).unwrap_or_default();
    let (q, channel, state, subscriber) =
        (remembered("q"), remembered("channel"), remembered("state"), remembered("subscriber"));
    let current = RwSignal::new(page.clone());
    let changed = RwSignal::new(0usize);
    {
        let slug = slug.clone();
        let (q, channel, state) = (q.clone(), channel.clone(), state.clone());
        let offset = page.offset;
        let selected = subscriber.parse::<i64>().ok();
        keep_fresh(
            organization.slug.clone(),
            move || changed.get(),
            move || {
                let text = |value: &String| Some(value.clone()).filter(|value| !value.is_empty());
                get_subscribers(slug.clone(), text(&q), text(&channel), text(&state), Some(offset), selected)
            },
            current,
        );
    }
    let here = format!("/dashboard/{slug}/subscribers");
    let link_with = {
        let here = here.clone();
        let filters = [("q", q.clone()), ("channel", channel.clone()), ("state", state.clone())];
        move |extra: &[(&str, String)]| {
            let pairs: Vec<String> = filters
                .iter()
                .chain(extra.iter().map(|(name, value)| (*name, value.clone())).collect::<Vec<_>>().iter())
                .filter(|(_, value)| !value.is_empty())
                .map(|(name, value)| format!("{name}={}", url_encode(value)))
                .collect();
            if pairs.is_empty() { here.clone() } else { format!("{here}?{}", pairs.join("&")) }
        }
    };
    let link_with = StoredValue::new(link_with);
    let slug_value = StoredValue::new(slug.clone());
    let components = StoredValue::new(page.components.clone());
    let shown = move || {
        current.with(|page| {
            let first = if page.subscribers.is_empty() { 0 } else { page.offset + 1 };
            let last = page.offset + page.subscribers.len() as u64;
            format!("{first}–{last} of {}", plural(page.found, "subscriber", "subscribers"))
        })
    };
    let counts = move || {
        current.with(|page| {
            format!(
                "{} confirmed · {} awaiting confirmation · {} disabled",
                page.counts.confirmed, page.counts.unconfirmed, page.counts.disabled
            )
        })
    };
    let newer = move || {
        current.with(|page| {
            (page.offset > 0).then(|| {
                let offset = page.offset.saturating_sub(crate::api::subscribers::SUBSCRIBERS_PER_PAGE);
                link_with.with_value(|link| link(&[("offset", offset.to_string())]))
            })
        })
    };
    let older = move || {
        current.with(|page| {
            page.next_offset.map(|offset| link_with.with_value(|link| link(&[("offset", offset.to_string())])))
        })
    };
    view! {
        <Title text=format!("Subscribers · {} · Herald", organization.name)/>
        <section class="panel workspace subscribers">
            <WorkspaceHeader organization=organization.clone()/>
            <h2>"Subscribers"</h2>
            <p class="subscribers__counts">
                {counts} " · "
                <a href=export_path(&slug) rel="external" download="subscribers.csv">"Export CSV"</a>
            </p>
            <form method="get" action=here.clone() class="form form--filters">
                <div class="field">
                    <label for="subscriber-search">"Address contains"</label>
                    <input id="subscriber-search" name="q" type="search" value=q.clone()/>
                </div>
                <div class="field">
                    <label for="subscriber-channel">"Channel"</label>
                    <select id="subscriber-channel" name="channel">
                        <option value="" selected=channel.is_empty()>"All channels"</option>
                        {SubscriberChannel::ALL.iter().map(|value| view! {
                            <option value=value.as_str() selected=value.as_str() == channel>{value.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="subscriber-state">"State"</label>
                    <select id="subscriber-state" name="state">
                        {[("", "Any state"), ("confirmed", "Confirmed"), ("unconfirmed", "Awaiting confirmation"), ("disabled", "Disabled")]
                            .into_iter()
                            .map(|(value, label)| view! { <option value=value selected=value == state>{label}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button class="button button--quiet" type="submit">"Filter"</button>
            </form>
            <p class="field__hint">{shown}</p>
            <Show
                when=move || current.with(|page| !page.subscribers.is_empty())
                fallback=|| view! { <p class="workspace__calm">"No subscribers match."</p> }
            >
                <table class="component-table subscriber-table">
                    <thead><tr>
                        <th scope="col">"Subscriber"</th>
                        <th scope="col">"Hears about"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Last delivery"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>
                        <For
                            each=move || current.with(|page| page.subscribers.clone())
                            key=super::content_key
                            children=move |line| {
                                let log = link_with.with_value(|link| link(&[("subscriber", line.id.to_string())]));
                                view! { <SubscriberRow line log slug=slug_value changed may_edit/> }
                            }
                        />
                    </tbody>
                </table>
            </Show>
            <p class="pager">
                {move || newer().map(|link| view! { <a href=link>"← Previous page"</a> })}
                " "
                {move || older().map(|link| view! { <a href=link>"Next page →"</a> })}
            </p>
            {move || current.with(|page| page.selected.clone()).map(|selected| {
                let close = link_with.with_value(|link| link(&[]));
                view! { <DeliveryLog selected close/> }
            })}
            <h2>"Recent notifications"</h2>
            <Show
                when=move || current.with(|page| !page.notifications.is_empty())
                fallback=|| view! { <p class="workspace__calm">"Nothing has been sent yet."</p> }
            >
                <ul class="incident-list notification-log">
                    <For
                        each=move || current.with(|page| page.notifications.clone())
                        key=super::content_key
                        children=move |notification| view! { <NotificationEntry notification/> }
                    />
                </ul>
            </Show>
            {may_edit.then(|| view! {
                <div class="catalog__create">
                    <details class="catalog__panel">
                        <summary>"Add a subscriber"</summary>
                        <AddSubscriberForm slug=slug_value components changed/>
                    </details>
                    <details class="catalog__panel">
                        <summary>"Import a list (CSV)"</summary>
                        <ImportForm slug=slug_value changed/>
                    </details>
                </div>
            })}
        </section>
    }
}

#[component]
fn SubscriberRow(
    line: SubscriberLine,
    log: String,
    slug: StoredValue<String>,
    changed: RwSignal<usize>,
    may_edit: bool,
) -> impl IntoView {
    let hears = {
        let components =
            if line.components.is_empty() { "all components".to_owned() } else { line.components.join(", ") };
        format!("{} · {components}", topic_label(line.topic))
    };
    let state_note = line
        .disabled_reason
        .clone()
        .or_else(|| line.failing_since.map(|since| format!("Failing since {}", utc_time(since))));
    view! {
        <tr data-subscriber=line.id>
            <th scope="row">
                <span class="subscriber-table__target">{line.target.clone()}</span>
                <span class="subscriber-table__meta">
                    {line.channel.label()} " · " {line.locale.as_str()} " · added " {utc_time(line.created_at)}
                    {format!(" ({})", line.source)}
                </span>
            </th>
            <td>{hears}</td>
            <td>
                <span class=format!("subscriber-state subscriber-state--{}", line.state().to_lowercase().replace(' ', "-"))>{line.state()}</span>
                {state_note.map(|note| view! { <span class="subscriber-table__meta">{note}</span> })}
            </td>
            <td>{line.last_delivery_at.map(utc_time).unwrap_or_else(|| "—".into())}</td>
            <td class="subscriber-table__actions">
                <a href=log aria-label=format!("Deliveries to {}", line.target)>"Deliveries"</a>
                {may_edit.then(|| view! {
                    <SendTestForm line=line.clone() slug changed/>
                    <RemoveForm line=line.clone() slug changed/>
                })}
            </td>
        </tr>
    }
}

/// Refreshes the page's data after each run of `action`.
fn bump_after<T>(action: ServerAction<T>, changed: RwSignal<usize>)
where
    T: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    T::Output: Send + Sync + 'static,
    T::Error: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.version().get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
}

#[component]
fn SendTestForm(line: SubscriberLine, slug: StoredValue<String>, changed: RwSignal<usize>) -> impl IntoView {
    let action = ServerAction::<SendTestMessage>::new();
    bump_after(action, changed);
    let (_, general) = form_errors(move || action.value().get());
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="slug" value=slug.get_value()/>
            <input type="hidden" name="subscriber_id" value=line.id/>
            <button class="button button--quiet" type="submit" disabled=move || action.pending().get()
                aria-label=format!("Send a test message to {}", line.target)>"Send test"</button>
            {move || sent().then(|| view! { <span class="form__notice" role="status">"Queued"</span> })}
            {move || general().map(|message| view! { <span class="form__error" role="alert">{message}</span> })}
        </ActionForm>
    }
}

#[component]
fn RemoveForm(line: SubscriberLine, slug: StoredValue<String>, changed: RwSignal<usize>) -> impl IntoView {
    let action = ServerAction::<RemoveSubscriber>::new();
    bump_after(action, changed);
    let (message_for, general) = form_errors(move || action.value().get());
    let confirm_error = message_for("confirm");
    let confirm_id = format!("remove-subscriber-{}", line.id);
    view! {
        <details class="catalog__panel catalog__panel--danger">
            <summary aria-label=format!("Remove {}…", line.target)>"Remove…"</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=slug.get_value()/>
                <input type="hidden" name="subscriber_id" value=line.id/>
                {confirm_box(confirm_id, format!("Yes, stop telling {}", line.target), confirm_error)}
                <button class="button button--quiet button--danger" type="submit">"Remove"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn DeliveryLog(selected: SelectedSubscriber, close: String) -> impl IntoView {
    let SelectedSubscriber { subscriber, deliveries, total_deliveries } = selected;
    let shown = format!(
        "The latest {} of {} (the log keeps 30 days).",
        deliveries.len(),
        plural(total_deliveries, "delivery", "deliveries")
    );
    view! {
        <section class="delivery-log" aria-labelledby="delivery-log-title">
            <h2 id="delivery-log-title">{format!("Deliveries to {}", subscriber.target)}</h2>
            <p class="field__hint">{shown} " " <a href=close>"Close"</a></p>
            {if deliveries.is_empty() {
                view! { <p class="workspace__calm">"Nothing was sent to this subscriber yet."</p> }.into_any()
            } else {
                view! {
                    <table class="component-table delivery-table">
                        <thead><tr>
                            <th scope="col">"Queued"</th><th scope="col">"What"</th><th scope="col">"State"</th>
                            <th scope="col">"Attempts"</th><th scope="col">"Details"</th>
                        </tr></thead>
                        <tbody>
                            {deliveries.into_iter().map(|delivery| {
                                let details = match (delivery.state.as_str(), delivery.sent_at) {
                                    ("sent", Some(at)) => format!("Sent {}", utc_time(at)),
                                    ("pending" | "failed", _) => format!(
                                        "{}Next attempt {}",
                                        delivery.last_error.as_deref().map(|error| format!("{error} · ")).unwrap_or_default(),
                                        utc_time(delivery.next_attempt_at)
                                    ),
                                    _ => delivery.last_error.clone().unwrap_or_default(),
                                };
                                view! {
                                    <tr data-delivery=delivery.id>
                                        <td>{utc_time(delivery.created_at)}</td>
                                        <td>{delivery.what}</td>
                                        <td><span class=format!("delivery-state delivery-state--{}", delivery.state)>{delivery.state.clone()}</span></td>
                                        <td>{delivery.attempts}</td>
                                        <td>{details}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn NotificationEntry(notification: EventDeliveries) -> impl IntoView {
    let EventDeliveries { kind, subject, occurred_at, sent, on_the_way, dead, failures, .. } = notification;
    let summary =
        format!("{sent} sent · {on_the_way} on the way · {}", plural(dead, "failed for good", "failed for good"));
    let impact = if dead > 0 {
        "impact--major"
    } else if on_the_way > 0 {
        "impact--minor"
    } else {
        "impact--none"
    };
    view! {
        <li class=format!("incident-list__item {impact}")>
            <strong>{subject}</strong>
            <span class="incident-list__meta">{kind} " · " {utc_time(occurred_at)} " · " {summary}</span>
            {(!failures.is_empty()).then(|| view! {
                <details class="notification-log__failures">
                    <summary>"Failed deliveries"</summary>
                    <ul>
                        {failures.into_iter().map(|failure| view! {
                            <li>
                                <strong>{failure.target}</strong>
                                {format!(" ({}) · {} after {} attempt{}", failure.channel, failure.state, failure.attempts, if failure.attempts == 1 { "" } else { "s" })}
                                {failure.last_error.map(|error| format!(" · {error}"))}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </li>
    }
}

#[component]
fn AddSubscriberForm(
    slug: StoredValue<String>,
    components: StoredValue<Vec<WorkspaceComponent>>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let action = ServerAction::<AddSubscriber>::new();
    bump_after(action, changed);
    let (message_for, general) = form_errors(move || action.value().get().map(|result| result.map(|_| ())));
    let added = move || action.value().get().and_then(Result::ok);
    let channel = RwSignal::new(SubscriberChannel::Email);
    let form = NodeRef::new();
    super::reset_after_success(form, move || {
        let succeeded = matches!(action.value().get(), Some(Ok(_)));
        if succeeded {
            channel.set(SubscriberChannel::Email);
        }
        succeeded
    });
    let field_class = move |field: &'static str| {
        let error = message_for(field);
        move || if error.get().is_some() { "field field--invalid" } else { "field" }
    };
    let address_hint = move || match channel.get() {
        SubscriberChannel::Email => "The address to write to.",
        SubscriberChannel::Webhook => "The URL Herald POSTs signed JSON to; its secret is shown once, after adding.",
        SubscriberChannel::Slack => "A Slack incoming-webhook URL.",
        SubscriberChannel::Discord => "A Discord channel webhook URL.",
        SubscriberChannel::Teams => "A Teams workflow webhook URL.",
        SubscriberChannel::Telegram => "The chat's numeric id, or a public channel's @name.",
    };
    view! {
        <ActionForm action node_ref=form attr:class="form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            {move || added().map(|added| view! { <AddedNotice added/> })}
            <input type="hidden" name="slug" value=slug.get_value()/>
            <div class="field-row">
                <div class=field_class("channel")>
                    <label for="new-subscriber-channel">"Channel"</label>
                    <select id="new-subscriber-channel" name="channel"
                        on:change=move |event| {
                            if let Ok(chosen) = event_target_value(&event).parse() {
                                channel.set(chosen);
                            }
                        }>
                        {SubscriberChannel::ALL.iter().map(|value| view! { <option value=value.as_str()>{value.label()}</option> }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">{message_for("channel")}</p>
                </div>
                <div class=field_class("address")>
                    <label for="new-subscriber-address">"Address"</label>
                    <input id="new-subscriber-address" name="address" type="text" autocomplete="off"/>
                    <p class="field__hint">{address_hint}</p>
                    <p class="field__error" role="alert">{message_for("address")}</p>
                </div>
            </div>
            <div class=field_class("bot_token")>
                <label for="new-subscriber-bot-token">"Telegram bot token"</label>
                <input id="new-subscriber-bot-token" name="bot_token" type="password" autocomplete="off"/>
                <p class="field__hint">"Telegram only: the token BotFather gave you. Kept encrypted."</p>
                <p class="field__error" role="alert">{message_for("bot_token")}</p>
            </div>
            <div class="field-row">
                <div class=field_class("topic")>
                    <label for="new-subscriber-topic">"Hears about"</label>
                    <select id="new-subscriber-topic" name="topic">
                        {Topic::ALL.iter().map(|&topic| view! { <option value=topic.as_str()>{topic_label(topic)}</option> }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">{message_for("topic")}</p>
                </div>
                <div class=field_class("locale")>
                    <label for="new-subscriber-locale">"Language"</label>
                    <select id="new-subscriber-locale" name="locale">
                        {Locale::ALL.iter().map(|&locale| view! { <option value=locale.as_str()>{locale.as_str()}</option> }).collect_view()}
                    </select>
                    <p class="field__error" role="alert">{message_for("locale")}</p>
                </div>
            </div>
            <fieldset class="components-field">
                <legend>"Components (none ticked: all of them)"</legend>
                {components.get_value().into_iter().map(|component| {
                    let box_id = format!("new-subscriber-component-{}", component.id);
                    view! {
                        <label class="checkbox" for=box_id.clone()>
                            <input id=box_id.clone() type="checkbox" name=format!("components[{}]", component.id) value="yes"/>
                            " " {component.name.clone()}
                        </label>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{message_for("components")}</p>
            </fieldset>
            <label class="checkbox" for="new-subscriber-confirmed">
                <input id="new-subscriber-confirmed" type="checkbox" name="confirmed" value="yes"/>
                " This person agreed to hear from us: skip the confirmation email"
            </label>
            <button class="button" type="submit" disabled=move || action.pending().get()>"Add subscriber"</button>
        </ActionForm>
    }
}

#[component]
fn AddedNotice(added: AddedSubscriber) -> impl IntoView {
    let AddedSubscriber { target, secret, awaiting_confirmation } = added;
    let note = if awaiting_confirmation {
        format!("{target} was sent a confirmation link; they hear nothing else until they follow it.")
    } else {
        format!("{target} is subscribed.")
    };
    view! {
        <div class="form__notice" role="status">
            <p>{note}</p>
            {secret.map(|secret| view! {
                <p>"Its signing secret, shown this once; give it to whoever verifies the deliveries:"</p>
                <p><code class="secret">{secret}</code></p>
            })}
        </div>
    }
}

#[component]
fn ImportForm(slug: StoredValue<String>, changed: RwSignal<usize>) -> impl IntoView {
    let action = ServerAction::<ImportSubscribers>::new();
    bump_after(action, changed);
    let (message_for, general) = form_errors(move || action.value().get().map(|result| result.map(|_| ())));
    let report = move || action.value().get().and_then(Result::ok);
    let csv = RwSignal::new(String::new());
    let reading = RwSignal::new(None::<String>);
    view! {
        <ActionForm action attr:class="form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            {move || report().map(|report| view! { <ImportOutcome report/> })}
            <input type="hidden" name="slug" value=slug.get_value()/>
            <p class="field__hint">
                "One subscriber per line. A plain column of email addresses works; so does an export from here, or a file with a header row naming "
                <code>"channel, address, topic, components, locale, confirmed"</code>
                " (components by key, separated by semicolons). Everything is imported, or nothing and every problem by line. Addresses already subscribed are left as they are."
            </p>
            <div class="field">
                <label for="import-file">"File"</label>
                <input id="import-file" type="file" accept=".csv,text/csv,text/plain"
                    on:change=move |event| read_file_into(event, csv, reading)/>
                <p class="field__hint">{move || reading.get().unwrap_or_else(|| "Or paste the list below.".into())}</p>
            </div>
            <div class=move || if message_for("csv").get().is_some() { "field field--invalid" } else { "field" }>
                <label for="import-csv">"List"</label>
                <textarea id="import-csv" name="csv" rows="8" spellcheck="false"
                    prop:value=move || csv.get() on:input=move |event| csv.set(event_target_value(&event))></textarea>
                <p class="field__error" role="alert">{message_for("csv")}</p>
            </div>
            <label class="checkbox" for="import-confirmed">
                <input id="import-confirmed" type="checkbox" name="confirmed" value="yes"/>
                " The people listed agreed to hear from us: no confirmation emails (rows with a confirmed column decide for themselves)"
            </label>
            <button class="button" type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Importing…" } else { "Import" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn ImportOutcome(report: ImportReport) -> impl IntoView {
    if !report.problems.is_empty() {
        let count = report.problems.len();
        return view! {
            <div class="form__error import-problems" role="alert">
                <p>{format!("Nothing was imported: {} to fix first.", plural(count as u64, "line", "lines"))}</p>
                <ul>{report.problems.into_iter().map(|problem| view! { <li>{problem}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any();
    }
    let summary = format!(
        "Imported {}; {} already subscribed (left as they were); {} sent a confirmation link.",
        plural(report.added, "subscriber", "subscribers"),
        report.already_subscribed,
        report.awaiting_confirmation
    );
    view! {
        <div class="form__notice" role="status">
            <p>{summary}</p>
            {(!report.webhook_secrets.is_empty()).then(|| view! {
                <p>"The new webhooks' signing secrets, shown this once:"</p>
                <ul>{report.webhook_secrets.into_iter().map(|secret| view! {
                    <li>{secret.url} ": " <code class="secret">{secret.secret}</code></li>
                }).collect_view()}</ul>
            })}
        </div>
    }
    .into_any()
}

/// Reads the chosen file into the list (in the browser; without JavaScript the list is pasted).
fn read_file_into(event: leptos::ev::Event, csv: RwSignal<String>, reading: RwSignal<Option<String>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        const MOST_BYTES: f64 = 5.0 * 1024.0 * 1024.0;
        if file.size() > MOST_BYTES {
            reading.set(Some(format!("{} is larger than 5 MB; split it into several files.", file.name())));
            return;
        }
        reading.set(Some(format!("Reading {}…", file.name())));
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|text| text.as_string()) {
                Some(text) => {
                    let lines = text.lines().filter(|line| !line.trim().is_empty()).count();
                    reading.set(Some(format!(
                        "{}: {} read; check it below, then import.",
                        file.name(),
                        plural(lines as u64, "line", "lines")
                    )));
                    csv.set(text);
                }
                None => reading.set(Some(format!("{} could not be read as text.", file.name()))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, csv, reading);
}
