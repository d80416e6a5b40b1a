//! Config as code: an organization's branding, groups, components, checks and templates exported
//! as YAML, and a YAML document planned (dry run) or applied in one transaction.

use super::admin::checks::{HEARTBEAT_PATH, TOKEN_PREFIX, Timing, recompute, timing};
use super::entities::{component_groups, components, monitors, organizations, template_components, templates};
use super::events;
use super::hub::Hub;
use super::internal;
use super::monitoring::first_run;
use super::repositories::audit::{self, Actor, AuditEntry};
use super::repositories::components::PageEntry;
use super::repositories::{self as repo, begin_write};
use super::secrets;
use super::status_page;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use herald::{
    BrandingConfiguration, CONFIGURATION_VERSION, CheckConfiguration, CheckKind, CheckTarget, Colour,
    ComponentConfiguration, ComponentStatus, ConfigurationChange, DomainName, EventKind, GroupConfiguration, HttpUrl,
    IntervalBounds, Locale, Name, OrganizationConfiguration, Slug, TemplateConfiguration, TemplateKind, TimeZoneName,
    Title, plan_configuration,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;

/// A stored value that no longer parses was written by hand into the database.
fn stored<T, E: std::fmt::Display>(what: &'static str, parsed: Result<T, E>) -> Result<T, AppError> {
    parsed.map_err(|error| {
        tracing::error!(%error, what, "a stored value does not parse");
        AppError::Internal
    })
}

/// Groups and components in page order; groups without members come last.
fn page_order<'a>(
    groups: &'a [component_groups::Model],
    components: &'a [components::Model],
) -> (Vec<&'a component_groups::Model>, Vec<&'a components::Model>) {
    let (mut ordered_groups, mut ordered_components, mut empty_groups) = (Vec::new(), Vec::new(), Vec::new());
    for entry in repo::components::page_order(groups, components) {
        match entry {
            PageEntry::Component(component) => ordered_components.push(component),
            PageEntry::Group(group, members) if members.is_empty() => empty_groups.push(group),
            PageEntry::Group(group, members) => {
                ordered_groups.push(group);
                ordered_components.extend(members);
            }
        }
    }
    ordered_groups.extend(empty_groups);
    (ordered_groups, ordered_components)
}

