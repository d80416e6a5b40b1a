//! An organization's setup as a document (branding, groups, components, checks, templates), so it can
//! live in git and be applied again: what the document may say, and the plan that turns the
//! current setup into the wanted one. Items are matched by their stable keys, never by name, so
//! renaming is an update and not a delete plus a create.

use crate::{
    CheckKind, CheckTarget, Colour, ComponentStatus, DomainName, HttpUrl, Impact, IncidentStatus, Locale, Name, Slug,
    TimeZoneName, Title,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The only document version so far; a later format gets a new number.
pub const CONFIGURATION_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganizationConfiguration {
    pub version: u32,
    pub organization: BrandingConfiguration,
    #[serde(default)]
    pub groups: Vec<GroupConfiguration>,
    /// In page order; each names its group by key.
    #[serde(default)]
    pub components: Vec<ComponentConfiguration>,
    #[serde(default)]
    pub templates: Vec<TemplateConfiguration>,
    /// Monitoring checks; each names the component it drives by key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConfiguration>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BrandingConfiguration {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tagline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<HttpUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<HttpUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_colour: Option<Colour>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_domain: Option<DomainName>,
    pub default_locale: Locale,
    pub time_zone: TimeZoneName,
    #[serde(default = "yes")]
    pub listed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupConfiguration {
    pub key: Slug,
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub collapsed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComponentConfiguration {
    pub key: Slug,
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Slug>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "yes")]
    pub showcase: bool,
    #[serde(default)]
    pub only_show_if_degraded: bool,
    #[serde(default = "yes")]
    pub show_uptime: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    Incident,
    Maintenance,
}

impl TemplateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Incident => "incident",
            TemplateKind::Maintenance => "maintenance",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TemplateConfiguration {
    pub key: Slug,
    pub kind: TemplateKind,
    pub name: Name,
    pub title: Title,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<IncidentStatus>,
    /// Component keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Slug>,
}

/// A monitoring check. A heartbeat check's push URL is a secret: it is not in the document, and
/// a heartbeat created by an import gets a new one, printed once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckConfiguration {
    pub key: Slug,
    pub name: Name,
    /// The component whose status it drives, by key; none for a check that only records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<Slug>,
    pub kind: CheckKind,
    /// Kind-specific settings, as the admin API takes them (`url`, `host`, `port`, …).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    #[serde(default)]
    pub target: serde_json::Value,
    #[serde(default = "sixty")]
    pub interval_seconds: u32,
    #[serde(default = "ten_seconds")]
    pub timeout_ms: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded_latency_ms: Option<u32>,
    #[serde(default = "major_outage")]
    pub failure_status: ComponentStatus,
    #[serde(default = "three")]
    pub confirmations: u32,
    #[serde(default = "three")]
    pub incident_threshold: u32,
    #[serde(default = "five")]
    pub recovery_minutes: u32,
    #[serde(default = "yes")]
    pub auto_incident: bool,
    #[serde(default)]
    pub paused: bool,
}

fn yes() -> bool {
    true
}
fn sixty() -> u32 {
    60
}
fn ten_seconds() -> u32 {
    10_000
}
fn three() -> u32 {
    3
}
fn five() -> u32 {
    5
}
fn major_outage() -> ComponentStatus {
    ComponentStatus::MajorOutage
}

/// What is wrong with a document, beyond what parsing it already refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigurationError {
    #[error("This document is version {0}; this Herald reads version {CONFIGURATION_VERSION}.")]
    Version(u32),
    #[error("The {kind} key \"{key}\" is used twice; keys must be unique.")]
    DuplicateKey { kind: &'static str, key: String },
    #[error("Component \"{component}\" is in group \"{group}\", which the document does not define.")]
    UnknownGroup { component: String, group: String },
    #[error("Template \"{template}\" names component \"{component}\", which the document does not define.")]
    UnknownComponent { template: String, component: String },
    #[error("Check \"{check}\" drives component \"{component}\", which the document does not define.")]
    UnknownCheckComponent { check: String, component: String },
    #[error("Check \"{check}\": {message}")]
    InvalidCheck { check: String, message: String },
}

