//! `herald demo`: the organization `demo` with groups, components, a resolved incident with a
//! full timeline and postmortem, an open incident, past and upcoming maintenance, and 90 days
//! of status history — so a new user sees a real page at once.
//!
//! The history is derived from the same incident and maintenance specs that create the
//! incidents, so the heatmap, the incident list and the components always agree.

use super::entities::{
    component_groups, component_status_intervals, components, incident_components, incident_update_components,
    incident_updates, incidents, maintenance_components, maintenance_updates, maintenances,
};
use super::internal;
use super::repositories::organizations::NewOrganization;
use super::repositories::{self as repo};
use crate::error::AppError;
use chrono::{DateTime, Duration, DurationRound, TimeDelta, Utc};
use herald::{
    ComponentStatus, Impact, IncidentSource, IncidentStatus, IncidentTimeline, Locale, MaintenanceStatus, Name, Slug,
    TimeZoneName,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};
use std::collections::HashMap;

pub const DEMO_SLUG: &str = "demo";
/// How far back the generated history reaches.
pub const HISTORY_DAYS: i64 = 90;

#[derive(Debug, PartialEq, Eq)]
pub enum DemoOutcome {
    Created {
        components: usize,
        incidents: usize,
        maintenances: usize,
        intervals: usize,
    },
    /// The organization `demo` exists and `reset` was not asked for: nothing was touched.
    AlreadyPresent,
}

/// What `herald demo` was asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoOptions {
    /// Delete an existing demo organization and create it afresh.
    pub reset: bool,
    /// Extra components in an "Edge locations" group, for pages as large as real ones (the
    /// benchmark uses 20, for 30 components in all).
    pub edge_locations: usize,
}

/// Edge locations the demo can add: (key, name, description).
pub const EDGE_LOCATIONS: [(&str, &str, &str); 30] = [
    ("edge-fra", "Frankfurt", "Edge location in Frankfurt, Germany"),
    ("edge-ams", "Amsterdam", "Edge location in Amsterdam, Netherlands"),
    ("edge-lhr", "London", "Edge location in London, United Kingdom"),
    ("edge-cdg", "Paris", "Edge location in Paris, France"),
    ("edge-mad", "Madrid", "Edge location in Madrid, Spain"),
    ("edge-mxp", "Milan", "Edge location in Milan, Italy"),
    ("edge-arn", "Stockholm", "Edge location in Stockholm, Sweden"),
    ("edge-waw", "Warsaw", "Edge location in Warsaw, Poland"),
    ("edge-iad", "Ashburn", "Edge location in Ashburn, Virginia, USA"),
    ("edge-ord", "Chicago", "Edge location in Chicago, Illinois, USA"),
    ("edge-dfw", "Dallas", "Edge location in Dallas, Texas, USA"),
    ("edge-sjc", "San Jose", "Edge location in San Jose, California, USA"),
    ("edge-sea", "Seattle", "Edge location in Seattle, Washington, USA"),
    ("edge-yyz", "Toronto", "Edge location in Toronto, Canada"),
    ("edge-gru", "São Paulo", "Edge location in São Paulo, Brazil"),
    ("edge-scl", "Santiago", "Edge location in Santiago, Chile"),
    ("edge-nrt", "Tokyo", "Edge location in Tokyo, Japan"),
    ("edge-icn", "Seoul", "Edge location in Seoul, South Korea"),
    ("edge-sin", "Singapore", "Edge location in Singapore"),
    ("edge-bom", "Mumbai", "Edge location in Mumbai, India"),
    ("edge-syd", "Sydney", "Edge location in Sydney, Australia"),
    ("edge-akl", "Auckland", "Edge location in Auckland, New Zealand"),
    ("edge-jnb", "Johannesburg", "Edge location in Johannesburg, South Africa"),
    ("edge-dxb", "Dubai", "Edge location in Dubai, United Arab Emirates"),
    ("edge-hkg", "Hong Kong", "Edge location in Hong Kong"),
    ("edge-tpe", "Taipei", "Edge location in Taipei, Taiwan"),
    ("edge-hel", "Helsinki", "Edge location in Helsinki, Finland"),
    ("edge-vie", "Vienna", "Edge location in Vienna, Austria"),
    ("edge-zrh", "Zurich", "Edge location in Zurich, Switzerland"),
    ("edge-dub", "Dublin", "Edge location in Dublin, Ireland"),
];

