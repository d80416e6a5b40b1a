//! Alerts from monitoring systems: alert sources and their tokens, the payloads Alertmanager,
//! Grafana and generic senders post, and the incidents they open, update and resolve.
//!
//! Every alert about one component shares one incident (`external_key` "alert:component:<id>",
//! unique among open incidents in the schema), so a storm of alerts, even delivered at once by
//! several senders, opens exactly one.

use super::entities::{alert_sources, alerts, components, incidents};
use super::hub::Hub;
use super::incidents::{self as incident_use_cases, Author, OpenIncident, UpdateIncident};
use super::internal;
use super::repositories::{begin_write, stored};
use super::secrets::{hash_token, new_token, sha256_hex, visible_part};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{
    AlertIncidentAction, AlertSourceKind, AlertState, ComponentStatus, Impact, IncidentSource, IncidentStatus, Name,
    alert_incident_action, impact_for_severity,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Tokens start with this, so a leaked one is recognisable (and secret scanners can match it).
pub const TOKEN_PREFIX: &str = "hrla_";
/// How many alerts one delivery may carry.
pub const MAX_ALERTS_PER_DELIVERY: usize = 1000;
const MAX_TITLE_CHARS: usize = 200;
const MAX_FINGERPRINT_CHARS: usize = 255;
/// How many alerts an incident message lists before "and N more".
const LISTED_ALERTS: usize = 10;

pub struct NewAlertSource {
    pub kind: AlertSourceKind,
    pub name: String,
    /// The label whose value is a component's key; `component` when empty.
    pub component_label: String,
}

/// A new source and its token, which is stored only as a hash and shown this once.
pub struct CreatedSource {
    pub source: alert_sources::Model,
    pub token: String,
}

pub async fn create_source(
    db: &impl ConnectionTrait,
    organization_id: i64,
    new: NewAlertSource,
    now: DateTime<Utc>,
) -> Result<CreatedSource, AppError> {
    let name = Name::parse(&new.name).map_err(|error| AppError::invalid("name", error.to_string()))?;
    let label = match new.component_label.trim() {
        "" => "component".to_owned(),
        label if label.len() <= 64 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => label.to_owned(),
        _ => {
            return Err(AppError::invalid(
                "component_label",
                "A label name has at most 64 letters, digits and underscores, such as component or service.",
            ));
        }
    };
    let token = new_token(TOKEN_PREFIX);
    let source = alert_sources::ActiveModel {
        organization_id: Set(organization_id),
        kind: Set(new.kind.as_str().to_owned()),
        name: Set(name.as_str().to_owned()),
        token_prefix: Set(visible_part(&token, TOKEN_PREFIX)),
        token_hash: Set(hash_token(&token)),
        component_label: Set(label),
        created_at: Set(now),
        last_received_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("creating an alert source"))?;
    Ok(CreatedSource { source, token })
}

pub async fn list_sources(
    db: &impl ConnectionTrait,
    organization_id: i64,
) -> Result<Vec<alert_sources::Model>, AppError> {
    alert_sources::Entity::find()
        .filter(alert_sources::Column::OrganizationId.eq(organization_id))
        .order_by_asc(alert_sources::Column::Id)
        .all(db)
        .await
        .map_err(internal("listing alert sources"))
}

/// Stops a source's token from working; its alerts' history stays.
pub async fn revoke_source(
    db: &impl ConnectionTrait,
    organization_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let source = alert_sources::Entity::find_by_id(id)
        .filter(alert_sources::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await
        .map_err(internal("finding an alert source"))?
        .ok_or_else(|| AppError::NotFound("This organization has no alert source with that id.".into()))?;
    if source.revoked_at.is_none() {
        alert_sources::ActiveModel { id: Set(source.id), revoked_at: Set(Some(now)), ..Default::default() }
            .update(db)
            .await
            .map_err(internal("revoking an alert source"))?;
    }
    Ok(())
}

/// The live source a token belongs to. Unknown and revoked tokens get the same answer, which
/// says nothing about any organization.
pub async fn authenticate(db: &impl ConnectionTrait, token: &str) -> Result<alert_sources::Model, AppError> {
    let refused = || AppError::Unauthorized("This alert token is not valid.".into());
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Err(refused());
    }
    alert_sources::Entity::find()
        .filter(alert_sources::Column::TokenHash.eq(hash_token(token)))
        .filter(alert_sources::Column::RevokedAt.is_null())
        .one(db)
        .await
        .map_err(internal("looking up an alert token"))?
        .ok_or_else(refused)
}

/// One alert, whatever format it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAlert {
    pub fingerprint: String,
    pub state: AlertState,
    /// The component key the alert names, if it names one.
    pub component: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub severity: Option<String>,
}

