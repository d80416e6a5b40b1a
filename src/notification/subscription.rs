//! Subscriptions: the channel a subscriber is reached on, the topic they chose, and whether a
//! given event reaches them.

use crate::event::EventKind;
use crate::string_enum::string_enum;

string_enum! {
    /// How a subscriber is reached.
    pub enum SubscriberChannel as "subscriber channel" {
        Email = "email",
        /// Signed JSON deliveries (Standard Webhooks) to a URL of the subscriber's choosing.
        Webhook = "webhook",
        Slack = "slack",
        Discord = "discord",
        Teams = "teams",
        Telegram = "telegram",
    }
}

string_enum! {
    /// What a subscriber wants to hear about.
    pub enum Topic as "topic" {
        All = "all",
        Incidents = "incidents",
        Maintenance = "maintenance",
    }
}

impl SubscriberChannel {
    /// The channel's name as pages show it.
    pub fn label(self) -> &'static str {
        match self {
            SubscriberChannel::Email => "Email",
            SubscriberChannel::Webhook => "Webhook",
            SubscriberChannel::Slack => "Slack",
            SubscriberChannel::Discord => "Discord",
            SubscriberChannel::Teams => "Microsoft Teams",
            SubscriberChannel::Telegram => "Telegram",
        }
    }

    /// Whether the channel asks the subscriber to prove the address is theirs before anything
    /// else is sent. A webhook or chat URL is given by someone who controls it (its secret is
    /// in the URL); an email address can be typed by anyone.
    pub fn needs_confirmation(self) -> bool {
        self == SubscriberChannel::Email
    }

    /// Component status changes come every few minutes during an outage: machines (webhooks)
    /// want each one, people get the incident updates that explain them instead.
    pub fn hears_component_changes(self) -> bool {
        self == SubscriberChannel::Webhook
    }

    /// Chat channels deliver to a URL (or a bot) their owner set up; email to an address.
    pub fn is_chat(self) -> bool {
        matches!(
            self,
            SubscriberChannel::Slack
                | SubscriberChannel::Discord
                | SubscriberChannel::Teams
                | SubscriberChannel::Telegram
        )
    }
}

impl Topic {
    /// Whether a subscriber with this topic hears about events of this kind at all (the
    /// component filter is applied after).
    pub fn covers(self, kind: EventKind) -> bool {
        use EventKind::*;
        match kind {
            IncidentCreated | IncidentUpdated | IncidentResolved => matches!(self, Topic::All | Topic::Incidents),
            MaintenanceScheduled | MaintenanceReminder | MaintenanceStarted | MaintenanceCompleted
            | MaintenanceCancelled => matches!(self, Topic::All | Topic::Maintenance),
            ComponentStatusChanged => self == Topic::All,
            PageChanged => false,
        }
    }
}

/// One subscriber's choices, as the fan-out sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interest<'a> {
    pub channel: SubscriberChannel,
    pub topic: Topic,
    /// The components they follow; empty means every component.
    pub components: &'a [i64],
}

impl Interest<'_> {
    /// Whether an event of `kind` touching `event_components` reaches this subscriber. An event
    /// that names no component (a maintenance on none, say) reaches everyone whose topic covers
    /// it: it concerns the whole page.
    pub fn wants(&self, kind: EventKind, event_components: &[i64]) -> bool {
        if !kind.is_notifiable() || !self.topic.covers(kind) {
            return false;
        }
        if kind == EventKind::ComponentStatusChanged && !self.channel.hears_component_changes() {
            return false;
        }
        self.components.is_empty()
            || event_components.is_empty()
            || event_components.iter().any(|component| self.components.contains(component))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        crate::string_enum::assert_round_trips(
            SubscriberChannel::ALL,
            &["email", "webhook", "slack", "discord", "teams", "telegram"],
        );
        crate::string_enum::assert_round_trips(Topic::ALL, &["all", "incidents", "maintenance"]);
    }

    #[test]
    fn only_email_needs_confirmation_and_only_webhooks_hear_component_changes() {
        for &channel in SubscriberChannel::ALL {
            assert_eq!(channel.needs_confirmation(), channel == SubscriberChannel::Email);
            assert_eq!(channel.hears_component_changes(), channel == SubscriberChannel::Webhook);
            assert_eq!(channel.is_chat(), !matches!(channel, SubscriberChannel::Email | SubscriberChannel::Webhook));
        }
    }

    #[test]
    fn topics_cover_their_kinds() {
        use EventKind::*;
        for &kind in EventKind::ALL {
            let incident = matches!(kind, IncidentCreated | IncidentUpdated | IncidentResolved);
            let maintenance = kind.as_str().starts_with("maintenance.");
            assert_eq!(Topic::Incidents.covers(kind), incident, "{kind}");
            assert_eq!(Topic::Maintenance.covers(kind), maintenance, "{kind}");
            assert_eq!(Topic::All.covers(kind), kind != PageChanged, "{kind}");
        }
    }

    #[test]
    fn component_filters_narrow_what_arrives() {
        let everything = Interest { channel: SubscriberChannel::Email, topic: Topic::All, components: &[] };
        let api_only = Interest { channel: SubscriberChannel::Email, topic: Topic::All, components: &[7] };
        assert!(everything.wants(EventKind::IncidentCreated, &[1, 2]));
        assert!(api_only.wants(EventKind::IncidentCreated, &[2, 7]));
        assert!(!api_only.wants(EventKind::IncidentCreated, &[1, 2]));
        // An event about the whole page reaches filtered subscribers too.
        assert!(api_only.wants(EventKind::MaintenanceScheduled, &[]));
        assert!(!everything.wants(EventKind::PageChanged, &[]));
    }

    #[test]
    fn people_do_not_get_every_component_change() {
        let person = Interest { channel: SubscriberChannel::Email, topic: Topic::All, components: &[] };
        let chat = Interest { channel: SubscriberChannel::Slack, topic: Topic::All, components: &[] };
        let machine = Interest { channel: SubscriberChannel::Webhook, topic: Topic::All, components: &[3] };
        let incidents_only = Interest { channel: SubscriberChannel::Webhook, topic: Topic::Incidents, components: &[] };
        assert!(!person.wants(EventKind::ComponentStatusChanged, &[3]));
        assert!(!chat.wants(EventKind::ComponentStatusChanged, &[3]));
        assert!(machine.wants(EventKind::ComponentStatusChanged, &[3]));
        assert!(!machine.wants(EventKind::ComponentStatusChanged, &[4]));
        assert!(!incidents_only.wants(EventKind::ComponentStatusChanged, &[3]));
        assert!(!incidents_only.wants(EventKind::MaintenanceStarted, &[]));
    }
}
