//! What a notification says. The facts of an event are read once (`EventFacts::load`), then
//! written out per channel and language: an email (subject, plain text, HTML), the webhook's
//! JSON, and the chat services' messages.

use super::super::entities::{
    components, events, incident_components, incident_updates, incidents, maintenance_components, maintenance_updates,
    maintenances, organizations,
};
use super::super::errors::internal;
use super::super::html::escape;
use super::super::markdown;
use super::super::moments::{moment, zone};
use super::super::repositories::stored;
use super::texts::{MailTexts, mail_texts};
use crate::error::AppError;
use crate::i18n;
use chrono::{DateTime, Datelike, Utc};
use herald::{ComponentStatus, EventKind, Impact, IncidentStatus, Locale, MaintenanceStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
}

#[derive(Debug, Clone)]
pub struct ComponentFact {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub status: ComponentStatus,
}

#[derive(Debug, Clone)]
pub enum Subject {
    Incident {
        id: i64,
        name: String,
        impact: Impact,
        status: IncidentStatus,
        update_id: Option<i64>,
        body: String,
    },
    Maintenance {
        id: i64,
        name: String,
        status: MaintenanceStatus,
        scheduled_start: DateTime<Utc>,
        scheduled_end: DateTime<Utc>,
        body: String,
    },
    Component {
        old: ComponentStatus,
        new: ComponentStatus,
    },
}

/// Everything any message about one event needs, read from the database once.
#[derive(Debug, Clone)]
pub struct EventFacts {
    pub event_id: i64,
    pub kind: EventKind,
    pub occurred_at: DateTime<Utc>,
    pub organization: Organization,
    pub subject: Subject,
    /// The components the event concerns, with the status each is at because of it.
    pub components: Vec<ComponentFact>,
    /// The public page about it.
    pub link: String,
    /// Whether the person who posted it asked for subscribers to be told.
    pub notify: bool,
}

fn payload_id(payload: &serde_json::Value, object: &str) -> Option<i64> {
    payload.get(object)?.get("id")?.as_i64()
}

async fn organization(db: &impl ConnectionTrait, id: i64) -> Result<Option<Organization>, AppError> {
    Ok(organizations::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("loading an event's organization"))?
        .map(|row| Organization { id: row.id, slug: row.slug, name: row.name, time_zone: row.time_zone }))
}