#[derive(Deserialize)]
struct LabelledPayload {
    alerts: Vec<LabelledAlert>,
    #[serde(default, rename = "commonLabels")]
    common_labels: BTreeMap<String, String>,
}

/// An alert as Alertmanager (webhook version 4) and Grafana send it; fields they add beyond
/// these are ignored.
#[derive(Deserialize)]
struct LabelledAlert {
    status: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    fingerprint: Option<String>,
}

/// Herald's generic format: one of these, or `{"alerts": [...]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenericAlert {
    status: String,
    title: String,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    component: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

fn malformed(kind: AlertSourceKind, detail: impl std::fmt::Display) -> AppError {
    let format = match kind {
        AlertSourceKind::Alertmanager => "an Alertmanager webhook payload (version 4)",
        AlertSourceKind::Grafana => "a Grafana alerting webhook payload",
        AlertSourceKind::Generic => {
            "a generic alert ({\"status\": \"firing\"|\"resolved\", \"title\": …, \"component\": …}) or {\"alerts\": [...]}"
        }
    };
    AppError::Invalid { field: None, message: format!("The body is not {format}: {detail}.") }
}

fn state(kind: AlertSourceKind, status: &str) -> Result<AlertState, AppError> {
    status
        .parse::<AlertState>()
        .map_err(|_| malformed(kind, format!("an alert's status is \"{status}\", not firing or resolved")))
}

