//! Typed ids: an incident id cannot be passed where a component id is expected.

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    )+};
}

ids!(
    OrganizationId,
    UserId,
    MembershipId,
    InvitationId,
    SessionId,
    ApiTokenId,
    ComponentGroupId,
    ComponentId,
    IncidentId,
    IncidentUpdateId,
    MaintenanceId,
    MaintenanceUpdateId,
    MonitorId,
    SubscriberId,
    TemplateId,
    AuditEntryId,
    EventId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_numbers_on_the_wire_and_in_text() {
        assert_eq!(serde_json::to_string(&ComponentId(42)).ok().as_deref(), Some("42"));
        assert_eq!(serde_json::from_str::<IncidentId>("7").ok(), Some(IncidentId(7)));
        assert_eq!(ComponentId(42).to_string(), "42");
        assert_eq!("-3".parse::<OrganizationId>().ok(), Some(OrganizationId(-3)));
        assert!("x".parse::<OrganizationId>().is_err());
        assert!(serde_json::from_str::<IncidentId>("\"7\"").is_err());
    }
}
