//! The rules of an organization's membership: an organization always keeps an Admin, and an
//! invitation can be redeemed once, within its lifetime, unless it was revoked.

use crate::Role;
use chrono::{DateTime, TimeDelta, Utc};

/// How long an invitation link works.
pub const INVITATION_LIFETIME: TimeDelta = TimeDelta::days(7);

/// Why a change to the members was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MembershipRefusal {
    #[error("An organization needs at least one Admin: make someone else an Admin first.")]
    LastAdmin,
}

/// Whether a member holding `current` may become `next`, when the organization has `admins`
/// Admins (this member included, if they are one).
pub fn check_role_change(admins: u64, current: Role, next: Role) -> Result<(), MembershipRefusal> {
    if current == Role::Admin && next != Role::Admin && admins <= 1 {
        return Err(MembershipRefusal::LastAdmin);
    }
    Ok(())
}

/// Whether a member holding `role` may leave or be removed, when the organization has
/// `admins` Admins.
pub fn check_removal(admins: u64, role: Role) -> Result<(), MembershipRefusal> {
    if role == Role::Admin && admins <= 1 {
        return Err(MembershipRefusal::LastAdmin);
    }
    Ok(())
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationState {
    /// Accepted and revoked are final, whatever the time; otherwise the clock decides.
    pub fn of(
        expires_at: DateTime<Utc>,
        accepted_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> InvitationState {
        if accepted_at.is_some() {
            InvitationState::Accepted
        } else if revoked_at.is_some() {
            InvitationState::Revoked
        } else if now >= expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Pending
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InvitationState::Pending => "Pending",
            InvitationState::Accepted => "Accepted",
            InvitationState::Revoked => "Revoked",
            InvitationState::Expired => "Expired",
        }
    }

    /// Why the link no longer works, for the person who followed it; `None` while it does.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            InvitationState::Pending => None,
            InvitationState::Accepted => {
                Some("This invitation has already been used. Sign in to reach the organization.")
            }
            InvitationState::Revoked => {
                Some("This invitation was withdrawn. Ask an Admin of the organization for a new one.")
            }
            InvitationState::Expired => {
                Some("This invitation has expired. Ask an Admin of the organization for a new one.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_admin_can_be_neither_demoted_nor_removed() {
        for next in [Role::Editor, Role::Viewer] {
            assert_eq!(check_role_change(1, Role::Admin, next), Err(MembershipRefusal::LastAdmin));
            assert_eq!(check_role_change(2, Role::Admin, next), Ok(()));
        }
        assert_eq!(check_role_change(1, Role::Admin, Role::Admin), Ok(()), "staying Admin is no change");
        assert_eq!(check_removal(1, Role::Admin), Err(MembershipRefusal::LastAdmin));
        assert_eq!(check_removal(2, Role::Admin), Ok(()));
        assert_eq!(
            check_removal(0, Role::Admin),
            Err(MembershipRefusal::LastAdmin),
            "a count that disagrees errs safe"
        );
        for role in [Role::Editor, Role::Viewer] {
            assert_eq!(check_removal(1, role), Ok(()), "others come and go freely");
            for next in Role::ALL {
                assert_eq!(check_role_change(1, role, *next), Ok(()));
            }
        }
        assert!(MembershipRefusal::LastAdmin.to_string().contains("at least one Admin"));
    }

    #[test]
    fn an_invitation_is_pending_until_used_withdrawn_or_expired() {
        let sent = DateTime::parse_from_rfc3339("2026-11-30T10:00:00Z").unwrap().with_timezone(&Utc);
        let expires = sent + INVITATION_LIFETIME;
        let just_before = expires - TimeDelta::seconds(1);
        assert_eq!(InvitationState::of(expires, None, None, sent), InvitationState::Pending);
        assert_eq!(InvitationState::of(expires, None, None, just_before), InvitationState::Pending);
        assert_eq!(InvitationState::of(expires, None, None, expires), InvitationState::Expired);
        assert_eq!(InvitationState::of(expires, Some(sent), None, sent), InvitationState::Accepted);
        assert_eq!(InvitationState::of(expires, None, Some(sent), sent), InvitationState::Revoked);
        assert_eq!(
            InvitationState::of(expires, Some(sent), None, expires + TimeDelta::days(30)),
            InvitationState::Accepted,
            "an accepted invitation stays accepted"
        );
        assert_eq!(InvitationState::Pending.refusal(), None);
        for state in [InvitationState::Accepted, InvitationState::Revoked, InvitationState::Expired] {
            assert!(state.refusal().is_some(), "{state:?}");
        }
        assert_eq!(INVITATION_LIFETIME, TimeDelta::days(7));
    }
}
