//! Who is asking, in which organization, with which role: established once per request (from
//! an API token, or later a session) and asked before every action.

use super::incidents::Author;
use super::repositories::audit::Actor;
use crate::error::AppError;
use herald::{Permission, Role, TokenScope, authorize};

#[derive(Debug, Clone)]
pub enum Via {
    Token { id: i64, name: String, scope: TokenScope },
    Person { user_id: i64, email: String },
}

#[derive(Debug, Clone)]
pub struct Caller {
    /// Every query of the request is scoped to this organization.
    pub organization_id: i64,
    pub role: Role,
    pub via: Via,
}

impl Caller {
    fn scope(&self) -> Option<TokenScope> {
        match &self.via {
            Via::Token { scope, .. } => Some(*scope),
            Via::Person { .. } => None,
        }
    }

    /// Before reading: what needs `permission` but changes nothing.
    pub fn may_read(&self, permission: Permission) -> Result<(), AppError> {
        authorize(self.role, self.scope(), permission, false)
            .map_err(|refusal| AppError::Forbidden(refusal.to_string()))
    }

    /// Before changing anything.
    pub fn may_change(&self, permission: Permission) -> Result<(), AppError> {
        authorize(self.role, self.scope(), permission, true).map_err(|refusal| AppError::Forbidden(refusal.to_string()))
    }

    pub fn actor(&self) -> Actor<'_> {
        match &self.via {
            Via::Token { id, name, .. } => Actor::Token { id: *id, name },
            Via::Person { user_id, email } => Actor::User { id: *user_id, email },
        }
    }

    /// How incident and maintenance timelines name the writer.
    pub fn author(&self) -> Author {
        match &self.via {
            Via::Token { id, name, .. } => Author { user_id: None, api_token_id: Some(*id), label: name.clone() },
            Via::Person { user_id, email } => {
                Author { user_id: Some(*user_id), api_token_id: None, label: email.clone() }
            }
        }
    }
}