async fn component_facts(
    db: &impl ConnectionTrait,
    held: Vec<(i64, Option<ComponentStatus>)>,
) -> Result<Vec<ComponentFact>, AppError> {
    let ids: Vec<i64> = held.iter().map(|(id, _)| *id).collect();
    let rows = components::Entity::find()
        .filter(components::Column::Id.is_in(ids))
        .order_by_asc(components::Column::Position)
        .order_by_asc(components::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading an event's components"))?;
    rows.into_iter()
        .map(|row| {
            let status = match held.iter().find(|(id, _)| *id == row.id).and_then(|(_, status)| *status) {
                Some(status) => status,
                None => stored(&row.status)?,
            };
            Ok(ComponentFact { id: row.id, key: row.key, name: row.name, status })
        })
        .collect()
}

impl EventFacts {
    /// The facts of `event`; `None` when what it is about is gone (deleted since).
    pub async fn load(
        db: &impl ConnectionTrait,
        event: &events::Model,
        public_url: &str,
    ) -> Result<Option<EventFacts>, AppError> {
        let kind: EventKind = stored(&event.kind)?;
        let Some(organization) = organization(db, event.organization_id).await? else {
            return Ok(None);
        };
        let page = format!("{public_url}/s/{}", organization.slug);
        let payload = &event.payload;
        let (subject, components, link, notify) = match kind {
            EventKind::IncidentCreated | EventKind::IncidentUpdated | EventKind::IncidentResolved => {
                let Some(incident) = payload_id(payload, "incident") else { return Ok(None) };
                let Some(row) = incidents::Entity::find_by_id(incident)
                    .one(db)
                    .await
                    .map_err(internal("loading an event's incident"))?
                else {
                    return Ok(None);
                };
                let update_id = payload_id(payload, "update");
                let update = match update_id {
                    Some(id) => incident_updates::Entity::find_by_id(id)
                        .one(db)
                        .await
                        .map_err(internal("loading an incident update"))?,
                    None => None,
                };
                let held = incident_components::Entity::find()
                    .filter(incident_components::Column::IncidentId.eq(row.id))
                    .all(db)
                    .await
                    .map_err(internal("loading an incident's components"))?
                    .into_iter()
                    .map(|link| (link.component_id, link.component_status.parse().ok()))
                    .collect();
                let status = match &update {
                    Some(update) => stored(&update.status)?,
                    None => stored(&row.status)?,
                };
                let notify = update.as_ref().is_none_or(|update| update.notify_subscribers);
                (
                    Subject::Incident {
                        id: row.id,
                        name: row.name,
                        impact: stored(&row.impact)?,
                        status,
                        update_id,
                        body: update.map(|update| update.body).unwrap_or_default(),
                    },
                    component_facts(db, held).await?,
                    format!("{page}/incidents/{incident}"),
                    notify,
                )
            }
            EventKind::MaintenanceScheduled
            | EventKind::MaintenanceReminder
            | EventKind::MaintenanceStarted
            | EventKind::MaintenanceCompleted
            | EventKind::MaintenanceCancelled => {
                let Some(maintenance) = payload_id(payload, "maintenance") else { return Ok(None) };
                let Some(row) = maintenances::Entity::find_by_id(maintenance)
                    .one(db)
                    .await
                    .map_err(internal("loading an event's maintenance"))?
                else {
                    return Ok(None);
                };
                // The message posted with the change (the latest one written by then).
                let update = maintenance_updates::Entity::find()
                    .filter(maintenance_updates::Column::MaintenanceId.eq(row.id))
                    .filter(maintenance_updates::Column::CreatedAt.lte(event.occurred_at))
                    .order_by_desc(maintenance_updates::Column::CreatedAt)
                    .order_by_desc(maintenance_updates::Column::Id)
                    .one(db)
                    .await
                    .map_err(internal("loading a maintenance update"))?;
                let held = maintenance_components::Entity::find()
                    .filter(maintenance_components::Column::MaintenanceId.eq(row.id))
                    .all(db)
                    .await
                    .map_err(internal("loading a maintenance's components"))?
                    .into_iter()
                    .map(|link| (link.component_id, None))
                    .collect();
                let status = match payload.get("maintenance").and_then(|m| m.get("status")).and_then(|s| s.as_str()) {
                    Some(text) => stored(text)?,
                    None => stored(&row.status)?,
                };
                (
                    Subject::Maintenance {
                        id: row.id,
                        name: row.name,
                        status,
                        scheduled_start: row.scheduled_start,
                        scheduled_end: row.scheduled_end,
                        body: update.map(|update| update.body).unwrap_or_default(),
                    },
                    component_facts(db, held).await?,
                    format!("{page}/maintenance/{maintenance}"),
                    true,
                )
            }
            EventKind::ComponentStatusChanged => {
                let Some(component) = payload_id(payload, "component") else { return Ok(None) };
                let status = |field: &str| -> Result<ComponentStatus, AppError> {
                    stored(payload.get(field).and_then(|value| value.as_str()).unwrap_or_default())
                };
                let (old, new) = (status("old_status")?, status("new_status")?);
                (Subject::Component { old, new }, component_facts(db, vec![(component, Some(new))]).await?, page, true)
            }
            EventKind::PageChanged => return Ok(None),
        };
        Ok(Some(EventFacts {
            event_id: event.id,
            kind,
            occurred_at: event.occurred_at,
            organization,
            subject,
            components,
            link,
            notify,
        }))
    }

    /// The ids of the components it concerns, for subscribers' filters.
    pub fn component_ids(&self) -> Vec<i64> {
        self.components.iter().map(|component| component.id).collect()
    }

    /// The webhook body: `{type, timestamp, data}` as Standard Webhooks suggests. The shapes
    /// are documented in the README; fields are only ever added.
    pub fn webhook_body(&self) -> serde_json::Value {
        let organization =
            json!({ "id": self.organization.id, "slug": self.organization.slug, "name": self.organization.name });
        let components: Vec<_> = self
            .components
            .iter()
            .map(|component| json!({ "id": component.id, "key": component.key, "name": component.name, "status": component.status }))
            .collect();
        let mut data = json!({ "organization": organization, "components": components, "url": self.link });
        match &self.subject {
            Subject::Incident { id, name, impact, status, update_id, body } => {
                data["incident"] = json!({ "id": id, "name": name, "impact": impact, "status": status });
                data["update"] = json!({ "id": update_id, "status": status, "body": body });
            }
            Subject::Maintenance { id, name, status, scheduled_start, scheduled_end, body } => {
                data["maintenance"] = json!({
                    "id": id, "name": name, "status": status,
                    "scheduled_start": scheduled_start, "scheduled_end": scheduled_end, "message": body,
                });
            }
            Subject::Component { old, new } => {
                data["component"] = components.first().cloned().unwrap_or_default();
                data["old_status"] = json!(old);
                data["new_status"] = json!(new);
            }
        }
        json!({ "type": self.kind.as_str(), "timestamp": self.occurred_at, "data": data })
    }

    /// The message in one language.
    pub fn render(&self, locale: Locale) -> Notice {
        let texts = mail_texts(locale);
        let zone = zone(&self.organization.time_zone);
        let when = |at: DateTime<Utc>| {
            let at = moment(at, zone);
            i18n::date_time(locale, at.local, &at.zone, self.occurred_at.year())
        };
        let (kind_label, title, status, body, window, impact) = match &self.subject {
            Subject::Incident { name, impact, status, body, .. } => (
                match self.kind {
                    EventKind::IncidentCreated => texts.new_incident,
                    EventKind::IncidentResolved => texts.incident_resolved,
                    _ => texts.incident_update,
                },
                name.clone(),
                i18n::incident_status(locale, *status).to_owned(),
                body.clone(),
                None,
                Some(i18n::impact(locale, *impact)),
            ),
            Subject::Maintenance { name, status, scheduled_start, scheduled_end, body, .. } => (
                match self.kind {
                    EventKind::MaintenanceReminder => texts.maintenance_reminder,
                    EventKind::MaintenanceStarted => texts.maintenance_started,
                    EventKind::MaintenanceCompleted => texts.maintenance_completed,
                    EventKind::MaintenanceCancelled => texts.maintenance_cancelled,
                    _ => texts.maintenance_scheduled,
                },
                name.clone(),
                i18n::maintenance_status(locale, *status).to_owned(),
                body.clone(),
                Some(format!("{} – {}", when(*scheduled_start), when(*scheduled_end))),
                None,
            ),
            Subject::Component { old, new } => (
                texts.component_changed,
                self.components.first().map(|component| component.name.clone()).unwrap_or_default(),
                format!("{} → {}", i18n::component_status(locale, *old), i18n::component_status(locale, *new)),
                String::new(),
                None,
                None,
            ),
        };
        Notice {
            texts,
            page_name: self.organization.name.clone(),
            subject: format!("[{}] {kind_label}: {title}", self.organization.name),
            kind_label,
            title,
            status,
            body,
            window,
            impact,
            components: self
                .components
                .iter()
                .map(|component| (component.name.clone(), i18n::component_status(locale, component.status).to_owned()))
                .collect(),
            link: self.link.clone(),
            at: when(self.occurred_at),
        }
    }
}

/// One event's message in one language, ready to be written out for any channel.
#[derive(Debug, Clone)]
pub struct Notice {
    pub texts: &'static MailTexts,
    pub page_name: String,
    pub subject: String,
    /// "New incident", "Maintenance started", …
    pub kind_label: &'static str,
    pub title: String,
    pub status: String,
    /// The message as written (Markdown).
    pub body: String,
    pub window: Option<String>,
    pub impact: Option<&'static str>,
    /// Name and status of each component concerned.
    pub components: Vec<(String, String)>,
    pub link: String,
    /// When it happened, on the organization's clock.
    pub at: String,
}

/// The links every email carries.
#[derive(Debug, Clone)]
pub struct MailLinks {
    pub manage: String,
    pub unsubscribe: String,
}

impl Notice {
    pub fn email_text(&self, links: &MailLinks) -> String {
        let texts = self.texts;
        let mut text = format!("{} — {}\n{}: {}\n", self.title, self.status, self.kind_label, self.at);
        if let Some(window) = &self.window {
            text.push_str(&format!("{}: {window}\n", texts.scheduled));
        }
        if let Some(impact) = self.impact {
            text.push_str(&format!("{}: {impact}\n", texts.impact));
        }
        if !self.body.is_empty() {
            text.push('\n');
            text.push_str(&self.body);
            text.push('\n');
        }
        if !self.components.is_empty() {
            text.push_str(&format!("\n{}:\n", texts.affected_components));
            for (name, status) in &self.components {
                text.push_str(&format!("- {name}: {status}\n"));
            }
        }
        text.push_str(&format!("\n{}: {}\n", texts.view_on_page, self.link));
        text.push_str(&footer_text(texts, &self.page_name, links));
        text
    }

    pub fn email_html(&self, links: &MailLinks) -> String {
        let texts = self.texts;
        let mut rows = String::new();
        if let Some(window) = &self.window {
            rows.push_str(&format!("<p><strong>{}:</strong> {}</p>", escape(texts.scheduled), escape(window)));
        }
        if let Some(impact) = self.impact {
            rows.push_str(&format!("<p><strong>{}:</strong> {}</p>", escape(texts.impact), escape(impact)));
        }
        if !self.body.is_empty() {
            rows.push_str(&markdown::to_safe_html(&self.body));
        }
        if !self.components.is_empty() {
            rows.push_str(&format!("<p><strong>{}</strong></p><ul>", escape(texts.affected_components)));
            for (name, status) in &self.components {
                rows.push_str(&format!("<li>{}: {}</li>", escape(name), escape(status)));
            }
            rows.push_str("</ul>");
        }
        let content = format!(
            "<p style=\"color:#57606a;margin:0\">{} · {}</p><h1 style=\"font-size:20px;margin:8px 0\">{}</h1><p style=\"font-weight:600\">{}</p>{rows}<p><a href=\"{}\" style=\"color:#0969da\">{}</a></p>",
            escape(self.kind_label),
            escape(&self.at),
            escape(&self.title),
            escape(&self.status),
            escape(&self.link),
            escape(texts.view_on_page),
        );
        html_document(&self.subject, &content, &footer_html(texts, &self.page_name, links))
    }

    /// Slack incoming webhook: a fallback text and Block Kit blocks.
    pub fn slack_body(&self) -> serde_json::Value {
        let mut fields = vec![json!({ "type": "mrkdwn", "text": format!("*Status*\n{}", self.status) })];
        if let Some(window) = &self.window {
            fields.push(json!({ "type": "mrkdwn", "text": format!("*{}*\n{window}", self.texts.scheduled) }));
        }
        if !self.components.is_empty() {
            fields.push(json!({ "type": "mrkdwn", "text": format!("*{}*\n{}", self.texts.affected_components, self.component_list(", ")) }));
        }
        let mut blocks = vec![
            json!({ "type": "header", "text": { "type": "plain_text", "text": truncate(&format!("{}: {}", self.kind_label, self.title), 150) } }),
            json!({ "type": "section", "fields": fields }),
        ];
        if !self.body.is_empty() {
            blocks.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": truncate(&self.body, 3000) } }));
        }
        blocks.push(json!({ "type": "context", "elements": [{ "type": "mrkdwn", "text": format!("<{}|{}> · {}", self.link, self.texts.view_on_page, self.page_name) }] }));
        json!({ "text": self.subject, "blocks": blocks })
    }

    /// Discord webhook: one embed.
    pub fn discord_body(&self) -> serde_json::Value {
        let mut fields = vec![json!({ "name": "Status", "value": self.status, "inline": true })];
        if let Some(window) = &self.window {
            fields.push(json!({ "name": self.texts.scheduled, "value": window, "inline": true }));
        }
        if !self.components.is_empty() {
            fields.push(
                json!({ "name": self.texts.affected_components, "value": truncate(&self.component_list("\n"), 1024) }),
            );
        }
        json!({
            "username": truncate(&self.page_name, 80),
            "embeds": [{
                "title": truncate(&format!("{}: {}", self.kind_label, self.title), 256),
                "url": self.link,
                "description": truncate(&self.body, 4000),
                "fields": fields,
            }],
            "allowed_mentions": { "parse": [] },
        })
    }

    /// Microsoft Teams workflow webhook: an Adaptive Card in a message attachment.
    pub fn teams_body(&self) -> serde_json::Value {
        let mut facts = vec![json!({ "title": "Status", "value": self.status })];
        if let Some(window) = &self.window {
            facts.push(json!({ "title": self.texts.scheduled, "value": window }));
        }
        if !self.components.is_empty() {
            facts.push(json!({ "title": self.texts.affected_components, "value": self.component_list(", ") }));
        }
        json!({
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        { "type": "TextBlock", "text": format!("{}: {}", self.kind_label, self.title), "weight": "Bolder", "size": "Medium", "wrap": true },
                        { "type": "FactSet", "facts": facts },
                        { "type": "TextBlock", "text": self.body, "wrap": true },
                    ],
                    "actions": [{ "type": "Action.OpenUrl", "title": self.texts.view_on_page, "url": self.link }],
                },
            }],
        })
    }

    /// Telegram `sendMessage` text, in its HTML parse mode.
    pub fn telegram_text(&self) -> String {
        let mut text = format!("<b>{}: {}</b>\n{}", escape(self.kind_label), escape(&self.title), escape(&self.status));
        if let Some(window) = &self.window {
            text.push_str(&format!("\n{}: {}", escape(self.texts.scheduled), escape(window)));
        }
        if !self.body.is_empty() {
            text.push_str("\n\n");
            text.push_str(&escape(&truncate(&self.body, 3000)));
        }
        if !self.components.is_empty() {
            text.push_str(&format!(
                "\n\n{}: {}",
                escape(self.texts.affected_components),
                escape(&self.component_list(", "))
            ));
        }
        text.push_str(&format!("\n\n<a href=\"{}\">{}</a>", escape(&self.link), escape(self.texts.view_on_page)));
        text
    }

    fn component_list(&self, separator: &str) -> String {
        self.components.iter().map(|(name, status)| format!("{name}: {status}")).collect::<Vec<_>>().join(separator)
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn footer_text(texts: &MailTexts, page_name: &str, links: &MailLinks) -> String {
    format!(
        "\n--\n{} {page_name}.\n{}: {}\n{}: {}\n",
        texts.why_you_get_this, texts.manage, links.manage, texts.unsubscribe, links.unsubscribe
    )
}

fn footer_html(texts: &MailTexts, page_name: &str, links: &MailLinks) -> String {
    format!(
        "{} {}.<br><a href=\"{}\" style=\"color:#57606a\">{}</a> · <a href=\"{}\" style=\"color:#57606a\">{}</a>",
        escape(texts.why_you_get_this),
        escape(page_name),
        escape(&links.manage),
        escape(texts.manage),
        escape(&links.unsubscribe),
        escape(texts.unsubscribe),
    )
}

fn html_document(title: &str, content: &str, footer: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\
<body style=\"margin:0;padding:24px;background:#f6f8fa;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;line-height:1.5\">\
<div style=\"max-width:600px;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px\">{content}</div>\
<p style=\"max-width:600px;margin:16px auto 0;font-size:12px;color:#57606a\">{footer}</p></body></html>",
        escape(title)
    )
}