impl OrganizationConfiguration {
    /// Checks what field-by-field parsing cannot: the version, unique keys, references.
    pub fn validate(&self) -> Result<(), ConfigurationError> {
        if self.version != CONFIGURATION_VERSION {
            return Err(ConfigurationError::Version(self.version));
        }
        let groups = unique("group", self.groups.iter().map(|group| &group.key))?;
        let components = unique("component", self.components.iter().map(|component| &component.key))?;
        unique("template", self.templates.iter().map(|template| &template.key))?;
        unique("check", self.checks.iter().map(|check| &check.key))?;
        for check in &self.checks {
            if let Some(component) = &check.component
                && !components.contains(component.as_str())
            {
                return Err(ConfigurationError::UnknownCheckComponent {
                    check: check.key.to_string(),
                    component: component.to_string(),
                });
            }
            CheckTarget::parse(check.kind, check.target.clone()).map_err(|error| ConfigurationError::InvalidCheck {
                check: check.key.to_string(),
                message: error.message,
            })?;
        }
        for component in &self.components {
            if let Some(group) = &component.group
                && !groups.contains(group.as_str())
            {
                return Err(ConfigurationError::UnknownGroup {
                    component: component.key.to_string(),
                    group: group.to_string(),
                });
            }
        }
        for template in &self.templates {
            if let Some(missing) = template.components.iter().find(|key| !components.contains(key.as_str())) {
                return Err(ConfigurationError::UnknownComponent {
                    template: template.key.to_string(),
                    component: missing.to_string(),
                });
            }
        }
        Ok(())
    }
}

impl OrganizationConfiguration {
    /// The document with every check's settings written out in full (defaults filled in), as
    /// an export writes them, so a document that leaves defaults out plans no change for them.
    pub fn with_settings_in_full(&self) -> OrganizationConfiguration {
        let mut document = self.clone();
        for check in &mut document.checks {
            if let Ok(target) = CheckTarget::parse(check.kind, check.target.clone()) {
                check.target = target.to_json();
            }
        }
        document
    }
}

fn unique<'a>(
    kind: &'static str,
    keys: impl Iterator<Item = &'a Slug>,
) -> Result<BTreeSet<&'a str>, ConfigurationError> {
    let mut seen = BTreeSet::new();
    for key in keys {
        if !seen.insert(key.as_str()) {
            return Err(ConfigurationError::DuplicateKey { kind, key: key.to_string() });
        }
    }
    Ok(seen)
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigurationChange {
    Create {
        kind: &'static str,
        key: String,
    },
    /// `fields`: (field, from, to), as the document writes them.
    Update {
        kind: &'static str,
        key: String,
        fields: Vec<(String, String, String)>,
    },
    /// Only with pruning.
    Delete {
        kind: &'static str,
        key: String,
    },
}

impl std::fmt::Display for ConfigurationChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigurationChange::Create { kind, key } => write!(f, "+ {kind} {key}"),
            ConfigurationChange::Update { kind, key, fields } => {
                write!(f, "~ {kind} {key}:")?;
                for (index, (field, from, to)) in fields.iter().enumerate() {
                    write!(f, "{} {field} {from} → {to}", if index == 0 { "" } else { ";" })?;
                }
                Ok(())
            }
            ConfigurationChange::Delete { kind, key } => write!(f, "- {kind} {key}"),
        }
    }
}

/// The fields of an item as the document writes them, with its position in its list.
fn fields<T: Serialize>(item: &T, position: Option<usize>) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    if let Ok(serde_json::Value::Object(object)) = serde_json::to_value(item) {
        for (name, value) in object {
            fields.insert(name, value.to_string());
        }
    }
    if let Some(position) = position {
        fields.insert("position".into(), (position + 1).to_string());
    }
    fields
}

fn differences(current: &BTreeMap<String, String>, wanted: &BTreeMap<String, String>) -> Vec<(String, String, String)> {
    let names: BTreeSet<&String> = current.keys().chain(wanted.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let from = current.get(name).map_or("(none)", String::as_str);
            let to = wanted.get(name).map_or("(none)", String::as_str);
            (from != to).then(|| (name.clone(), from.to_owned(), to.to_owned()))
        })
        .collect()
}

