//! Feeds of a status page: RSS 2.0 and Atom of incidents and maintenance (the whole page, or
//! one component's), and an iCalendar feed of maintenance that calendar apps subscribe to.
//! Entries and events keep stable ids, so readers and calendars update what they already
//! show instead of adding copies.

use crate::startup::ServerState;
use app::error::AppError;
use app::ssr::feeds::{self, EntryKind, Feed, FeedEntry};
use app::ssr::markdown;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};

const FEED_MAX_AGE: &str = "public, max-age=60";

fn respond(content_type: &'static str, body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(FEED_MAX_AGE));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

fn failed(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
}

pub async fn history_rss(State(state): State<ServerState>, Path(slug): Path<String>) -> Response {
    serve_history(&state, &slug, None, Format::Rss).await
}

pub async fn history_atom(State(state): State<ServerState>, Path(slug): Path<String>) -> Response {
    serve_history(&state, &slug, None, Format::Atom).await
}

pub async fn component_rss(
    State(state): State<ServerState>,
    Path((slug, component)): Path<(String, String)>,
) -> Response {
    serve_history(&state, &slug, Some(&component), Format::Rss).await
}

pub async fn component_atom(
    State(state): State<ServerState>,
    Path((slug, component)): Path<(String, String)>,
) -> Response {
    serve_history(&state, &slug, Some(&component), Format::Atom).await
}

async fn serve_history(state: &ServerState, slug: &str, component: Option<&str>, format: Format) -> Response {
    let file = if format == Format::Rss { "history.rss" } else { "history.atom" };
    let feed = match feeds::history(&state.db, slug, component).await {
        Ok(feed) => feed,
        Err(error) => return failed(error),
    };
    let base = &state.app.public_url;
    let self_path = match &feed.component {
        Some(component) => format!("/s/{slug}/components/{}/{file}", component.key),
        None => format!("/s/{slug}/{file}"),
    };
    if format == Format::Rss {
        respond("application/rss+xml; charset=utf-8", rss(&feed, base))
    } else {
        respond("application/atom+xml; charset=utf-8", atom(&feed, base, &format!("{base}{self_path}")))
    }
}

fn feed_title(feed: &Feed) -> String {
    match &feed.component {
        Some(component) => format!("{} status: {}", feed.organization.name, component.name),
        None => format!("{} status", feed.organization.name),
    }
}

fn entry_title(entry: &FeedEntry) -> String {
    let kind = match entry.kind {
        EntryKind::Incident { .. } => "",
        EntryKind::Maintenance { .. } => "Maintenance: ",
    };
    format!("{kind}{} [{}]", entry.name, label(&entry.status))
}

fn label(status: &str) -> String {
    let mut words = status.replace('_', " ");
    if let Some(first) = words.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    words
}

/// The entry's whole timeline, newest first, as HTML.
fn entry_html(entry: &FeedEntry) -> String {
    let mut html = String::new();
    if let EntryKind::Maintenance { scheduled_start, scheduled_end, .. } = entry.kind {
        html.push_str(&format!(
            "<p><strong>Scheduled:</strong> {} – {}</p>",
            scheduled_start.format("%Y-%m-%d %H:%M UTC"),
            scheduled_end.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if !entry.components.is_empty() {
        html.push_str(&format!(
            "<p><strong>Affected:</strong> {}</p>",
            app::ssr::html::escape(&entry.components.join(", "))
        ));
    }
    for update in &entry.updates {
        html.push_str(&format!(
            "<p><small>{}</small> <strong>{}</strong></p>{}",
            update.at.format("%Y-%m-%d %H:%M UTC"),
            label(&update.status),
            markdown::to_safe_html(&update.body)
        ));
    }
    html
}

fn rss(feed: &Feed, base: &str) -> String {
    let mut channel = rss::Channel::default();
    channel.set_title(feed_title(feed));
    channel.set_link(format!("{base}/s/{}", feed.organization.slug));
    channel.set_description(format!("Incidents and maintenance of {}", feed.organization.name));
    channel.set_ttl("1".to_owned());
    if let Some(latest) = feed.entries.first() {
        channel.set_last_build_date(latest.updated_at.to_rfc2822());
    }
    channel.set_items(
        feed.entries
            .iter()
            .map(|entry| {
                let link = format!("{base}{}", entry.path);
                let mut item = rss::Item::default();
                item.set_title(entry_title(entry));
                item.set_link(link.clone());
                item.set_description(entry_html(entry));
                item.set_pub_date(entry.started_at.to_rfc2822());
                let mut guid = rss::Guid::default();
                guid.set_value(link);
                guid.set_permalink(true);
                item.set_guid(guid);
                item
            })
            .collect::<Vec<_>>(),
    );
    channel.to_string()
}

fn fixed(at: DateTime<Utc>) -> atom_syndication::FixedDateTime {
    at.fixed_offset()
}

fn atom(feed: &Feed, base: &str, self_url: &str) -> String {
    let page = format!("{base}/s/{}", feed.organization.slug);
    let mut atom = atom_syndication::Feed::default();
    atom.set_title(atom_syndication::Text::plain(feed_title(feed)));
    atom.set_id(self_url.to_owned());
    atom.set_updated(fixed(feed.entries.first().map(|entry| entry.updated_at).unwrap_or(feed.organization.updated_at)));
    let mut alternate = atom_syndication::Link::default();
    alternate.set_href(page);
    alternate.set_rel("alternate");
    let mut this = atom_syndication::Link::default();
    this.set_href(self_url.to_owned());
    this.set_rel("self");
    atom.set_links(vec![alternate, this]);
    atom.set_entries(
        feed.entries
            .iter()
            .map(|entry| {
                let link_url = format!("{base}{}", entry.path);
                let mut item = atom_syndication::Entry::default();
                item.set_title(atom_syndication::Text::plain(entry_title(entry)));
                item.set_id(link_url.clone());
                item.set_updated(fixed(entry.updated_at));
                item.set_published(Some(fixed(entry.started_at)));
                let mut link = atom_syndication::Link::default();
                link.set_href(link_url);
                link.set_rel("alternate");
                item.set_links(vec![link]);
                let mut content = atom_syndication::Content::default();
                content.set_content_type(Some("html".to_owned()));
                content.set_value(Some(entry_html(entry)));
                item.set_content(Some(content));
                let mut author = atom_syndication::Person::default();
                author.set_name(feed.organization.name.clone());
                item.set_authors(vec![author]);
                item
            })
            .collect::<Vec<_>>(),
    );
    atom.to_string()
}

pub async fn maintenance_calendar(State(state): State<ServerState>, Path(slug): Path<String>) -> Response {
    let feed = match feeds::calendar(&state.db, &slug, Utc::now()).await {
        Ok(feed) => feed,
        Err(error) => return failed(error),
    };
    respond("text/calendar; charset=utf-8", calendar(&feed, &state.app.public_url))
}

fn calendar(feed: &Feed, base: &str) -> String {
    let host =
        url::Url::parse(base).ok().and_then(|url| url.host_str().map(str::to_owned)).unwrap_or_else(|| "herald".into());
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} maintenance", feed.organization.name));
    calendar.description(&format!("Scheduled maintenance of {}", feed.organization.name));
    calendar.ttl(&chrono::Duration::minutes(15));
    for entry in &feed.entries {
        let EntryKind::Maintenance { scheduled_start, scheduled_end, version } = entry.kind else { continue };
        let mut description = String::new();
        if !entry.components.is_empty() {
            description.push_str(&format!("Affected: {}\n\n", entry.components.join(", ")));
        }
        if let Some(latest) = entry.updates.first().filter(|update| !update.body.is_empty()) {
            description.push_str(&markdown::to_plain_text(&latest.body, 2000));
            description.push_str("\n\n");
        }
        description.push_str(&format!("{base}{}", entry.path));
        let event = icalendar::Event::new()
            .uid(&format!("maintenance-{}@{host}", entry.id))
            .summary(&format!("{}: {}", feed.organization.name, entry.name))
            .description(&description)
            .starts(scheduled_start)
            .ends(scheduled_end)
            .sequence(u32::try_from(version).unwrap_or(0))
            .last_modified(entry.updated_at)
            .timestamp(entry.updated_at)
            .url(&format!("{base}{}", entry.path))
            .status(if entry.status == "cancelled" { EventStatus::Cancelled } else { EventStatus::Confirmed })
            .done();
        calendar.push(event);
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_words() {
        assert_eq!(label("in_progress"), "In progress");
        assert_eq!(label(""), "");
    }
}