/// The double opt-in message, or the manage link for an address subscribed already.
pub struct AccountMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn confirmation_mail(locale: Locale, page_name: &str, confirm_link: &str) -> AccountMail {
    let texts = mail_texts(locale);
    let text = format!(
        "{} {page_name}.\n\n{}: {confirm_link}\n\n{}\n",
        texts.confirm_intro, texts.confirm_button, texts.confirm_ignore
    );
    let content = format!(
        "<p>{} <strong>{}</strong>.</p><p><a href=\"{}\" style=\"display:inline-block;background:#1f883d;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600\">{}</a></p><p style=\"color:#57606a\">{}</p>",
        escape(texts.confirm_intro),
        escape(page_name),
        escape(confirm_link),
        escape(texts.confirm_button),
        escape(texts.confirm_ignore),
    );
    let subject = format!("[{page_name}] {}", texts.confirm_subject);
    AccountMail { html: html_document(&subject, &content, ""), subject, text }
}

pub fn manage_mail(locale: Locale, page_name: &str, links: &MailLinks) -> AccountMail {
    let texts = mail_texts(locale);
    let text = format!("{} {page_name}.\n{}", texts.manage_intro, footer_text(texts, page_name, links));
    let content = format!("<p>{} <strong>{}</strong>.</p>", escape(texts.manage_intro), escape(page_name));
    let subject = format!("[{page_name}] {}", texts.manage_subject);
    AccountMail { html: html_document(&subject, &content, &footer_html(texts, page_name, links)), subject, text }
}

