//! An organization's setup as a document (branding, groups, components, templates), so it can
//! live in git and be applied again: what the document may say, and the plan that turns the
//! current setup into the wanted one. Items are matched by their stable keys, never by name, so
//! renaming is an update and not a delete plus a create.

use crate::{Colour, DomainName, HttpUrl, Impact, IncidentStatus, Locale, Name, Slug, TimeZoneName, Title};
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

fn yes() -> bool {
    true
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

fn plan_list<T: Serialize>(
    kind: &'static str,
    current: &[T],
    wanted: &[T],
    key: impl Fn(&T) -> &str,
    prune: bool,
    changes: &mut Vec<ConfigurationChange>,
) {
    // Positions count only the items both lists have, so adding or leaving out one item does
    // not report every item after it as moved: only a real reordering is a change.
    let in_both = |list: &[T], other: &[T]| -> Vec<String> {
        list.iter().map(&key).filter(|k| other.iter().any(|item| key(item) == *k)).map(str::to_owned).collect()
    };
    let (current_order, wanted_order) = (in_both(current, wanted), in_both(wanted, current));
    let position = |order: &[String], k: &str| order.iter().position(|candidate| candidate == k);
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
    plan_list("group", &current.groups, &wanted.groups, |group| group.key.as_str(), prune, &mut changes);
    plan_list("component", &current.components, &wanted.components, |c| c.key.as_str(), prune, &mut changes);
    plan_list("template", &current.templates, &wanted.templates, |t| t.key.as_str(), prune, &mut changes);
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
                           "impact": "major", "components": ["api"]}]
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
        assert!(matches!(dangling.validate(), Err(ConfigurationError::UnknownComponent { .. })));
        let mut future = document();
        future.version = 2;
        assert_eq!(future.validate(), Err(ConfigurationError::Version(2)));
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