/// The organization's setup as it is now.
pub async fn export(
    db: &impl ConnectionTrait,
    organization: &organizations::Model,
) -> Result<OrganizationConfiguration, AppError> {
    let (groups, component_rows) = repo::components::for_organization(db, organization.id)
        .await
        .map_err(internal("loading components for export"))?;
    let (groups, component_rows) = page_order(&groups, &component_rows);
    let group_keys: HashMap<i64, &str> = groups.iter().map(|group| (group.id, group.key.as_str())).collect();
    let component_keys: HashMap<i64, &str> =
        component_rows.iter().map(|component| (component.id, component.key.as_str())).collect();
    let template_rows = templates::Entity::find()
        .filter(templates::Column::OrganizationId.eq(organization.id))
        .all(db)
        .await
        .map_err(internal("loading templates for export"))?;
    let links = template_components::Entity::find()
        .filter(template_components::Column::TemplateId.is_in(template_rows.iter().map(|template| template.id)))
        .all(db)
        .await
        .map_err(internal("loading template components for export"))?;
    let mut template_rows = template_rows;
    template_rows.sort_by(|a, b| a.key.cmp(&b.key));
    let check_rows = monitors::Entity::find()
        .filter(monitors::Column::OrganizationId.eq(organization.id))
        .order_by_asc(monitors::Column::Key)
        .all(db)
        .await
        .map_err(internal("loading checks for export"))?;
    let number = |value: i32| u32::try_from(value).unwrap_or(0);

    let optional_url = |value: &Option<String>| value.as_deref().map(HttpUrl::parse).transpose();
    Ok(OrganizationConfiguration {
        version: CONFIGURATION_VERSION,
        organization: BrandingConfiguration {
            name: stored("organization name", Name::parse(&organization.name))?,
            tagline: organization.tagline.clone(),
            logo_url: stored("logo URL", optional_url(&organization.logo_url))?,
            website_url: stored("website URL", optional_url(&organization.website_url))?,
            brand_colour: stored("brand colour", organization.brand_colour.as_deref().map(Colour::parse).transpose())?,
            custom_domain: stored(
                "custom domain",
                organization.custom_domain.as_deref().map(DomainName::parse).transpose(),
            )?,
            default_locale: stored("locale", organization.default_locale.parse::<Locale>())?,
            time_zone: stored("time zone", TimeZoneName::parse(&organization.time_zone))?,
            listed: organization.listed,
        },
        groups: groups
            .iter()
            .map(|group| {
                Ok(GroupConfiguration {
                    key: stored("group key", Slug::parse(&group.key))?,
                    name: stored("group name", Name::parse(&group.name))?,
                    description: group.description.clone(),
                    collapsed: group.collapsed,
                })
            })
            .collect::<Result<_, AppError>>()?,
        components: component_rows
            .iter()
            .map(|component| {
                Ok(ComponentConfiguration {
                    key: stored("component key", Slug::parse(&component.key))?,
                    name: stored("component name", Name::parse(&component.name))?,
                    group: component
                        .group_id
                        .and_then(|id| group_keys.get(&id))
                        .map(|key| stored("group key", Slug::parse(key)))
                        .transpose()?,
                    description: component.description.clone(),
                    showcase: component.showcase,
                    only_show_if_degraded: component.only_show_if_degraded,
                    show_uptime: component.show_uptime,
                    start_date: component.start_date,
                })
            })
            .collect::<Result<_, AppError>>()?,
        templates: template_rows
            .iter()
            .map(|template| {
                let mut keys: Vec<Slug> = links
                    .iter()
                    .filter(|link| link.template_id == template.id)
                    .filter_map(|link| component_keys.get(&link.component_id))
                    .map(|key| stored("component key", Slug::parse(key)))
                    .collect::<Result<_, _>>()?;
                keys.sort_by(|a, b| a.as_str().cmp(b.as_str()));
                Ok(TemplateConfiguration {
                    key: stored("template key", Slug::parse(&template.key))?,
                    kind: if template.kind == TemplateKind::Maintenance.as_str() {
                        TemplateKind::Maintenance
                    } else {
                        TemplateKind::Incident
                    },
                    name: stored("template name", Name::parse(&template.name))?,
                    title: stored("template title", Title::parse(&template.title))?,
                    body: template.body.clone(),
                    impact: template
                        .default_impact
                        .as_deref()
                        .map(str::parse)
                        .transpose()
                        .map_err(|_| AppError::Internal)?,
                    status: template
                        .default_status
                        .as_deref()
                        .map(str::parse)
                        .transpose()
                        .map_err(|_| AppError::Internal)?,
                    components: keys,
                })
            })
            .collect::<Result<_, AppError>>()?,
        checks: check_rows
            .iter()
            .map(|check| {
                Ok(CheckConfiguration {
                    key: stored("check key", Slug::parse(&check.key))?,
                    name: stored("check name", Name::parse(&check.name))?,
                    component: check
                        .component_id
                        .and_then(|id| component_keys.get(&id))
                        .map(|key| stored("component key", Slug::parse(key)))
                        .transpose()?,
                    kind: stored("check kind", check.kind.parse::<CheckKind>())?,
                    target: check.config.clone(),
                    interval_seconds: number(check.interval_seconds),
                    timeout_ms: number(check.timeout_ms),
                    degraded_latency_ms: check.degraded_latency_ms.map(number),
                    failure_status: stored("failure status", check.failure_status.parse::<ComponentStatus>())?,
                    confirmations: number(check.confirmations),
                    incident_threshold: number(check.incident_threshold),
                    recovery_minutes: number(check.recovery_minutes),
                    auto_incident: check.auto_incident,
                    paused: check.paused,
                })
            })
            .collect::<Result<_, AppError>>()?,
    })
}

pub fn to_yaml(slug: &str, configuration: &OrganizationConfiguration) -> Result<String, AppError> {
    let body = serde_yaml_ng::to_string(configuration).map_err(internal("writing YAML"))?;
    Ok(format!(
        "# Herald configuration of the organization \"{slug}\".\n\
         # Apply with: herald config import --org {slug} --file <this file> [--dry-run] [--prune]\n{body}"
    ))
}

