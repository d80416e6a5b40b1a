//! `/dashboard/:slug/checks`: monitoring. Each check with its status, latest result, uptime
//! over 24 hours and 7 days, a strip of its latest latencies and its recent failures; run
//! now, pause, resume, edit, delete; and a form to add HTTP, TCP, DNS and heartbeat checks.

use super::workspace::{WorkspaceHeader, keep_fresh};
use super::{confirm_box, field_class, form_errors, input_field};
use crate::api::checks::{
    AddCheck, CheckAction, CheckBoard, CheckItem, CheckSettings, DeleteCheck, EditCheck, LatencyBucket, get_checks,
};
use crate::api::dashboard::WorkspaceComponent;
use herald::{CheckKind, CheckOutcome, ComponentStatus, DnsRecordType};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ChecksPage() -> impl IntoView {
    let params = use_params_map();
    let board = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_checks);
    view! {
        <super::HeraldFrame>
            {super::loaded(board, |board| view! { <LiveChecks board/> })}
        </super::HeraldFrame>
    }
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |share| format!("{:.2} %", share * 100.0))
}

#[component]
fn LiveChecks(board: CheckBoard) -> impl IntoView {
    let organization = board.organization.clone();
    let current = RwSignal::new(board.clone());
    let changed = RwSignal::new(0usize);
    {
        let slug = organization.slug.clone();
        keep_fresh(organization.slug.clone(), move || changed.get(), move || get_checks(slug.clone()), current);
    }
    let slug = StoredValue::new(organization.slug.clone());
    let components = StoredValue::new(board.components.clone());
    let may_edit = organization.may_edit;
    let min_interval = board.min_interval_seconds;
    view! {
        <Title text=format!("Monitoring · {} · Herald", organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            <h2>"Monitoring"</h2>
            <p class="field__hint">"Checks set their component's status by themselves: a failure is re-checked twice before it counts, and after three failed runs an incident opens, to resolve once the service has stayed healthy."</p>
            <Show
                when=move || current.with(|board| !board.checks.is_empty())
                fallback=|| view! { <p class="workspace__calm">"No checks yet."</p> }
            >
                <ul class="catalog checks">
                    <For
                        each=move || current.with(|board| board.checks.clone())
                        key=super::content_key
                        children=move |check| view! { <CheckEntry check slug components changed may_edit min_interval/> }
                    />
                </ul>
            </Show>
            {may_edit.then(|| view! {
                <div class="catalog__create">
                    <details class="catalog__panel" open=true>
                        <summary>"New check"</summary>
                        <AddCheckForm slug components changed min_interval/>
                    </details>
                </div>
            })}
        </section>
    }
}

/// The latest latencies as bars (failed runs in red), scaled to the slowest.
#[component]
fn LatencyStrip(latencies: Vec<Option<i32>>) -> impl IntoView {
    let slowest = latencies.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let width = 4.0;
    let label = match latencies.iter().flatten().copied().max() {
        Some(slowest) => format!("Latency of the last {} runs; slowest {slowest} ms", latencies.len()),
        None => "No latencies yet".to_owned(),
    };
    let title = label.clone();
    view! {
        <svg class="latency" role="img" aria-label=label viewBox=format!("0 0 {} 24", latencies.len().max(1) as f64 * width) preserveAspectRatio="none">
            <title>{title}</title>
            {latencies.iter().enumerate().map(|(index, latency)| {
                let x = index as f64 * width;
                match latency {
                    Some(ms) => {
                        let height = (f64::from(*ms) / slowest * 22.0).max(1.0);
                        view! { <rect class="latency__bar" x=x y=24.0 - height width=width - 1.0 height=height/> }
                    }
                    None => view! { <rect class="latency__bar latency__bar--failed" x=x y=0.0 width=width - 1.0 height=24.0/> },
                }
            }).collect_view()}
        </svg>
    }
}

/// Average latency per bucket as bars; a bucket with failed runs gets a red cap, one where
/// every run failed a full red bar, one without runs nothing.
#[component]
fn LatencyChart(buckets: Vec<LatencyBucket>, span: &'static str, unit: &'static str) -> impl IntoView {
    let slowest = buckets.iter().filter_map(|bucket| bucket.latency_avg_ms).fold(0.0, f64::max);
    let failures: u32 = buckets.iter().map(|bucket| bucket.failures).sum();
    let label = if buckets.iter().all(|bucket| bucket.runs == 0) {
        format!("No results in the last {span}")
    } else {
        format!("Average latency per {unit}, last {span}: slowest {slowest:.0} ms; {failures} failed runs")
    };
    let width = 10.0;
    let title = label.clone();
    view! {
        <figure class="latency-chart">
            <svg class="latency" role="img" aria-label=label viewBox=format!("0 0 {} 24", buckets.len().max(1) as f64 * width) preserveAspectRatio="none">
                <title>{title.clone()}</title>
                {buckets.iter().enumerate().map(|(index, bucket)| {
                    let x = index as f64 * width + 1.0;
                    let all_failed = bucket.runs > 0 && bucket.failures == bucket.runs;
                    let height = match bucket.latency_avg_ms {
                        Some(ms) if slowest > 0.0 => (ms / slowest * 21.0).max(1.0),
                        _ => 0.0,
                    };
                    view! {
                        {(height > 0.0).then(|| view! { <rect class="latency__bar" x=x y=24.0 - height width=width - 2.0 height=height/> })}
                        {all_failed.then(|| view! { <rect class="latency__bar latency__bar--failed" x=x y=0.0 width=width - 2.0 height=24.0/> })}
                        {(bucket.failures > 0 && !all_failed).then(|| view! { <rect class="latency__bar latency__bar--failed" x=x y=0.0 width=width - 2.0 height=3.0/> })}
                    }
                }).collect_view()}
            </svg>
            <figcaption class="latency-chart__caption">{title}</figcaption>
        </figure>
    }
}

#[component]
fn CheckEntry(
    check: CheckItem,
    slug: StoredValue<String>,
    components: StoredValue<Vec<WorkspaceComponent>>,
    changed: RwSignal<usize>,
    may_edit: bool,
    min_interval: u32,
) -> impl IntoView {
    let state = if check.paused {
        ("paused", "Paused".to_owned())
    } else {
        match check.last_outcome {
            None => ("no-data", "Waiting for its first result".to_owned()),
            Some(CheckOutcome::Up) => ("up", "Up".to_owned()),
            Some(CheckOutcome::Slow) => ("slow", "Slow".to_owned()),
            Some(CheckOutcome::Down) if check.status.is_outage() => ("down", "Down".to_owned()),
            // Not yet confirmed: the component still shows what it showed.
            Some(CheckOutcome::Down) => ("slow", "Failing, re-checking".to_owned()),
        }
    };
    let latest = match (check.last_checked_at, check.last_latency_ms) {
        (Some(at), Some(ms)) => format!("Last run {} · {ms} ms", when(at)),
        (Some(at), None) => format!("Last run {}", when(at)),
        (None, _) => "Not run yet".to_owned(),
    };
    let kind = match check.kind {
        CheckKind::Http => "HTTP",
        CheckKind::Tcp => "TCP",
        CheckKind::Dns => "DNS",
        CheckKind::Heartbeat => "Heartbeat",
    };
    let drives = check.component.clone().map_or_else(|| "No component".to_owned(), |name| format!("Drives {name}"));
    view! {
        <li class="catalog__item check" data-check=check.key.clone()>
            <div class="catalog__line">
                <span class=format!("check__state check__state--{}", state.0)>{state.1}</span>
                <span class="catalog__name">{check.name.clone()}</span>
                <span class="catalog__kind">{format!("{kind} · every {} s · {drives}", check.interval_seconds)}</span>
            </div>
            <p class="catalog__description"><code>{check.target.clone()}</code></p>
            <p class="check__figures">
                {latest} " · Uptime 24 h " <strong>{percent(check.uptime_24h)}</strong>
                " · 7 d " <strong>{percent(check.uptime_7d)}</strong>
            </p>
            {check.last_error.clone().map(|error| view! { <p class="check__error">{error}</p> })}
            {(!check.latencies.is_empty()).then(|| view! { <LatencyStrip latencies=check.latencies.clone()/> })}
            <div class="check__charts">
                <LatencyChart buckets=check.hours.clone() span="24 hours" unit="hour"/>
                <LatencyChart buckets=check.days.clone() span="7 days" unit="day"/>
            </div>
            {(!check.recent_failures.is_empty()).then(|| view! {
                <details class="catalog__panel">
                    <summary>{format!("Recent failures ({})", check.recent_failures.len())}</summary>
                    <ul class="check__failures">
                        {check.recent_failures.iter().map(|failure| view! {
                            <li><time>{when(failure.checked_at)}</time> " " {failure.error.clone()}</li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
            {may_edit.then(|| view! {
                <div class="check__actions">
                    {(!check.paused && check.kind != CheckKind::Heartbeat).then(|| view! {
                        <CheckActionButton check_id=check.id action="run" label=format!("Check {} now", check.name) slug changed/>
                    })}
                    {if check.paused {
                        view! { <CheckActionButton check_id=check.id action="resume" label=format!("Resume {}", check.name) slug changed/> }
                    } else {
                        view! { <CheckActionButton check_id=check.id action="pause" label=format!("Pause {}", check.name) slug changed/> }
                    }}
                </div>
                <EditCheckForm check=check.clone() slug components changed min_interval/>
                <DeleteCheckForm check=check.clone() slug changed/>
            })}
        </li>
    }
}

#[component]
fn CheckActionButton(
    check_id: i64,
    action: &'static str,
    label: String,
    slug: StoredValue<String>,
    changed: RwSignal<usize>,
) -> impl IntoView {
    let server = ServerAction::<CheckAction>::new();
    let (_, general) = form_errors(move || server.value().get());
    Effect::new(move |_| {
        if server.version().get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
    view! {
        <ActionForm action=server attr:class="inline-form">
            <input type="hidden" name="slug" value=slug.get_value()/>
            <input type="hidden" name="check_id" value=check_id/>
            <input type="hidden" name="action" value=action/>
            <button class="button button--quiet" type="submit" disabled=move || server.pending().get()>{label}</button>
            {move || general().map(|text| view! { <span class="form__error" role="alert">{text}</span> })}
        </ActionForm>
    }
}

#[component]
fn DeleteCheckForm(check: CheckItem, slug: StoredValue<String>, changed: RwSignal<usize>) -> impl IntoView {
    let action = ServerAction::<DeleteCheck>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    Effect::new(move |_| {
        if action.version().get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
    let confirm_id = format!("delete-check-{}", check.id);
    let confirm_error = message_for("confirm");
    view! {
        <details class="catalog__panel catalog__panel--danger">
            <summary>"Delete…"</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=slug.get_value()/>
                <input type="hidden" name="check_id" value=check.id/>
                {confirm_box(confirm_id, format!("Yes, delete {} and its results", check.name), confirm_error)}
                <button class="button button--quiet button--danger" type="submit">{format!("Delete {}", check.name)}</button>
            </ActionForm>
        </details>
    }
}

fn interval_hint(min_interval: u32) -> &'static str {
    if min_interval < 30 { "From the configured floor to 3600." } else { "From 30 to 3600." }
}

fn component_select(
    id: String,
    components: StoredValue<Vec<WorkspaceComponent>>,
    selected: Option<i64>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class=field_class(error)>
            <label for=id.clone()>"Component it drives"</label>
            <select id=id name="component_id">
                <option value="" selected=selected.is_none()>"None (record only)"</option>
                {components.get_value().into_iter().map(|component| view! {
                    <option value=component.id.to_string() selected=selected == Some(component.id)>{component.name.clone()}</option>
                }).collect_view()}
            </select>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

fn failure_status_select(id: String, selected: ComponentStatus, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class=field_class(error)>
            <label for=id.clone()>"While it fails, the component shows"</label>
            <select id=id name="failure_status">
                {[ComponentStatus::MajorOutage, ComponentStatus::PartialOutage, ComponentStatus::DegradedPerformance].into_iter().map(|status| view! {
                    <option value=status.as_str() selected=status == selected>{status.label()}</option>
                }).collect_view()}
            </select>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

fn record_select(id: String, selected: &str) -> impl IntoView {
    let selected = selected.to_owned();
    view! {
        <div class="field">
            <label for=id.clone()>"Record"</label>
            <select id=id name="record_type">
                {DnsRecordType::ALL.iter().map(|record| view! {
                    <option value=record.as_str() selected=record.as_str() == selected>{record.as_str()}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// A check's settings, its kind fixed: only that kind's fields show, filled with what is
/// stored. A save over someone else's newer one is refused with a message (the version).
#[component]
fn EditCheckForm(
    check: CheckItem,
    slug: StoredValue<String>,
    components: StoredValue<Vec<WorkspaceComponent>>,
    changed: RwSignal<usize>,
    min_interval: u32,
) -> impl IntoView {
    let action = ServerAction::<EditCheck>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    Effect::new(move |_| {
        if action.version().get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
    let id = check.id;
    let CheckSettings {
        version,
        component_id,
        url,
        body_contains,
        host,
        port,
        record_type,
        expected,
        grace_seconds,
        timeout_ms,
        degraded_latency_ms,
        failure_status,
        auto_incident,
    } = check.settings.clone();
    let input =
        move |field: &'static str, label: &'static str, input_type: &'static str, value: String, hint: &'static str| {
            input_field(format!("check-{id}-{field}"), field, label, input_type, value, hint, message_for(field))
        };
    let target = match check.kind {
        CheckKind::Http => view! {
            {input("url", "URL", "url", url, "")}
            {input("body_contains", "The answer must contain", "text", body_contains, "Optional keyword; empty for none.")}
        }
        .into_any(),
        CheckKind::Tcp => view! {
            <div class="field-row">
                {input("host", "Host", "text", host, "")}
                {input("port", "Port", "number", port, "")}
            </div>
        }
        .into_any(),
        CheckKind::Dns => view! {
            {input("host", "Host", "text", host, "")}
            <div class="field-row">
                {record_select(format!("check-{id}-record_type"), &record_type)}
                {input("expected", "Expected answer", "text", expected, "Optional; one answer must equal it.")}
            </div>
        }
        .into_any(),
        CheckKind::Heartbeat => view! {
            {input("grace_seconds", "Grace (seconds)", "number", grace_seconds, "How late a ping may be before it counts as missed.")}
        }
        .into_any(),
    };
    let auto_id = format!("check-{id}-auto_incident");
    view! {
        <details class="catalog__panel">
            <summary>{format!("Edit {}", check.name)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
                <input type="hidden" name="slug" value=slug.get_value()/>
                <input type="hidden" name="check_id" value=id/>
                <input type="hidden" name="version" value=version/>
                {input("name", "Name", "text", check.name.clone(), "")}
                {component_select(format!("check-{id}-component"), components, component_id, message_for("component_id"))}
                {target}
                <div class="field-row">
                    {input("interval_seconds", "Every (seconds)", "number", check.interval_seconds.to_string(), interval_hint(min_interval))}
                    {input("timeout_ms", "Timeout (ms)", "number", timeout_ms.to_string(), "No longer than the interval.")}
                    {input("degraded_latency_ms", "Slow above (ms)", "number", degraded_latency_ms.map(|ms| ms.to_string()).unwrap_or_default(), "Empty: never slow.")}
                </div>
                {failure_status_select(format!("check-{id}-failure_status"), failure_status, message_for("failure_status"))}
                <label class="checkbox" for=auto_id.clone()>
                    <input id=auto_id.clone() type="checkbox" name="auto_incident" value="yes" checked=auto_incident/>
                    " Open an incident by itself after sustained failure"
                </label>
                <button class="button" type="submit" disabled=move || action.pending().get()>{format!("Save {}", check.name)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn AddCheckForm(
    slug: StoredValue<String>,
    components: StoredValue<Vec<WorkspaceComponent>>,
    changed: RwSignal<usize>,
    min_interval: u32,
) -> impl IntoView {
    let action = ServerAction::<AddCheck>::new();
    let (message_for, general) = form_errors(move || action.value().get().map(|result| result.map(|_| ())));
    Effect::new(move |_| {
        if action.version().get() > 0 {
            changed.update(|count| *count += 1);
        }
    });
    let kind = RwSignal::new("http".to_owned());
    let form = NodeRef::new();
    super::reset_after_success(form, move || {
        let succeeded = matches!(action.value().get(), Some(Ok(_)));
        if succeeded {
            kind.set("http".to_owned());
        }
        succeeded
    });
    let heartbeat_path =
        move || action.value().get().and_then(|result| result.ok()).and_then(|added| added.heartbeat_path);
    let input =
        move |field: &'static str, label: &'static str, kind_attr: &'static str, value: String, hint: &'static str| {
            input_field(format!("new-check-{field}"), field, label, kind_attr, value, hint, message_for(field))
        };
    // Without JavaScript every kind's fields show (the server reads the chosen kind's); once
    // hydrated, only the chosen kind's do.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let shown = move |kinds: &'static [&'static str]| {
        move || {
            if !hydrated.get() || kinds.contains(&kind.get().as_str()) {
                "check-fields"
            } else {
                "check-fields check-fields--hidden"
            }
        }
    };
    view! {
        <ActionForm action node_ref=form attr:class="form" attr:novalidate="">
            {move || general().map(|text| view! { <p class="form__error" role="alert">{text}</p> })}
            {move || heartbeat_path().map(|path| view! {
                <p class="form__notice" role="status">
                    "Heartbeat added. Ping this address after each run of the job (it is shown only now): "
                    <code class="check__secret">{path}</code>
                </p>
            })}
            <input type="hidden" name="slug" value=slug.get_value()/>
            <div class="field-row">
                <div class=field_class(message_for("kind"))>
                    <label for="new-check-kind">"Kind"</label>
                    <select id="new-check-kind" name="kind" on:change=move |event| kind.set(event_target_value(&event))>
                        <option value="http" selected=true>"HTTP(S)"</option>
                        <option value="tcp">"TCP port"</option>
                        <option value="dns">"DNS record"</option>
                        <option value="heartbeat">"Heartbeat (the job calls Herald)"</option>
                    </select>
                    <p class="field__error" role="alert">{message_for("kind")}</p>
                </div>
                {input("name", "Name", "text", String::new(), "Such as API health.")}
                {input("key", "Key", "text", String::new(), "Optional; made from the name.")}
            </div>
            {component_select("new-check-component".to_owned(), components, None, message_for("component_id"))}
            <div class=shown(&["http"])>
                {input("url", "URL", "url", String::new(), "GET; any 2xx answer is up.")}
                {input("body_contains", "The answer must contain", "text", String::new(), "Optional keyword, searched in the first MiB.")}
            </div>
            <div class=shown(&["tcp", "dns"])>
                {input("host", "Host", "text", String::new(), "For TCP and DNS: a name or an IP address, without a port.")}
            </div>
            <div class=shown(&["tcp"])>
                {input("port", "Port", "number", String::new(), "TCP only.")}
            </div>
            <div class=shown(&["dns"])>
                <div class="field-row">
                    {record_select("new-check-record_type".to_owned(), DnsRecordType::A.as_str())}
                    {input("expected", "Expected answer", "text", String::new(), "Optional; one answer must equal it.")}
                </div>
            </div>
            <div class=shown(&["heartbeat"])>
                {input("grace_seconds", "Grace (seconds)", "number", "60".to_owned(), "How late a ping may be before it counts as missed.")}
            </div>
            <div class="field-row">
                {input("interval_seconds", "Every (seconds)", "number", "60".to_owned(), interval_hint(min_interval))}
                {input("timeout_ms", "Timeout (ms)", "number", "10000".to_owned(), "No longer than the interval.")}
                {input("degraded_latency_ms", "Slow above (ms)", "number", String::new(), "Optional: slower answers show degraded performance.")}
            </div>
            {failure_status_select("new-check-failure_status".to_owned(), ComponentStatus::MajorOutage, message_for("failure_status"))}
            <label class="checkbox" for="new-check-auto_incident">
                <input id="new-check-auto_incident" type="checkbox" name="auto_incident" value="yes" checked=true/>
                " Open an incident by itself after sustained failure"
            </label>
            <button class="button" type="submit" disabled=move || action.pending().get()>"Add check"</button>
        </ActionForm>
    }
}