fn truncated(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// A stable fingerprint: the sender's, or one made from what identifies the alert.
fn fingerprint(given: Option<&str>, identity: impl IntoIterator<Item = String>) -> String {
    match given.map(str::trim).filter(|given| !given.is_empty()) {
        Some(given) if given.chars().count() <= MAX_FINGERPRINT_CHARS => given.to_owned(),
        _ => {
            // Each part ends with NUL, so ("ab", "c") and ("a", "bc") differ.
            let identity: String = identity.into_iter().map(|part| part + "\u{0}").collect();
            sha256_hex(&identity)[..32].to_owned()
        }
    }
}

/// Reads a delivery. Anything malformed refuses the whole delivery, so nothing is half-applied.
pub fn parse(kind: AlertSourceKind, component_label: &str, body: &[u8]) -> Result<Vec<ReceivedAlert>, AppError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| malformed(kind, format!("it is not JSON ({error})")))?;
    let alerts = match kind {
        AlertSourceKind::Alertmanager | AlertSourceKind::Grafana => {
            let payload: LabelledPayload = serde_json::from_value(value).map_err(|error| malformed(kind, error))?;
            let mut alerts = Vec::with_capacity(payload.alerts.len());
            for alert in payload.alerts {
                let label = |name: &str| {
                    alert.labels.get(name).or_else(|| payload.common_labels.get(name)).map(|value| value.trim())
                };
                let annotation = |name: &str| {
                    alert.annotations.get(name).map(|value| value.trim()).filter(|value| !value.is_empty())
                };
                let name = label("alertname").filter(|name| !name.is_empty()).unwrap_or("Alert");
                let title = match annotation("summary").or_else(|| annotation("title")) {
                    Some(summary) => format!("{name}: {summary}"),
                    None => name.to_owned(),
                };
                alerts.push(ReceivedAlert {
                    fingerprint: fingerprint(
                        alert.fingerprint.as_deref(),
                        alert.labels.iter().map(|(key, value)| format!("{key}={value}")),
                    ),
                    state: state(kind, &alert.status)?,
                    component: label(component_label).filter(|key| !key.is_empty()).map(str::to_owned),
                    title: truncated(&title, MAX_TITLE_CHARS),
                    description: annotation("description").or_else(|| annotation("message")).map(str::to_owned),
                    severity: label("severity").map(|severity| truncated(severity, 32)),
                });
            }
            alerts
        }
        AlertSourceKind::Generic => {
            let many = match value {
                serde_json::Value::Object(mut object) if object.contains_key("alerts") => {
                    let alerts = object.remove("alerts").unwrap_or_default();
                    if !object.is_empty() {
                        return Err(malformed(kind, "next to \"alerts\" there may be nothing else"));
                    }
                    serde_json::from_value::<Vec<GenericAlert>>(alerts).map_err(|error| malformed(kind, error))?
                }
                single => vec![serde_json::from_value::<GenericAlert>(single).map_err(|error| malformed(kind, error))?],
            };
            let mut alerts = Vec::with_capacity(many.len());
            for alert in many {
                if alert.title.trim().is_empty() {
                    return Err(malformed(kind, "an alert has an empty title"));
                }
                let component = alert
                    .component
                    .clone()
                    .or_else(|| alert.labels.get(component_label).cloned())
                    .map(|key| key.trim().to_owned())
                    .filter(|key| !key.is_empty());
                alerts.push(ReceivedAlert {
                    fingerprint: fingerprint(
                        alert.key.as_deref(),
                        [component.clone().unwrap_or_default(), alert.title.trim().to_owned()],
                    ),
                    state: state(kind, &alert.status)?,
                    component,
                    title: truncated(&alert.title, MAX_TITLE_CHARS),
                    description: alert.message.map(|message| message.trim().to_owned()).filter(|m| !m.is_empty()),
                    severity: alert.severity.map(|severity| truncated(&severity, 32)),
                });
            }
            alerts
        }
    };
    if alerts.is_empty() {
        return Err(malformed(kind, "it carries no alerts"));
    }
    if alerts.len() > MAX_ALERTS_PER_DELIVERY {
        return Err(malformed(
            kind,
            format!("it carries {} alerts; send at most {MAX_ALERTS_PER_DELIVERY} at a time", alerts.len()),
        ));
    }
    Ok(alerts)
}

/// What a delivery did, as the sender is told.
#[derive(Debug, Default, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct IngestReport {
    pub received: usize,
    /// Incidents opened, updated and resolved by this delivery.
    pub opened: Vec<i64>,
    pub updated: Vec<i64>,
    pub resolved: Vec<i64>,
    /// Alerts that name no component of this organization; nothing was done for them.
    pub ignored: Vec<IgnoredAlert>,
}

#[derive(Debug, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct IgnoredAlert {
    pub fingerprint: String,
    pub reason: String,
}

/// What changed for one component's alerts in this delivery.
#[derive(Default)]
struct Touched {
    started: Vec<String>,
    resolved: Vec<String>,
}

fn incident_key(component_id: i64) -> String {
    format!("alert:component:{component_id}")
}