/// Reads a document; the message says where (line and column) and what is wrong.
pub fn from_yaml(text: &str) -> Result<OrganizationConfiguration, AppError> {
    let configuration: OrganizationConfiguration = serde_yaml_ng::from_str(text).map_err(|error| {
        AppError::Invalid { field: None, message: format!("The document cannot be read: {error}.") }
    })?;
    configuration.validate().map_err(|error| AppError::Invalid { field: None, message: error.to_string() })?;
    Ok(configuration)
}

/// How a document is applied.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Delete what the document leaves out.
    pub prune: bool,
    /// Plan only; write nothing.
    pub dry_run: bool,
    /// The check intervals this instance allows.
    pub check_intervals: IntervalBounds,
}

/// What an import planned (and, unless a dry run, did).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub plan: Vec<ConfigurationChange>,
    /// Heartbeat checks the import created, with their push path (a secret, shown this once).
    pub heartbeat_paths: Vec<(String, String)>,
}

/// Plans `wanted` against the organization `slug` and, unless a dry run, applies it in one
/// transaction. Returns the plan either way.
pub async fn import(
    db: &DatabaseConnection,
    hub: Option<&Hub>,
    actor: Actor<'_>,
    slug: &str,
    wanted: &OrganizationConfiguration,
    options: ImportOptions,
    now: DateTime<Utc>,
) -> Result<Imported, AppError> {
    wanted.validate().map_err(|error| AppError::Invalid { field: None, message: error.to_string() })?;
    let organization = status_page::organization(db, slug).await?;
    let current = export(db, &organization).await?;
    let ImportOptions { prune, dry_run, check_intervals } = options;
    let wanted = &wanted.with_settings_in_full();
    let plan = plan_configuration(&current, wanted, prune);
    check_settings(wanted, &plan, check_intervals)?;
    if dry_run || plan.is_empty() {
        return Ok(Imported { plan, heartbeat_paths: Vec::new() });
    }
    let txn = begin_write(db).await.map_err(internal("starting to apply a configuration"))?;
    apply(&txn, &organization, wanted, prune, now).await?;
    let heartbeat_paths = apply_checks(&txn, &organization, wanted, &plan, prune, now).await?;
    events::record(
        &txn,
        organization.id,
        EventKind::PageChanged,
        serde_json::json!({ "configuration": plan.iter().map(ToString::to_string).collect::<Vec<_>>() }),
        now,
    )
    .await
    .map_err(internal("recording a configuration change"))?;
    audit::record(
        &txn,
        AuditEntry {
            organization_id: Some(organization.id),
            actor,
            action: "configuration.applied",
            entity_type: "organization",
            entity_id: Some(organization.id),
            before: serde_json::to_value(&current).ok(),
            after: serde_json::to_value(wanted).ok(),
        },
        now,
    )
    .await
    .map_err(internal("auditing a configuration change"))?;
    txn.commit().await.map_err(|error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Conflict("Another organization already uses this custom domain.".into())
        }
        _ => internal("applying a configuration")(error),
    })?;
    if let Some(hub) = hub {
        hub.wake();
    }
    Ok(Imported { plan, heartbeat_paths })
}

fn changed<'a>(plan: &'a [ConfigurationChange], key: &str) -> Option<&'a ConfigurationChange> {
    plan.iter().find(|change| match change {
        ConfigurationChange::Create { kind, key: changed } | ConfigurationChange::Update { kind, key: changed, .. } => {
            *kind == "check" && changed == key
        }
        ConfigurationChange::Delete { .. } => false,
    })
}

fn check_timing(check: &CheckConfiguration, bounds: IntervalBounds) -> Result<Timing, AppError> {
    timing(
        bounds,
        check.interval_seconds,
        check.timeout_ms,
        check.degraded_latency_ms,
        check.confirmations,
        check.incident_threshold,
        check.recovery_minutes,
        check.failure_status,
    )
}

/// The numbers of every check the plan creates or changes, as the dashboard checks them.
/// (Checks left as they are keep whatever they were saved with.)
fn check_settings(
    wanted: &OrganizationConfiguration,
    plan: &[ConfigurationChange],
    bounds: IntervalBounds,
) -> Result<(), AppError> {
    for check in wanted.checks.iter().filter(|check| changed(plan, check.key.as_str()).is_some()) {
        check_timing(check, bounds)
            .map_err(|error| AppError::Invalid { field: None, message: format!("Check \"{}\": {error}", check.key) })?;
    }
    Ok(())
}