/// Creates the demo organization. With `reset`, an existing one is deleted first (and
/// everything it owns with it). `progress` hears one line per step.
pub async fn seed(
    db: &DatabaseConnection,
    options: DemoOptions,
    now: DateTime<Utc>,
    progress: impl Fn(&str),
) -> Result<DemoOutcome, AppError> {
    let DemoOptions { reset, edge_locations } = options;
    if edge_locations > EDGE_LOCATIONS.len() {
        return Err(AppError::invalid(
            "edge_locations",
            format!("The demo has at most {} edge locations.", EDGE_LOCATIONS.len()),
        ));
    }
    let now = now.duration_trunc(TimeDelta::seconds(1)).unwrap_or(now);
    let slug = Slug::parse(DEMO_SLUG).map_err(internal("parsing the demo slug"))?;
    let txn = repo::begin_write(db).await.map_err(internal("starting the demo transaction"))?;
    if let Some(existing) =
        repo::organizations::find_by_slug(&txn, &slug).await.map_err(internal("looking for the demo"))?
    {
        if !reset {
            return Ok(DemoOutcome::AlreadyPresent);
        }
        progress("Removing the existing demo organization");
        repo::organizations::delete(&txn, existing.id).await.map_err(internal("deleting the old demo"))?;
    }

    progress("Creating the organization \"demo\"");
    let organization = repo::organizations::insert(
        &txn,
        NewOrganization {
            slug,
            name: Name::parse("Acme Cloud").map_err(internal("naming the demo"))?,
            tagline: Some("Live status of the Acme Cloud platform, APIs and integrations".into()),
            website_url: Some("https://acme.example".into()),
            brand_colour: Some("#4f46e5".into()),
            default_locale: Locale::En,
            time_zone: TimeZoneName::parse("Europe/Berlin").map_err(internal("parsing the demo time zone"))?,
        },
        now,
    )
    .await
    .map_err(internal("creating the demo organization"))?;

    progress("Creating component groups and components");
    let history_start = now - Duration::days(HISTORY_DAYS);
    let component_ids = insert_components(&txn, organization.id, edge_locations, history_start, now).await?;

    progress("Writing incidents with their timelines");
    let incident_specs = incident_specs(now);
    for spec in &incident_specs {
        insert_incident(&txn, organization.id, &component_ids, spec, now).await?;
    }

    progress("Writing past and upcoming maintenance");
    let maintenance_specs = maintenance_specs(now);
    for spec in &maintenance_specs {
        insert_maintenance(&txn, organization.id, &component_ids, spec, now).await?;
    }

    progress("Writing 90 days of status history");
    let intervals =
        insert_history(&txn, organization.id, &component_ids, &incident_specs, &maintenance_specs, now).await?;
    txn.commit().await.map_err(internal("committing the demo"))?;
    Ok(DemoOutcome::Created {
        components: component_ids.len(),
        incidents: incident_specs.len(),
        maintenances: maintenance_specs.len(),
        intervals,
    })
}

struct ComponentSpec {
    key: &'static str,
    name: &'static str,
    description: &'static str,
    /// When the component was added, in days before now; `None` = before the history starts.
    added_days_ago: Option<i64>,
    only_show_if_degraded: bool,
}

const fn component(key: &'static str, name: &'static str, description: &'static str) -> ComponentSpec {
    ComponentSpec { key, name, description, added_days_ago: None, only_show_if_degraded: false }
}