/// `ordered`: the list's order means something (the page's order), so a move is a change.
#[allow(clippy::too_many_arguments)]
fn plan_list<T: Serialize>(
    kind: &'static str,
    current: &[T],
    wanted: &[T],
    key: impl Fn(&T) -> &str,
    ordered: bool,
    prune: bool,
    changes: &mut Vec<ConfigurationChange>,
) {
    // Positions count only the items both lists have, so adding or leaving out one item does
    // not report every item after it as moved: only a real reordering is a change.
    let in_both = |list: &[T], other: &[T]| -> Vec<String> {
        list.iter().map(&key).filter(|k| other.iter().any(|item| key(item) == *k)).map(str::to_owned).collect()
    };
    let (current_order, wanted_order) = (in_both(current, wanted), in_both(wanted, current));
    let position =
        |order: &[String], k: &str| if ordered { order.iter().position(|candidate| candidate == k) } else { None };
    for item in wanted {
        match current.iter().find(|existing| key(existing) == key(item)) {
            None => changes.push(ConfigurationChange::Create { kind, key: key(item).to_owned() }),
            Some(existing) => {
                let fields = differences(
                    &fields(existing, position(&current_order, key(item))),
                    &fields(item, position(&wanted_order, key(item))),
                );
                if !fields.is_empty() {
                    changes.push(ConfigurationChange::Update { kind, key: key(item).to_owned(), fields });
                }
            }
        }
    }
    if prune {
        for existing in current.iter().filter(|existing| !wanted.iter().any(|item| key(item) == key(existing))) {
            changes.push(ConfigurationChange::Delete { kind, key: key(existing).to_owned() });
        }
    }
}

