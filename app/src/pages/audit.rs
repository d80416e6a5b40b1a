//! `/dashboard/:slug/audit`: every change to the organization, newest first, by whom, with the
//! record before and after; narrowed by kind of record or action through a plain GET form, so
//! filters are links that can be shared and work without JavaScript.

use super::url_encode;
use super::workspace::{WorkspaceHeader, utc_time};
use crate::api::dashboard::{AuditLine, AuditLogPage, get_audit_log};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The kinds of record the log names, for the filter.
const RECORDS: [(&str, &str); 9] = [
    ("", "Everything"),
    ("incident", "Incidents"),
    ("maintenance", "Maintenance"),
    ("component", "Components"),
    ("group", "Groups"),
    ("template", "Templates"),
    ("organization", "Organization settings"),
    ("user", "Members"),
    ("invitation", "Invitations"),
];

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let log = Resource::new(
        move || {
            let text = |name: &str| query.with(|query| query.get(name)).filter(|value| !value.is_empty());
            let offset = text("offset").and_then(|offset| offset.parse::<u64>().ok());
            (params.read().get("slug").unwrap_or_default(), text("entity_type"), text("action"), offset)
        },
        |(slug, entity_type, action, offset)| get_audit_log(slug, entity_type, action, offset),
    );
    view! {
        <super::HeraldFrame>
            {super::loaded(log, |log| view! { <AuditLog log/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn AuditLog(log: AuditLogPage) -> impl IntoView {
    let query = use_query_map();
    let chosen = query.with_untracked(|query| query.get("entity_type")).unwrap_or_default();
    let action = query.with_untracked(|query| query.get("action")).unwrap_or_default();
    let here = format!("/dashboard/{}/audit", log.organization.slug);
    let older = log.next_offset.map(|offset| {
        let mut link = format!("{here}?offset={offset}");
        for (name, value) in [("entity_type", &chosen), ("action", &action)] {
            if !value.is_empty() {
                link.push_str(&format!("&{name}={}", url_encode(value)));
            }
        }
        link
    });
    let first = if log.entries.is_empty() { 0 } else { log.offset + 1 };
    let last = log.offset + log.entries.len() as u64;
    let shown = format!("{first}–{last} of {} change{}", log.total, if log.total == 1 { "" } else { "s" });
    view! {
        <Title text=format!("Audit log · {} · Herald", log.organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=log.organization.clone()/>
            <h2>"Audit log"</h2>
            <form method="get" action=here.clone() class="form form--filters">
                <div class="field">
                    <label for="entity_type">"Record"</label>
                    <select id="entity_type" name="entity_type">
                        {RECORDS.iter().map(|(value, label)| view! {
                            <option value=*value selected=*value == chosen>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="action">"Action"</label>
                    <input id="action" name="action" type="text" value=action.clone() placeholder="incident.created"/>
                </div>
                <button class="button button--quiet" type="submit">"Filter"</button>
            </form>
            <p class="field__hint">{shown}</p>
            {if log.entries.is_empty() {
                view! { <p class="workspace__calm">"No changes match."</p> }.into_any()
            } else {
                view! {
                    <ol class="update-list audit-list">
                        {log.entries.into_iter().map(|entry| view! { <AuditItem entry/> }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
            {older.map(|link| view! { <p><a href=link>"Older changes"</a></p> })}
        </section>
    }
}

#[component]
fn AuditItem(entry: AuditLine) -> impl IntoView {
    let has_detail = entry.before.is_some() || entry.after.is_some();
    view! {
        <li class="update-list__item">
            <p class="update-list__heading">
                <strong>{entry.action}</strong> " · " {entry.record} " · " {entry.actor} " · " {utc_time(entry.at)}
            </p>
            {has_detail.then(|| view! {
                <details class="audit-list__detail">
                    <summary>"Before and after"</summary>
                    <div class="audit-list__diff">
                        <pre aria-label="Before">{entry.before.unwrap_or_else(|| "(nothing)".into())}</pre>
                        <pre aria-label="After">{entry.after.unwrap_or_else(|| "(nothing)".into())}</pre>
                    </div>
                </details>
            })}
        </li>
    }
}