pub fn test_mail(locale: Locale, page_name: &str, links: &MailLinks) -> AccountMail {
    let texts = mail_texts(locale);
    let text = format!("{}\n{}", texts.test_body, footer_text(texts, page_name, links));
    let subject = format!("[{page_name}] {}", texts.test_subject);
    let content = format!("<p>{}</p>", escape(texts.test_body));
    AccountMail { html: html_document(&subject, &content, &footer_html(texts, page_name, links)), subject, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts(kind: EventKind, subject: Subject) -> EventFacts {
        EventFacts {
            event_id: 9,
            kind,
            occurred_at: Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).single().unwrap_or_default(),
            organization: Organization {
                id: 1,
                slug: "acme".into(),
                name: "Acme <Cloud>".into(),
                time_zone: "Europe/Berlin".into(),
            },
            subject,
            components: vec![ComponentFact {
                id: 3,
                key: "api".into(),
                name: "API".into(),
                status: ComponentStatus::MajorOutage,
            }],
            link: "https://status.example.com/s/acme/incidents/4".into(),
            notify: true,
        }
    }

    fn incident() -> EventFacts {
        facts(
            EventKind::IncidentCreated,
            Subject::Incident {
                id: 4,
                name: "Errors on <login>".into(),
                impact: Impact::Major,
                status: IncidentStatus::Investigating,
                update_id: Some(8),
                body: "We are **looking** into it.".into(),
            },
        )
    }

    fn links() -> MailLinks {
        MailLinks { manage: "https://x/manage?token=t".into(), unsubscribe: "https://x/unsubscribe?token=t".into() }
    }

    #[test]
    fn emails_say_what_happened_in_the_subscribers_language() {
        let english = incident().render(Locale::En);
        assert_eq!(english.subject, "[Acme <Cloud>] New incident: Errors on <login>");
        let text = english.email_text(&links());
        for expected in [
            "Errors on <login> — Investigating",
            "We are **looking** into it.",
            "- API: Major outage",
            "13:00 CET",
            "https://x/unsubscribe?token=t",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        let html = english.email_html(&links());
        assert!(html.contains("Errors on &lt;login&gt;") && !html.contains("<login>"));
        assert!(html.contains("<strong>looking</strong>"));
        let german = incident().render(Locale::De);
        assert!(german.subject.contains("Neue Störung"));
        assert!(german.email_text(&links()).contains("Größerer Ausfall"));
    }

    #[test]
    fn webhook_bodies_follow_the_documented_shape() {
        let body = incident().webhook_body();
        assert_eq!(body["type"], "incident.created");
        assert_eq!(body["data"]["incident"]["status"], "investigating");
        assert_eq!(body["data"]["incident"]["impact"], "major");
        assert_eq!(body["data"]["components"][0]["key"], "api");
        assert_eq!(body["data"]["organization"]["slug"], "acme");
        let change = facts(
            EventKind::ComponentStatusChanged,
            Subject::Component { old: ComponentStatus::Operational, new: ComponentStatus::MajorOutage },
        )
        .webhook_body();
        assert_eq!(change["data"]["component"]["id"], 3);
        assert_eq!(change["data"]["new_status"], "major_outage");
    }

    #[test]
    fn chat_messages_fit_their_services() {
        let notice = incident().render(Locale::En);
        assert_eq!(notice.slack_body()["blocks"][0]["type"], "header");
        assert_eq!(notice.discord_body()["embeds"][0]["url"], "https://status.example.com/s/acme/incidents/4");
        assert_eq!(notice.teams_body()["attachments"][0]["content"]["type"], "AdaptiveCard");
        assert!(notice.telegram_text().starts_with("<b>New incident: Errors on &lt;login&gt;</b>"));
        assert_eq!(truncate("abcdef", 4), "abc…");
    }

    #[test]
    fn maintenance_messages_carry_the_window() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).single().unwrap_or_default();
        let notice = facts(
            EventKind::MaintenanceReminder,
            Subject::Maintenance {
                id: 2,
                name: "Database upgrade".into(),
                status: MaintenanceStatus::Scheduled,
                scheduled_start: start,
                scheduled_end: start + chrono::TimeDelta::hours(2),
                body: String::new(),
            },
        )
        .render(Locale::En);
        assert_eq!(notice.subject, "[Acme <Cloud>] Maintenance starts soon: Database upgrade");
        assert!(notice.email_text(&links()).contains("Scheduled: Dec 1, 02:00 CET – Dec 1, 04:00 CET"));
    }

    #[test]
    fn confirmation_mail_links_and_reassures() {
        let mail = confirmation_mail(Locale::En, "Acme", "https://x/confirm?token=c");
        assert!(mail.text.contains("https://x/confirm?token=c"));
        assert!(mail.html.contains("Confirm subscription"));
        assert!(mail.subject.contains("Confirm your subscription"));
    }
}