/// A group's key, name and description.
type GroupSpec = (&'static str, &'static str, &'static str);

/// Groups in display order with their components; `None` holds the ungrouped ones.
fn layout() -> Vec<(Option<GroupSpec>, Vec<ComponentSpec>)> {
    vec![
        (
            None,
            vec![
                component("website", "Website", "acme.example and the documentation"),
                ComponentSpec {
                    only_show_if_degraded: true,
                    ..component(
                        "legacy-api-v1",
                        "Legacy API v1",
                        "The deprecated v1 API, shown only when it has trouble",
                    )
                },
            ],
        ),
        (
            Some(("core-platform", "Core platform", "What every customer uses every day")),
            vec![
                component("api", "API", "REST and GraphQL APIs at api.acme.example"),
                component("dashboard", "Dashboard", "The web app at app.acme.example"),
                component("authentication", "Authentication", "Sign-in, single sign-on and API keys"),
            ],
        ),
        (
            Some(("data", "Data", "Where your data lives")),
            vec![
                component("database-clusters", "Database clusters", "Managed PostgreSQL and Redis"),
                component("object-storage", "Object storage", "S3-compatible buckets in every region"),
                component("search", "Search", "Full-text search and indexing"),
            ],
        ),
        (
            Some(("delivery", "Delivery", "How we reach your systems and your users")),
            vec![
                component("webhooks", "Webhooks", "Outgoing event webhooks"),
                ComponentSpec {
                    added_days_ago: Some(40),
                    ..component("email-delivery", "Email delivery", "Transactional email, launched 40 days ago")
                },
            ],
        ),
    ]
}

async fn insert_components(
    db: &impl ConnectionTrait,
    organization_id: i64,
    edge_locations: usize,
    history_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<HashMap<&'static str, i64>, AppError> {
    let mut ids = HashMap::new();
    let mut position = 0;
    let mut groups = layout();
    if edge_locations > 0 {
        groups.push((
            Some(("edge-locations", "Edge locations", "Where requests enter our network")),
            EDGE_LOCATIONS
                .iter()
                .take(edge_locations)
                .map(|&(key, name, description)| component(key, name, description))
                .collect(),
        ));
    }
    for (group, specs) in groups {
        position += 1;
        let group_id = match group {
            None => None,
            Some((key, name, description)) => Some(
                component_groups::ActiveModel {
                    organization_id: Set(organization_id),
                    key: Set(key.into()),
                    name: Set(name.into()),
                    description: Set(Some(description.into())),
                    position: Set(position),
                    collapsed: Set(false),
                    version: Set(1),
                    created_at: Set(history_start),
                    updated_at: Set(history_start),
                    ..Default::default()
                }
                .insert(db)
                .await
                .map_err(internal("creating a demo group"))?
                .id,
            ),
        };
        for (index, spec) in specs.into_iter().enumerate() {
            let created_at = spec.added_days_ago.map_or(history_start, |days| now - Duration::days(days));
            let inserted = components::ActiveModel {
                organization_id: Set(organization_id),
                group_id: Set(group_id),
                key: Set(spec.key.into()),
                name: Set(spec.name.into()),
                description: Set(Some(spec.description.into())),
                status: Set(ComponentStatus::Operational.as_str().into()),
                status_source: Set("manual".into()),
                status_changed_at: Set(created_at),
                // Ungrouped components sit before the groups; inside a group, in listed order.
                position: Set(if group_id.is_some() { index as i32 + 1 } else { 0 }),
                showcase: Set(true),
                only_show_if_degraded: Set(spec.only_show_if_degraded),
                show_uptime: Set(true),
                start_date: Set(Some(created_at.date_naive())),
                version: Set(1),
                created_at: Set(created_at),
                updated_at: Set(created_at),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(internal("creating a demo component"))?;
            ids.insert(spec.key, inserted.id);
        }
    }
    Ok(ids)
}

struct IncidentSpec {
    name: &'static str,
    impact: Impact,
    /// Components affected and the status the incident held them at.
    components: Vec<(&'static str, ComponentStatus)>,
    /// (when, status, message). The first opens the incident.
    updates: Vec<(DateTime<Utc>, IncidentStatus, &'static str)>,
    postmortem: Option<&'static str>,
}

impl IncidentSpec {
    fn started_at(&self) -> Option<DateTime<Utc>> {
        self.updates.first().map(|(at, _, _)| *at)
    }

    fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.updates.iter().rev().find(|(_, status, _)| *status == IncidentStatus::Resolved).map(|(at, _, _)| *at)
    }
}

fn incident_specs(now: DateTime<Utc>) -> Vec<IncidentSpec> {
    let day = |days: i64, hour: i64, minute: i64| {
        now - Duration::days(days) + Duration::hours(hour) + Duration::minutes(minute)
    };
    vec![
        IncidentSpec {
            name: "Elevated API error rates",
            impact: Impact::Major,
            components: vec![("api", ComponentStatus::PartialOutage)],
            updates: vec![
                (
                    day(71, 0, 0),
                    IncidentStatus::Investigating,
                    "We are seeing elevated 5xx responses from the API in eu-west and are investigating.",
                ),
                (
                    day(71, 0, 18),
                    IncidentStatus::Identified,
                    "A faulty load-balancer configuration rolled out at 14:02 is sending traffic to draining nodes. We are rolling it back.",
                ),
                (
                    day(71, 0, 31),
                    IncidentStatus::Monitoring,
                    "The rollback is complete and error rates are back to normal. We are monitoring.",
                ),
                (
                    day(71, 0, 47),
                    IncidentStatus::Resolved,
                    "Error rates stayed normal for 15 minutes. This incident is resolved.",
                ),
            ],
            postmortem: None,
        },
        IncidentSpec {
            name: "Search indexing delays",
            impact: Impact::Minor,
            components: vec![("search", ComponentStatus::DegradedPerformance)],
            updates: vec![
                (
                    day(52, 0, 0),
                    IncidentStatus::Investigating,
                    "New and updated documents take up to 20 minutes to appear in search results.",
                ),
                (
                    day(52, 1, 5),
                    IncidentStatus::Identified,
                    "An indexing queue is backed up behind a very large reindex job. We have paused the job.",
                ),
                (
                    day(52, 3, 10),
                    IncidentStatus::Resolved,
                    "The queue has drained and new documents are searchable within seconds again.",
                ),
            ],
            postmortem: None,
        },
        IncidentSpec {
            name: "Sign-in failures and dashboard errors",
            impact: Impact::Critical,
            components: vec![
                ("authentication", ComponentStatus::MajorOutage),
                ("dashboard", ComponentStatus::PartialOutage),
            ],
            updates: vec![
                (
                    day(19, 0, 0),
                    IncidentStatus::Investigating,
                    "Customers cannot sign in, and the dashboard shows errors for signed-in users. We are investigating with the highest priority.",
                ),
                (
                    day(19, 0, 12),
                    IncidentStatus::Identified,
                    "An expired signing certificate on the identity service rejects every token. A renewed certificate is being deployed.",
                ),
                (
                    day(19, 0, 26),
                    IncidentStatus::Monitoring,
                    "The new certificate is live and sign-ins succeed again. We are watching error rates.",
                ),
                (
                    day(19, 0, 38),
                    IncidentStatus::Resolved,
                    "All systems have been normal for 12 minutes. We will publish a postmortem.",
                ),
            ],
            postmortem: Some(
                "## What happened\nThe certificate that signs session tokens expired at 09:14 UTC. The identity service rejected every token for 38 minutes.\n\n## Why\nThe certificate was renewed by hand, and the reminder went to a mailbox nobody reads any more.\n\n## What we are changing\n- Certificates are now renewed automatically 30 days before expiry.\n- An alert fires 14 days before any certificate expires.\n- We added a synthetic sign-in check every minute from three regions.",
            ),
        },
        IncidentSpec {
            name: "Delayed webhook deliveries",
            impact: Impact::Major,
            components: vec![("webhooks", ComponentStatus::PartialOutage)],
            updates: vec![
                (
                    day(6, 0, 0),
                    IncidentStatus::Investigating,
                    "Webhook deliveries are delayed by up to 15 minutes. No events are lost; they are queued.",
                ),
                (
                    day(6, 0, 22),
                    IncidentStatus::Identified,
                    "One of the delivery workers' database connections is stuck, so its share of the queue is not processed. We are restarting the workers one by one.",
                ),
                (
                    day(6, 0, 51),
                    IncidentStatus::Monitoring,
                    "All workers are healthy and the backlog is draining; deliveries are now 2 minutes behind.",
                ),
                (
                    day(6, 1, 25),
                    IncidentStatus::Resolved,
                    "The backlog is gone and deliveries are real-time again. Every queued event was delivered.",
                ),
            ],
            postmortem: Some(
                "## Summary\nFor 85 minutes webhook deliveries were delayed by up to 15 minutes. No event was lost.\n\n## Root cause\nA network blip left one worker holding a connection that never timed out.\n\n## Follow-up\n- Database connections now have a 30 s statement timeout.\n- Queue age is alerted on after 60 seconds.",
            ),
        },
        IncidentSpec {
            name: "Slow search queries",
            impact: Impact::Minor,
            components: vec![("search", ComponentStatus::DegradedPerformance)],
            updates: vec![
                (
                    now - Duration::minutes(47),
                    IncidentStatus::Investigating,
                    "Search queries take 2–4 seconds instead of the usual 200 ms. We are investigating.",
                ),
                (
                    now - Duration::minutes(21),
                    IncidentStatus::Identified,
                    "A node in the search cluster is running out of memory and slowing down its shard. We are moving its shards to healthy nodes.",
                ),
            ],
            postmortem: None,
        },
    ]
}

async fn insert_incident(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_ids: &HashMap<&'static str, i64>,
    spec: &IncidentSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some((first_at, first_status, _)) = spec.updates.first().copied() else {
        return Ok(());
    };
    // The domain's state machine checks the scripted timeline and derives its timestamps.
    let mut timeline = IncidentTimeline::open(first_status, first_at).map_err(internal("opening a demo incident"))?;
    for (at, status, _) in spec.updates.iter().skip(1) {
        timeline.apply(*status, *at, now).map_err(internal("replaying a demo incident"))?;
    }
    let resolved = timeline.resolved_at.is_some();
    let postmortem_at = timeline.resolved_at.map(|at| at + Duration::days(2));
    let incident = incidents::ActiveModel {
        organization_id: Set(organization_id),
        name: Set(spec.name.into()),
        impact: Set(spec.impact.as_str().into()),
        status: Set(if resolved && spec.postmortem.is_some() {
            IncidentStatus::Postmortem.as_str().into()
        } else {
            timeline.status.as_str().into()
        }),
        source: Set(IncidentSource::Manual.as_str().into()),
        external_key: Set(None),
        started_at: Set(timeline.started_at),
        identified_at: Set(timeline.identified_at),
        monitoring_at: Set(timeline.monitoring_at),
        resolved_at: Set(timeline.resolved_at),
        last_update_at: Set(timeline.last_update_at),
        postmortem_body: Set(spec.postmortem.map(str::to_owned)),
        postmortem_published_at: Set(spec.postmortem.and(postmortem_at)),
        created_by_user_id: Set(None),
        version: Set(1),
        created_at: Set(first_at),
        updated_at: Set(timeline.last_update_at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("creating a demo incident"))?;

    for (key, status) in &spec.components {
        let component_id = demo_component(component_ids, key)?;
        incident_components::ActiveModel {
            incident_id: Set(incident.id),
            component_id: Set(component_id),
            component_status: Set(if resolved { ComponentStatus::Operational } else { *status }.as_str().into()),
        }
        .insert(db)
        .await
        .map_err(internal("linking a demo incident"))?;
    }

    let last = spec.updates.len() - 1;
    for (index, (at, status, body)) in spec.updates.iter().enumerate() {
        let update = incident_updates::ActiveModel {
            organization_id: Set(organization_id),
            incident_id: Set(incident.id),
            status: Set(status.as_str().into()),
            body: Set((*body).into()),
            notify_subscribers: Set(true),
            created_by_user_id: Set(None),
            created_by_label: Set(Some("Acme operations".into())),
            display_at: Set(*at),
            created_at: Set(*at),
            updated_at: Set(*at),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(internal("writing a demo incident update"))?;
        // The first update takes the components down; a resolving last update brings them back.
        let change = if index == 0 {
            Some(false)
        } else if index == last && *status == IncidentStatus::Resolved {
            Some(true)
        } else {
            None
        };
        if let Some(restoring) = change {
            for (key, incident_status) in &spec.components {
                let (old, new) = if restoring {
                    (*incident_status, ComponentStatus::Operational)
                } else {
                    (ComponentStatus::Operational, *incident_status)
                };
                incident_update_components::ActiveModel {
                    incident_update_id: Set(update.id),
                    component_id: Set(demo_component(component_ids, key)?),
                    old_status: Set(old.as_str().into()),
                    new_status: Set(new.as_str().into()),
                    ..Default::default()
                }
                .insert(db)
                .await
                .map_err(internal("writing a demo component change"))?;
            }
        }
    }
    Ok(())
}

struct MaintenanceSpec {
    name: &'static str,
    components: Vec<&'static str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    status: MaintenanceStatus,
    updates: Vec<(DateTime<Utc>, MaintenanceStatus, &'static str)>,
}

fn maintenance_specs(now: DateTime<Utc>) -> Vec<MaintenanceSpec> {
    let hour = |at: DateTime<Utc>| at.duration_trunc(TimeDelta::hours(1)).unwrap_or(at);
    let past_start = hour(now - Duration::days(33));
    let next_start = hour(now + Duration::days(3));
    vec![
        MaintenanceSpec {
            name: "Database cluster upgrade to PostgreSQL 17",
            components: vec!["database-clusters"],
            start: past_start,
            end: past_start + Duration::minutes(90),
            status: MaintenanceStatus::Completed,
            updates: vec![
                (
                    past_start - Duration::days(7),
                    MaintenanceStatus::Scheduled,
                    "We will upgrade all managed database clusters to PostgreSQL 17. Each cluster fails over once, with under 30 seconds of write unavailability.",
                ),
                (past_start, MaintenanceStatus::InProgress, "The upgrade has started."),
                (
                    past_start + Duration::minutes(90),
                    MaintenanceStatus::Completed,
                    "Every cluster runs PostgreSQL 17. The maintenance is complete.",
                ),
            ],
        },
        MaintenanceSpec {
            name: "Object storage network upgrade",
            components: vec!["object-storage"],
            start: next_start,
            end: next_start + Duration::hours(2),
            status: MaintenanceStatus::Scheduled,
            updates: vec![(
                now - Duration::days(1),
                MaintenanceStatus::Scheduled,
                "We are replacing the network switches in front of object storage. Uploads may be retried by clients a few times; downloads are not affected.",
            )],
        },
    ]
}

async fn insert_maintenance(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_ids: &HashMap<&'static str, i64>,
    spec: &MaintenanceSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let finished = spec.status.is_finished();
    let maintenance = maintenances::ActiveModel {
        organization_id: Set(organization_id),
        name: Set(spec.name.into()),
        status: Set(spec.status.as_str().into()),
        scheduled_start: Set(spec.start),
        scheduled_end: Set(spec.end),
        auto_start: Set(true),
        auto_complete: Set(true),
        started_at: Set(finished.then_some(spec.start)),
        completed_at: Set(finished.then_some(spec.end)),
        cancelled_at: Set(None),
        reminder_sent_at: Set(None),
        created_by_user_id: Set(None),
        version: Set(1),
        created_at: Set(spec.updates.first().map_or(now, |(at, _, _)| *at)),
        updated_at: Set(spec.updates.last().map_or(now, |(at, _, _)| *at)),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("creating a demo maintenance"))?;
    for key in &spec.components {
        maintenance_components::ActiveModel {
            maintenance_id: Set(maintenance.id),
            component_id: Set(demo_component(component_ids, key)?),
        }
        .insert(db)
        .await
        .map_err(internal("linking a demo maintenance"))?;
    }
    for (at, status, body) in &spec.updates {
        maintenance_updates::ActiveModel {
            organization_id: Set(organization_id),
            maintenance_id: Set(maintenance.id),
            status: Set(status.as_str().into()),
            body: Set((*body).into()),
            notify_subscribers: Set(true),
            created_by_user_id: Set(None),
            created_by_label: Set(Some("Acme operations".into())),
            display_at: Set(*at),
            created_at: Set(*at),
            updated_at: Set(*at),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(internal("writing a demo maintenance update"))?;
    }
    Ok(())
}

/// One stretch of a component's history before it is written.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stretch {
    status: ComponentStatus,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

/// Operational from `since`, interrupted by `events` (start, end or ongoing, status), which
/// must not overlap. Returns contiguous stretches; the last one is open-ended.
fn history(since: DateTime<Utc>, mut events: Vec<Stretch>) -> Vec<Stretch> {
    events.retain(|event| event.end.is_none_or(|end| end > since));
    events.sort_by_key(|event| event.start);
    let mut stretches = Vec::new();
    let mut cursor = since;
    for event in events {
        let start = event.start.max(cursor);
        if start > cursor {
            stretches.push(Stretch { status: ComponentStatus::Operational, start: cursor, end: Some(start) });
        }
        stretches.push(Stretch { start, ..event });
        match event.end {
            Some(end) => cursor = end,
            None => return stretches,
        }
    }
    stretches.push(Stretch { status: ComponentStatus::Operational, start: cursor, end: None });
    stretches
}

async fn insert_history(
    db: &impl ConnectionTrait,
    organization_id: i64,
    component_ids: &HashMap<&'static str, i64>,
    incidents: &[IncidentSpec],
    maintenances: &[MaintenanceSpec],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut events: HashMap<&str, Vec<Stretch>> = HashMap::new();
    for incident in incidents {
        let Some(start) = incident.started_at() else { continue };
        for (key, status) in &incident.components {
            events.entry(key).or_default().push(Stretch { status: *status, start, end: incident.resolved_at() });
        }
    }
    for maintenance in maintenances.iter().filter(|m| m.status.is_finished() || m.status.is_active()) {
        for key in &maintenance.components {
            events.entry(key).or_default().push(Stretch {
                status: ComponentStatus::UnderMaintenance,
                start: maintenance.start,
                end: maintenance.status.is_finished().then_some(maintenance.end),
            });
        }
    }

    let mut rows = Vec::new();
    for spec in layout().into_iter().flat_map(|(_, specs)| specs) {
        let component_id = demo_component(component_ids, spec.key)?;
        let since = now - Duration::days(spec.added_days_ago.unwrap_or(HISTORY_DAYS));
        let stretches = history(since, events.remove(spec.key).unwrap_or_default());
        if let Some(current) = stretches.last() {
            components::Entity::update(components::ActiveModel {
                id: Set(component_id),
                status: Set(current.status.as_str().into()),
                status_source: Set(
                    if current.status == ComponentStatus::Operational { "manual" } else { "incident" }.into()
                ),
                status_changed_at: Set(current.start),
                ..Default::default()
            })
            .exec(db)
            .await
            .map_err(internal("setting a demo component's status"))?;
        }
        rows.extend(stretches.into_iter().map(|stretch| {
            component_status_intervals::ActiveModel {
                organization_id: Set(organization_id),
                component_id: Set(component_id),
                status: Set(stretch.status.as_str().into()),
                source: Set(match stretch.status {
                    ComponentStatus::UnderMaintenance => "maintenance",
                    ComponentStatus::Operational => "manual",
                    _ => "incident",
                }
                .into()),
                started_at: Set(stretch.start),
                ended_at: Set(stretch.end),
                ..Default::default()
            }
        }));
    }
    let count = rows.len();
    component_status_intervals::Entity::insert_many(rows)
        .exec(db)
        .await
        .map_err(internal("writing demo status history"))?;
    Ok(count)
}

fn demo_component(ids: &HashMap<&'static str, i64>, key: &str) -> Result<i64, AppError> {
    ids.get(key).copied().ok_or_else(|| {
        tracing::error!(key, "demo data refers to a component it did not create");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, hour, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn history_fills_the_gaps_with_operational_and_ends_open() {
        let events = vec![
            Stretch { status: ComponentStatus::MajorOutage, start: at(5), end: Some(at(6)) },
            Stretch { status: ComponentStatus::DegradedPerformance, start: at(2), end: Some(at(3)) },
        ];
        assert_eq!(
            history(at(0), events),
            vec![
                Stretch { status: ComponentStatus::Operational, start: at(0), end: Some(at(2)) },
                Stretch { status: ComponentStatus::DegradedPerformance, start: at(2), end: Some(at(3)) },
                Stretch { status: ComponentStatus::Operational, start: at(3), end: Some(at(5)) },
                Stretch { status: ComponentStatus::MajorOutage, start: at(5), end: Some(at(6)) },
                Stretch { status: ComponentStatus::Operational, start: at(6), end: None },
            ]
        );
    }

    #[test]
    fn an_ongoing_event_is_the_current_status() {
        let events = vec![Stretch { status: ComponentStatus::DegradedPerformance, start: at(4), end: None }];
        let stretches = history(at(0), events);
        assert_eq!(stretches.len(), 2);
        assert_eq!(stretches[1], Stretch { status: ComponentStatus::DegradedPerformance, start: at(4), end: None });
    }

    #[test]
    fn events_before_a_component_existed_are_dropped_or_clipped() {
        let events = vec![
            Stretch { status: ComponentStatus::MajorOutage, start: at(0), end: Some(at(1)) },
            Stretch { status: ComponentStatus::PartialOutage, start: at(2), end: Some(at(4)) },
        ];
        let stretches = history(at(3), events);
        assert_eq!(stretches[0], Stretch { status: ComponentStatus::PartialOutage, start: at(3), end: Some(at(4)) });
        assert_eq!(stretches[1].status, ComponentStatus::Operational);
    }

    #[test]
    fn scripted_incidents_follow_the_state_machine_and_affect_known_components() {
        let now = at(12);
        let keys: Vec<&str> = layout().into_iter().flat_map(|(_, specs)| specs).map(|spec| spec.key).collect();
        for spec in incident_specs(now) {
            let mut updates = spec.updates.iter();
            let Some((first_at, first_status, _)) = updates.next() else { panic!("{} has no updates", spec.name) };
            let mut timeline = IncidentTimeline::open(*first_status, *first_at).unwrap_or_else(|e| panic!("{e}"));
            for (at, status, _) in updates {
                timeline.apply(*status, *at, now).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            }
            for (key, _) in &spec.components {
                assert!(keys.contains(key), "{} names unknown component {key}", spec.name);
            }
        }
        let open = incident_specs(now).into_iter().filter(|spec| spec.resolved_at().is_none()).count();
        assert_eq!(open, 1, "the demo shows exactly one open incident");
    }
}