/// What applying `wanted` to `current` changes, in the order it is applied. Without `prune`,
/// items missing from `wanted` are left alone.
pub fn plan_configuration(
    current: &OrganizationConfiguration,
    wanted: &OrganizationConfiguration,
    prune: bool,
) -> Vec<ConfigurationChange> {
    let mut changes = Vec::new();
    let branding = differences(&fields(&current.organization, None), &fields(&wanted.organization, None));
    if !branding.is_empty() {
        changes.push(ConfigurationChange::Update { kind: "organization", key: "settings".into(), fields: branding });
    }
    plan_list("group", &current.groups, &wanted.groups, |group| group.key.as_str(), true, prune, &mut changes);
    plan_list("component", &current.components, &wanted.components, |c| c.key.as_str(), true, prune, &mut changes);
    plan_list("template", &current.templates, &wanted.templates, |t| t.key.as_str(), true, prune, &mut changes);
    let (current, wanted) = (current.with_settings_in_full(), wanted.with_settings_in_full());
    // Checks have no order: the export lists them by key.
    plan_list("check", &current.checks, &wanted.checks, |check| check.key.as_str(), false, prune, &mut changes);
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> OrganizationConfiguration {
        serde_json::from_value(serde_json::json!({
            "version": 1,
            "organization": {"name": "Acme", "default_locale": "en", "time_zone": "Europe/Berlin"},
            "groups": [{"key": "core", "name": "Core"}],
            "components": [
                {"key": "api", "name": "API", "group": "core"},
                {"key": "web", "name": "Website"}
            ],
            "templates": [{"key": "outage", "kind": "incident", "name": "Outage", "title": "Outage", "body": "We are on it.",
                           "impact": "major", "components": ["api"]}],
            "checks": [{"key": "api-health", "name": "API health", "component": "api", "kind": "http",
                        "target": {"url": "https://api.example.com/health"}}]
        }))
        .unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn a_valid_document_passes_and_fills_defaults() {
        let document = document();
        assert_eq!(document.validate(), Ok(()));
        assert!(document.organization.listed);
        assert!(document.components[0].showcase && document.components[0].show_uptime);
        assert!(!document.groups[0].collapsed);
    }

    #[test]
    fn documents_refuse_what_cannot_be_applied() {
        let mut twice = document();
        twice.components.push(twice.components[0].clone());
        assert_eq!(twice.validate(), Err(ConfigurationError::DuplicateKey { kind: "component", key: "api".into() }));
        let mut orphan = document();
        orphan.groups.clear();
        assert!(matches!(orphan.validate(), Err(ConfigurationError::UnknownGroup { .. })));
        let mut dangling = document();
        dangling.components.remove(0);
        dangling.components[0].group = None;
        dangling.checks.clear();
        assert!(matches!(dangling.validate(), Err(ConfigurationError::UnknownComponent { .. })));
        let mut future = document();
        future.version = 2;
        assert_eq!(future.validate(), Err(ConfigurationError::Version(2)));
        let mut unchecked = document();
        unchecked.checks[0].component = Some(Slug::parse("db").unwrap_or_else(|error| panic!("{error}")));
        assert!(matches!(unchecked.validate(), Err(ConfigurationError::UnknownCheckComponent { .. })));
        let mut broken = document();
        broken.checks[0].target = serde_json::json!({"url": "ftp://example.com"});
        let error = broken.validate().expect_err("an invalid target");
        assert!(error.to_string().starts_with("Check \"api-health\": "), "{error}");
        let mut doubled = document();
        doubled.checks.push(doubled.checks[0].clone());
        assert_eq!(
            doubled.validate(),
            Err(ConfigurationError::DuplicateKey { kind: "check", key: "api-health".into() })
        );
    }

    #[test]
    fn checks_fill_their_defaults_and_plan_by_key() {
        let document = document();
        let check = &document.checks[0];
        assert_eq!((check.interval_seconds, check.timeout_ms, check.confirmations), (60, 10_000, 3));
        assert_eq!(
            (check.failure_status, check.auto_incident, check.paused),
            (ComponentStatus::MajorOutage, true, false)
        );
        // Settings left at their defaults plan no change against an export that spells them out.
        let spelled_out = document.with_settings_in_full();
        assert_ne!(spelled_out.checks[0].target, document.checks[0].target);
        assert_eq!(plan_configuration(&spelled_out, &document, true), Vec::new());

        let mut wanted = document.clone();
        wanted.checks[0].interval_seconds = 30;
        wanted.checks.push(CheckConfiguration {
            key: Slug::parse("db-port").unwrap_or_else(|error| panic!("{error}")),
            name: Name::parse("Database port").unwrap_or_else(|error| panic!("{error}")),
            component: None,
            kind: CheckKind::Tcp,
            target: serde_json::json!({"host": "db.internal", "port": 5432}),
            ..document.checks[0].clone()
        });
        let lines: Vec<String> =
            plan_configuration(&document, &wanted, false).iter().map(ToString::to_string).collect();
        assert_eq!(lines, ["~ check api-health: interval_seconds 60 → 30", "+ check db-port"]);
        let mut none = document.clone();
        none.checks.clear();
        assert_eq!(
            plan_configuration(&document, &none, true),
            [ConfigurationChange::Delete { kind: "check", key: "api-health".into() }]
        );
    }

    #[test]
    fn fields_are_checked_while_parsing() {
        let bad = [
            (
                serde_json::json!({"version": 1, "organization": {"name": "", "default_locale": "en", "time_zone": "UTC"}}),
                "empty",
            ),
            (
                serde_json::json!({"version": 1, "organization": {"name": "A", "default_locale": "xx", "time_zone": "UTC"}}),
                "locale",
            ),
            (
                serde_json::json!({"version": 1, "organization": {"name": "A", "default_locale": "en", "time_zone": "Mars/Base"}}),
                "Mars",
            ),
            (
                serde_json::json!({"version": 1, "organization": {"name": "A", "default_locale": "en", "time_zone": "UTC", "colour": "red"}}),
                "colour",
            ),
            (
                serde_json::json!({"version": 1, "organization": {"name": "A", "default_locale": "en", "time_zone": "UTC"},
                                "components": [{"key": "Not A Key", "name": "x"}]}),
                "hyphens",
            ),
        ];
        for (value, hint) in bad {
            let error = serde_json::from_value::<OrganizationConfiguration>(value).unwrap_err().to_string();
            assert!(error.contains(hint), "{hint}: {error}");
        }
    }

    #[test]
    fn the_same_document_plans_nothing() {
        assert_eq!(plan_configuration(&document(), &document(), true), Vec::new());
    }

    #[test]
    fn plans_create_update_reorder_and_prune_by_key() {
        let current = document();
        let mut wanted = document();
        wanted.components.swap(0, 1);
        wanted.components[1].name = Name::parse("Public API").unwrap_or_else(|error| panic!("{error}"));
        wanted.components.push(ComponentConfiguration {
            key: Slug::parse("search").unwrap_or_else(|error| panic!("{error}")),
            name: Name::parse("Search").unwrap_or_else(|error| panic!("{error}")),
            group: None,
            description: None,
            showcase: true,
            only_show_if_degraded: false,
            show_uptime: true,
            start_date: None,
        });
        wanted.templates.clear();
        wanted.organization.tagline = Some("Always up".into());

        let kept = plan_configuration(&current, &wanted, false);
        let lines: Vec<String> = kept.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "~ organization settings: tagline (none) → \"Always up\"",
                "~ component web: position 2 → 1",
                "~ component api: name \"API\" → \"Public API\"; position 1 → 2",
                "+ component search",
            ]
        );
        let mut shorter = document();
        shorter.components.remove(0);
        assert_eq!(plan_configuration(&current, &shorter, false), Vec::new(), "leaving one out moves no other");

        let pruned = plan_configuration(&current, &wanted, true);
        assert_eq!(pruned.last(), Some(&ConfigurationChange::Delete { kind: "template", key: "outage".into() }));
    }
}