/// Creates and updates the checks the plan names (and, pruning, deletes the ones the document
/// leaves out), then sets the components they drive again. Returns new heartbeats' push paths.
async fn apply_checks(
    txn: &impl ConnectionTrait,
    organization: &organizations::Model,
    wanted: &OrganizationConfiguration,
    plan: &[ConfigurationChange],
    prune: bool,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String)>, AppError> {
    let existing = monitors::Entity::find()
        .filter(monitors::Column::OrganizationId.eq(organization.id))
        .all(txn)
        .await
        .map_err(internal("loading checks"))?;
    let component_ids: HashMap<String, i64> = components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization.id))
        .all(txn)
        .await
        .map_err(internal("loading components"))?
        .into_iter()
        .map(|component| (component.key, component.id))
        .collect();
    let mut touched_components: Vec<Option<i64>> = Vec::new();
    let mut heartbeat_paths = Vec::new();
    for check in &wanted.checks {
        if changed(plan, check.key.as_str()).is_none() {
            continue;
        }
        let invalid =
            |message: String| AppError::Invalid { field: None, message: format!("Check \"{}\": {message}", check.key) };
        let target = CheckTarget::parse(check.kind, check.target.clone()).map_err(|error| invalid(error.message))?;
        // Checked against the instance's bounds before the transaction began.
        let timing = check_timing(check, IntervalBounds { min_seconds: 1, max_seconds: u32::MAX })?;
        let component_id = check.component.as_ref().and_then(|key| component_ids.get(key.as_str()).copied());
        let mut row = monitors::ActiveModel {
            name: Set(check.name.to_string()),
            component_id: Set(component_id),
            config: Set(target.to_json()),
            interval_seconds: Set(timing.interval_seconds),
            timeout_ms: Set(timing.timeout_ms),
            degraded_latency_ms: Set(timing.degraded_latency_ms),
            failure_status: Set(check.failure_status.as_str().to_owned()),
            confirmations: Set(timing.confirmations),
            incident_threshold: Set(timing.incident_threshold),
            recovery_minutes: Set(timing.recovery_minutes),
            auto_incident: Set(check.auto_incident),
            paused: Set(check.paused),
            updated_at: Set(now),
            ..Default::default()
        };
        match existing.iter().find(|row| row.key == check.key.as_str()) {
            Some(current) => {
                if current.kind != check.kind.as_str() {
                    return Err(invalid(format!(
                        "a {} check cannot become a {} check; give the new check a new key.",
                        current.kind, check.kind
                    )));
                }
                touched_components.push(current.component_id);
                row.id = Set(current.id);
                row.version = Set(current.version + 1);
                if current.config != target.to_json() && check.kind != CheckKind::Heartbeat {
                    // A new target is looked at soon, not after the old interval.
                    row.next_run_at = Set(now);
                }
                row.update(txn).await.map_err(internal("updating a check"))?;
            }
            None => {
                let token = (check.kind == CheckKind::Heartbeat).then(|| secrets::new_token(TOKEN_PREFIX));
                row.organization_id = Set(organization.id);
                row.key = Set(check.key.to_string());
                row.kind = Set(check.kind.as_str().to_owned());
                row.heartbeat_token_hash = Set(token.as_deref().map(secrets::hash_token));
                row.next_run_at = Set(now);
                row.last_checked_at = Set(None);
                row.last_outcome = Set(None);
                row.last_error = Set(None);
                row.consecutive_failures = Set(0);
                row.consecutive_successes = Set(0);
                row.failing_since = Set(None);
                row.recovered_since = Set(None);
                row.version = Set(1);
                row.status = Set(ComponentStatus::NoData.as_str().to_owned());
                row.flap_transitions = Set(0);
                row.flap_window_started_at = Set(None);
                row.flapping_since = Set(None);
                row.last_latency_ms = Set(None);
                row.last_ping_at = Set(None);
                row.created_at = Set(now);
                let inserted = row.insert(txn).await.map_err(internal("creating a check"))?;
                // Spread over the interval like a check made on the dashboard; heartbeats wait
                // for their first ping.
                monitors::ActiveModel {
                    id: Set(inserted.id),
                    next_run_at: Set(first_run(&inserted, &target, now)),
                    ..Default::default()
                }
                .update(txn)
                .await
                .map_err(internal("scheduling a new check"))?;
                if let Some(token) = token {
                    heartbeat_paths.push((check.key.to_string(), format!("{HEARTBEAT_PATH}{token}")));
                }
            }
        }
        touched_components.push(component_id);
    }
    if prune {
        let keep: Vec<String> = wanted.checks.iter().map(|check| check.key.to_string()).collect();
        for gone in existing.iter().filter(|row| !keep.contains(&row.key)) {
            touched_components.push(gone.component_id);
        }
        monitors::Entity::delete_many()
            .filter(monitors::Column::OrganizationId.eq(organization.id))
            .filter(monitors::Column::Key.is_not_in(keep))
            .exec(txn)
            .await
            .map_err(internal("pruning checks"))?;
    }
    // Components deleted by the prune above are gone; the rest take their checks' status.
    let alive: Vec<Option<i64>> = touched_components
        .into_iter()
        .filter(|id| id.is_some_and(|id| component_ids.values().any(|known| *known == id)))
        .collect();
    recompute(txn, organization.id, &alive, now).await?;
    Ok(heartbeat_paths)
}