/// Records the alerts, then opens, updates or resolves each touched component's incident.
pub async fn ingest(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    source: &alert_sources::Model,
    received: Vec<ReceivedAlert>,
    now: DateTime<Utc>,
) -> Result<IngestReport, AppError> {
    let mut report = IngestReport { received: received.len(), ..IngestReport::default() };
    let by_key: HashMap<String, components::Model> = components::Entity::find()
        .filter(components::Column::OrganizationId.eq(source.organization_id))
        .all(db)
        .await
        .map_err(internal("loading components for alerts"))?
        .into_iter()
        .map(|component| (component.key.clone(), component))
        .collect();

    let mut touched: BTreeMap<i64, Touched> = BTreeMap::new();
    let txn = begin_write(db).await.map_err(internal("starting to record alerts"))?;
    for alert in received {
        let Some(key) = alert.component.as_deref() else {
            report.ignored.push(IgnoredAlert {
                fingerprint: alert.fingerprint,
                reason: format!("It has no \"{}\" label naming a component.", source.component_label),
            });
            continue;
        };
        let Some(component) = by_key.get(key) else {
            report.ignored.push(IgnoredAlert {
                fingerprint: alert.fingerprint,
                reason: format!("No component of this organization has the key \"{key}\"."),
            });
            continue;
        };
        record(&txn, source, component.id, &alert, &mut touched, now).await?;
    }
    alert_sources::ActiveModel { id: Set(source.id), last_received_at: Set(Some(now)), ..Default::default() }
        .update(&txn)
        .await
        .map_err(internal("noting when an alert source was heard from"))?;
    txn.commit().await.map_err(internal("recording alerts"))?;

    let names: HashMap<i64, &str> = by_key.values().map(|component| (component.id, component.name.as_str())).collect();
    for (component_id, changes) in touched {
        let name = names.get(&component_id).copied().unwrap_or("A component");
        act_on_component(db, hub, source, component_id, name, &changes, &mut report, now).await?;
    }
    Ok(report)
}

