//! Members and invitations: the Admin's page of an organization's people, and the page an
//! invitation link opens.

mod accept_invitation;
mod change_member_role;
mod get_invitation;
mod get_members;
mod invite_member;
mod remove_member;
mod revoke_invitation;
pub use accept_invitation::*;
pub use change_member_role::*;
pub use get_invitation::*;
pub use get_members::*;
pub use invite_member::*;
pub use remove_member::*;
pub use revoke_invitation::*;

use crate::api::dashboard::WorkspaceOrganization;
use chrono::{DateTime, Utc};
use herald::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
    /// The person looking at the page.
    pub is_you: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// `/dashboard/:slug/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub organization: WorkspaceOrganization,
    pub members: Vec<Member>,
    pub pending: Vec<PendingInvitation>,
    /// Where invitation links point: `<origin>/invitations/<token>`.
    pub origin: String,
}

/// `/invitations/:token`: what accepting means, before the person accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationOffer {
    pub organization: String,
    pub email: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    /// An account for the invited address exists: accepting means signing in as it.
    pub account_exists: bool,
    /// Who is signed in in this browser, if anyone.
    pub signed_in_as: Option<String>,
}

/// The path an invitation link opens.
pub fn invitation_path(token: &str) -> String {
    format!("/invitations/{token}")
}