/// Stored positions for a document whose component order is the page order: ungrouped
/// components and groups take top-level positions in the order they first appear, a group's
/// members count from 0 within it, and groups without members go last.
struct Positions {
    groups: HashMap<String, i32>,
    /// By the component's index in the document.
    components: Vec<i32>,
}

impl Positions {
    fn of(wanted: &OrganizationConfiguration) -> Positions {
        let (mut groups, mut components) = (HashMap::new(), Vec::with_capacity(wanted.components.len()));
        let mut within: HashMap<String, i32> = HashMap::new();
        let mut top = 0;
        for component in &wanted.components {
            match &component.group {
                None => {
                    components.push(top);
                    top += 1;
                }
                Some(group) => {
                    groups.entry(group.to_string()).or_insert_with(|| {
                        top += 1;
                        top - 1
                    });
                    let next = within.entry(group.to_string()).or_insert(0);
                    components.push(*next);
                    *next += 1;
                }
            }
        }
        for group in &wanted.groups {
            groups.entry(group.key.to_string()).or_insert_with(|| {
                top += 1;
                top - 1
            });
        }
        Positions { groups, components }
    }
}

/// Writes `row` over `existing` (a new version of it) or inserts it as version 1; the row's id.
macro_rules! save {
    ($row:ident, $existing:expr, $txn:expr, $now:expr, $what:literal) => {
        match $existing {
            Some(existing) => {
                $row.id = Set(existing.id);
                $row.version = Set(existing.version + 1);
                $row.update($txn).await.map_err(internal(concat!("updating a ", $what)))?.id
            }
            None => {
                $row.version = Set(1);
                $row.created_at = Set($now);
                $row.insert($txn).await.map_err(internal(concat!("creating a ", $what)))?.id
            }
        }
    };
}