async fn record(
    txn: &impl ConnectionTrait,
    source: &alert_sources::Model,
    component_id: i64,
    alert: &ReceivedAlert,
    touched: &mut BTreeMap<i64, Touched>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let existing = alerts::Entity::find()
        .filter(alerts::Column::AlertSourceId.eq(source.id))
        .filter(alerts::Column::Fingerprint.eq(alert.fingerprint.as_str()))
        .one(txn)
        .await
        .map_err(internal("looking up an alert"))?;
    let was_firing = existing.as_ref().is_some_and(|row| row.state == AlertState::Firing.as_str());
    let changed = match existing {
        None => {
            // Redundant senders (an Alertmanager pair) deliver the same alert at the same
            // moment: the first one records it, the other changes nothing.
            let inserted = alerts::Entity::insert(alerts::ActiveModel {
                organization_id: Set(source.organization_id),
                alert_source_id: Set(source.id),
                fingerprint: Set(alert.fingerprint.clone()),
                component_id: Set(component_id),
                state: Set(alert.state.as_str().to_owned()),
                title: Set(alert.title.clone()),
                severity: Set(alert.severity.clone()),
                first_fired_at: Set(now),
                last_received_at: Set(now),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([alerts::Column::AlertSourceId, alerts::Column::Fingerprint])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await
            .map_err(internal("recording an alert"))?;
            inserted > 0
        }
        Some(row) => {
            // An alert that moved to another component leaves the old one's incident free to
            // resolve.
            if row.component_id != component_id {
                touched.entry(row.component_id).or_default();
            }
            let restarted = alert.state == AlertState::Firing && !was_firing;
            alerts::ActiveModel {
                id: Set(row.id),
                component_id: Set(component_id),
                state: Set(alert.state.as_str().to_owned()),
                title: Set(alert.title.clone()),
                severity: Set(alert.severity.clone()),
                first_fired_at: Set(if restarted { now } else { row.first_fired_at }),
                last_received_at: Set(now),
                ..Default::default()
            }
            .update(txn)
            .await
            .map_err(internal("updating an alert"))?;
            true
        }
    };
    let entry = touched.entry(component_id).or_default();
    match alert.state {
        AlertState::Firing if changed && !was_firing => entry.started.push(alert.title.clone()),
        AlertState::Resolved if changed && was_firing => entry.resolved.push(alert.title.clone()),
        _ => {}
    }
    Ok(())
}

/// A bulleted Markdown list of alert titles, the first few of them.
fn listed(titles: &[String]) -> String {
    let mut list: String = titles.iter().take(LISTED_ALERTS).map(|title| format!("- {title}\n")).collect();
    if titles.len() > LISTED_ALERTS {
        list.push_str(&format!("- and {} more\n", titles.len() - LISTED_ALERTS));
    }
    list
}

#[allow(clippy::too_many_arguments)]
async fn act_on_component(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    source: &alert_sources::Model,
    component_id: i64,
    component_name: &str,
    changes: &Touched,
    report: &mut IngestReport,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let firing = alerts::Entity::find()
        .filter(alerts::Column::OrganizationId.eq(source.organization_id))
        .filter(alerts::Column::ComponentId.eq(component_id))
        .filter(alerts::Column::State.eq(AlertState::Firing.as_str()))
        .order_by_asc(alerts::Column::FirstFiredAt)
        .all(db)
        .await
        .map_err(internal("loading firing alerts"))?;
    let open = open_incident(db, source.organization_id, component_id).await?;
    let impact = Impact::worst(firing.iter().map(|alert| impact_for_severity(alert.severity.as_deref())));
    let held = impact.suggested_component_status().unwrap_or(ComponentStatus::MajorOutage);
    let poster =
        Poster { db, hub, organization_id: source.organization_id, author: Author::system(source.name.clone()), now };
    let titles: Vec<String> = firing.iter().map(|alert| alert.title.clone()).collect();
    match alert_incident_action(open.is_some(), firing.len(), changes.started.len()) {
        AlertIncidentAction::Open => {
            let mut distinct = titles.clone();
            distinct.sort();
            distinct.dedup();
            let name = match distinct.as_slice() {
                // The same alert from several instances reads as that alert.
                [only] => only.clone(),
                _ => truncated(&format!("{component_name}: {} alerts firing", firing.len()), MAX_TITLE_CHARS),
            };
            let opened = incident_use_cases::open(
                db,
                hub,
                source.organization_id,
                OpenIncident {
                    name,
                    impact,
                    status: IncidentStatus::Investigating,
                    message: format!(
                        "Our monitoring reports a problem with {component_name}:\n\n{}\nWe are looking into it.",
                        listed(&titles)
                    ),
                    components: vec![(component_id, held)],
                    notify_subscribers: true,
                    started_at: None,
                    source: IncidentSource::Alert,
                    external_key: Some(incident_key(component_id)),
                    author: poster.author.clone(),
                },
                now,
            )
            .await;
            match opened {
                Ok(incident) => report.opened.push(incident.id),
                // Another delivery opened it a moment ago: this one joins it.
                Err(AppError::Conflict(_)) => {
                    if let Some(incident) = open_incident(db, source.organization_id, component_id).await? {
                        poster.more_alerts(&incident, component_id, held, &changes.started).await?;
                        report.updated.push(incident.id);
                    }
                }
                Err(error) => return Err(error),
            }
        }
        AlertIncidentAction::Update => {
            if let Some(incident) = open {
                poster.more_alerts(&incident, component_id, held, &changes.started).await?;
                report.updated.push(incident.id);
            }
        }
        AlertIncidentAction::Resolve => {
            if let Some(incident) = open {
                let resolved_titles = if changes.resolved.is_empty() { &titles } else { &changes.resolved };
                let message = if resolved_titles.is_empty() {
                    format!("The alerts about {component_name} have resolved. This incident is resolved.")
                } else {
                    format!(
                        "The alerts about {component_name} have resolved:\n\n{}\nThis incident is resolved.",
                        listed(resolved_titles)
                    )
                };
                poster.post(incident.id, IncidentStatus::Resolved, message, Vec::new()).await?;
                report.resolved.push(incident.id);
            }
        }
        AlertIncidentAction::Nothing => {}
    }
    Ok(())
}

async fn open_incident(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_id: i64,
) -> Result<Option<incidents::Model>, AppError> {
    incidents::Entity::find()
        .filter(incidents::Column::OrganizationId.eq(organization_id))
        .filter(incidents::Column::ExternalKey.eq(incident_key(component_id)))
        .filter(incidents::Column::ResolvedAt.is_null())
        .one(db)
        .await
        .map_err(internal("finding an alert incident"))
}

/// Posts the updates on alert incidents, signed by the alert source.
struct Poster<'a> {
    db: &'a DatabaseConnection,
    hub: Option<&'a Hub>,
    organization_id: i64,
    author: Author,
    now: DateTime<Utc>,
}

impl Poster<'_> {
    async fn post(
        &self,
        incident_id: i64,
        status: IncidentStatus,
        message: String,
        components: Vec<(i64, ComponentStatus)>,
    ) -> Result<(), AppError> {
        let update = UpdateIncident {
            status,
            message,
            components,
            notify_subscribers: true,
            at: None,
            author: self.author.clone(),
        };
        incident_use_cases::post_update(self.db, self.hub, self.organization_id, incident_id, update, self.now)
            .await
            .map(|_| ())
    }

    /// Tells readers more alerts joined, keeping the incident's status and raising the
    /// component's to what the worst firing alert asks for.
    async fn more_alerts(
        &self,
        incident: &incidents::Model,
        component_id: i64,
        held: ComponentStatus,
        started: &[String],
    ) -> Result<(), AppError> {
        let status: IncidentStatus = stored(&incident.status)?;
        let message = format!("More alerts are firing:\n\n{}", listed(started));
        self.post(incident.id, status, message, vec![(component_id, held)]).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALERTMANAGER: &str = r#"{
      "version": "4",
      "groupKey": "{}:{alertname=\"HighErrorRate\"}",
      "truncatedAlerts": 0,
      "status": "firing",
      "receiver": "herald",
      "groupLabels": {"alertname": "HighErrorRate"},
      "commonLabels": {"alertname": "HighErrorRate", "component": "api", "severity": "critical"},
      "commonAnnotations": {},
      "externalURL": "http://alertmanager:9093",
      "alerts": [
        {
          "status": "firing",
          "labels": {"alertname": "HighErrorRate", "component": "api", "severity": "critical", "instance": "10.0.0.1:9100"},
          "annotations": {"summary": "5xx above 5 %", "description": "The API answers 7 % of requests with 5xx."},
          "startsAt": "2026-11-24T20:00:00Z",
          "endsAt": "0001-01-01T00:00:00Z",
          "generatorURL": "http://prometheus:9090/graph",
          "fingerprint": "c6f4a1b2e3d40987"
        },
        {
          "status": "resolved",
          "labels": {"alertname": "HighErrorRate", "instance": "10.0.0.2:9100"},
          "annotations": {},
          "startsAt": "2026-11-24T19:00:00Z",
          "endsAt": "2026-11-24T19:30:00Z",
          "generatorURL": "http://prometheus:9090/graph"
        }
      ]
    }"#;

    #[test]
    fn alertmanager_payloads_become_alerts() {
        let alerts = parse(AlertSourceKind::Alertmanager, "component", ALERTMANAGER.as_bytes()).unwrap_or_default();
        assert_eq!(alerts.len(), 2);
        assert_eq!(alerts[0].fingerprint, "c6f4a1b2e3d40987");
        assert_eq!(alerts[0].state, AlertState::Firing);
        assert_eq!(alerts[0].component.as_deref(), Some("api"));
        assert_eq!(alerts[0].title, "HighErrorRate: 5xx above 5 %");
        assert_eq!(alerts[0].severity.as_deref(), Some("critical"));
        assert_eq!(alerts[0].description.as_deref(), Some("The API answers 7 % of requests with 5xx."));
        // No fingerprint of its own: one made from its labels, the same every time.
        assert_eq!(alerts[1].fingerprint.len(), 32);
        let again = parse(AlertSourceKind::Alertmanager, "component", ALERTMANAGER.as_bytes()).unwrap_or_default();
        assert_eq!(alerts[1].fingerprint, again[1].fingerprint);
        assert_eq!(alerts[1].component.as_deref(), Some("api"), "common labels fill in");
        assert_eq!(alerts[1].state, AlertState::Resolved);
    }

    #[test]
    fn the_component_label_is_configurable() {
        let alerts = parse(AlertSourceKind::Alertmanager, "instance", ALERTMANAGER.as_bytes()).unwrap_or_default();
        assert_eq!(alerts[0].component.as_deref(), Some("10.0.0.1:9100"));
    }

    #[test]
    fn malformed_deliveries_are_refused_whole_with_a_reason() {
        let cases: &[(AlertSourceKind, &str, &str)] = &[
            (AlertSourceKind::Alertmanager, "not json", "not JSON"),
            (AlertSourceKind::Alertmanager, "{}", "alerts"),
            (AlertSourceKind::Alertmanager, r#"{"alerts": []}"#, "no alerts"),
            (AlertSourceKind::Alertmanager, r#"{"alerts": [{"status": "burning"}]}"#, "burning"),
            (AlertSourceKind::Alertmanager, r#"{"alerts": [{"status": "firing", "labels": {"a": 1}}]}"#, "string"),
            (AlertSourceKind::Generic, r#"{"status": "firing"}"#, "title"),
            (AlertSourceKind::Generic, r#"{"status": "firing", "title": " "}"#, "empty title"),
            (AlertSourceKind::Generic, r#"{"status": "firing", "title": "x", "colour": "red"}"#, "colour"),
            (AlertSourceKind::Generic, r#"{"alerts": [], "extra": 1}"#, "nothing else"),
            (AlertSourceKind::Generic, "[1, 2]", "generic alert"),
        ];
        for (kind, body, hint) in cases {
            match parse(*kind, "component", body.as_bytes()) {
                Err(AppError::Invalid { message, .. }) => assert!(message.contains(hint), "{body}: {message}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        let storm = format!(
            r#"{{"alerts": [{}]}}"#,
            vec![r#"{"status": "firing", "title": "x"}"#; MAX_ALERTS_PER_DELIVERY + 1].join(",")
        );
        assert!(parse(AlertSourceKind::Generic, "component", storm.as_bytes()).is_err());
    }

    #[test]
    fn generic_alerts_come_alone_or_in_a_list() {
        let one = r#"{"status": "firing", "title": "Checkout down", "component": "api", "severity": "critical"}"#;
        let alerts = parse(AlertSourceKind::Generic, "component", one.as_bytes()).unwrap_or_default();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].component.as_deref(), Some("api"));
        let keyed = r#"{"alerts": [{"status": "resolved", "title": "Checkout down", "key": "chk-1", "labels": {"component": "web"}}]}"#;
        let alerts = parse(AlertSourceKind::Generic, "component", keyed.as_bytes()).unwrap_or_default();
        assert_eq!(alerts[0].fingerprint, "chk-1");
        assert_eq!(alerts[0].component.as_deref(), Some("web"));
        assert_eq!(alerts[0].state, AlertState::Resolved);
    }

    #[test]
    fn long_titles_are_cut_on_a_character() {
        let title = "é".repeat(300);
        let cut = truncated(&title, MAX_TITLE_CHARS);
        assert_eq!(cut.chars().count(), MAX_TITLE_CHARS);
        assert!(cut.ends_with('…'));
        let listed = listed(&(0..12).map(|n| format!("alert {n}")).collect::<Vec<_>>());
        assert!(listed.contains("- alert 9\n") && !listed.contains("alert 10") && listed.contains("and 2 more"));
    }
}
