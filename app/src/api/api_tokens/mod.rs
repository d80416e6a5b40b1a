//! The API tokens page of the dashboard (Admins): the tokens scripts and integrations use for
//! `/api/v1`, made here and shown once, listed with when each was last used, revoked at once.

mod create_api_token;
mod get_api_tokens;
mod revoke_api_token;
pub use create_api_token::*;
pub use get_api_tokens::*;
pub use revoke_api_token::*;

use crate::api::dashboard::WorkspaceOrganization;
use chrono::{DateTime, Utc};
use herald::{Role, TokenScope};
use serde::{Deserialize, Serialize};

/// `/dashboard/:slug/api-tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokensPage {
    pub organization: WorkspaceOrganization,
    /// Newest first; revoked and expired ones too, marked.
    pub tokens: Vec<ApiTokenLine>,
    /// Where the API is: `<origin>/api/v1`.
    pub api_base: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenLine {
    pub id: i64,
    pub name: String,
    /// The token's first characters, to tell tokens apart.
    pub prefix: String,
    pub scope: TokenScope,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Neither revoked nor expired.
    pub works: bool,
}

/// A token just made: its secret exists only in this answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTokenSecret {
    pub name: String,
    pub token: String,
}