async fn apply(
    txn: &impl ConnectionTrait,
    organization: &organizations::Model,
    wanted: &OrganizationConfiguration,
    prune: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let branding = &wanted.organization;
    organizations::ActiveModel {
        id: Set(organization.id),
        name: Set(branding.name.to_string()),
        tagline: Set(branding.tagline.clone()),
        logo_url: Set(branding.logo_url.as_ref().map(ToString::to_string)),
        website_url: Set(branding.website_url.as_ref().map(ToString::to_string)),
        brand_colour: Set(branding.brand_colour.as_ref().map(ToString::to_string)),
        custom_domain: Set(branding.custom_domain.as_ref().map(ToString::to_string)),
        default_locale: Set(branding.default_locale.as_str().to_owned()),
        time_zone: Set(branding.time_zone.to_string()),
        listed: Set(branding.listed),
        version: Set(organization.version + 1),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await
    .map_err(|error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::invalid("custom_domain", "Another organization already uses this custom domain.")
        }
        _ => internal("updating an organization's settings")(error),
    })?;

    let (groups, existing_components) =
        repo::components::for_organization(txn, organization.id).await.map_err(internal("loading components"))?;
    let positions = Positions::of(wanted);
    let mut group_ids: HashMap<String, i64> = HashMap::new();
    for group in &wanted.groups {
        let position = positions.groups.get(group.key.as_str()).copied().unwrap_or_default();
        let existing = groups.iter().find(|row| row.key == group.key.as_str());
        let mut row = component_groups::ActiveModel {
            organization_id: Set(organization.id),
            key: Set(group.key.to_string()),
            name: Set(group.name.to_string()),
            description: Set(group.description.clone()),
            position: Set(position),
            collapsed: Set(group.collapsed),
            updated_at: Set(now),
            ..Default::default()
        };
        let id = save!(row, existing, txn, now, "group");
        group_ids.insert(group.key.to_string(), id);
    }

    let mut component_ids: HashMap<String, i64> = HashMap::new();
    for (index, component) in wanted.components.iter().enumerate() {
        let position = positions.components.get(index).copied().unwrap_or_default();
        let existing = existing_components.iter().find(|row| row.key == component.key.as_str());
        let mut row = components::ActiveModel {
            organization_id: Set(organization.id),
            group_id: Set(component.group.as_ref().and_then(|key| group_ids.get(key.as_str()).copied())),
            key: Set(component.key.to_string()),
            name: Set(component.name.to_string()),
            description: Set(component.description.clone()),
            position: Set(position),
            showcase: Set(component.showcase),
            only_show_if_degraded: Set(component.only_show_if_degraded),
            show_uptime: Set(component.show_uptime),
            start_date: Set(component.start_date),
            updated_at: Set(now),
            ..Default::default()
        };
        if existing.is_none() {
            // New components start operational until something says otherwise.
            row.status = Set(ComponentStatus::Operational.as_str().to_owned());
            row.status_source = Set("manual".to_owned());
            row.status_changed_at = Set(now);
        }
        let id = save!(row, existing, txn, now, "component");
        component_ids.insert(component.key.to_string(), id);
    }

    let existing_templates = templates::Entity::find()
        .filter(templates::Column::OrganizationId.eq(organization.id))
        .all(txn)
        .await
        .map_err(internal("loading templates"))?;
    for template in &wanted.templates {
        let existing = existing_templates.iter().find(|row| row.key == template.key.as_str());
        let mut row = templates::ActiveModel {
            organization_id: Set(organization.id),
            key: Set(template.key.to_string()),
            kind: Set(template.kind.as_str().to_owned()),
            name: Set(template.name.to_string()),
            title: Set(template.title.to_string()),
            body: Set(template.body.clone()),
            default_impact: Set(template.impact.map(|impact| impact.as_str().to_owned())),
            default_status: Set(template.status.map(|status| status.as_str().to_owned())),
            updated_at: Set(now),
            ..Default::default()
        };
        let id = save!(row, existing, txn, now, "template");
        template_components::Entity::delete_many()
            .filter(template_components::Column::TemplateId.eq(id))
            .exec(txn)
            .await
            .map_err(internal("clearing a template's components"))?;
        for key in &template.components {
            if let Some(&component_id) = component_ids.get(key.as_str()) {
                template_components::ActiveModel { template_id: Set(id), component_id: Set(component_id) }
                    .insert(txn)
                    .await
                    .map_err(internal("linking a template's component"))?;
            }
        }
    }

    if prune {
        let keep_templates: Vec<String> = wanted.templates.iter().map(|template| template.key.to_string()).collect();
        templates::Entity::delete_many()
            .filter(templates::Column::OrganizationId.eq(organization.id))
            .filter(templates::Column::Key.is_not_in(keep_templates))
            .exec(txn)
            .await
            .map_err(internal("pruning templates"))?;
        components::Entity::delete_many()
            .filter(components::Column::OrganizationId.eq(organization.id))
            .filter(components::Column::Key.is_not_in(component_ids.keys().cloned()))
            .exec(txn)
            .await
            .map_err(internal("pruning components"))?;
        component_groups::Entity::delete_many()
            .filter(component_groups::Column::OrganizationId.eq(organization.id))
            .filter(component_groups::Column::Key.is_not_in(group_ids.keys().cloned()))
            .exec(txn)
            .await
            .map_err(internal("pruning groups"))?;
    }
    Ok(())
}
