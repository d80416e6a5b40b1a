//! Who may do what: the permission each action needs, what a member's role grants, and what
//! an API token's scope adds on top. The dashboard and the admin API both ask here, so a rule
//! holds on every surface.

use crate::Role;
use crate::string_enum::string_enum;

/// What an action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read anything of the organization except its audit log and members.
    Read,
    /// Change components, groups, incidents, maintenance, templates and subscribers.
    Edit,
    /// Members, settings, tokens and the audit log.
    Administer,
}

impl Permission {
    /// The least role that holds this permission.
    pub fn least_role(self) -> Role {
        match self {
            Permission::Read => Role::Viewer,
            Permission::Edit => Role::Editor,
            Permission::Administer => Role::Admin,
        }
    }
}

impl Role {
    pub fn grants(self, permission: Permission) -> bool {
        match permission {
            Permission::Read => true,
            Permission::Edit => matches!(self, Role::Admin | Role::Editor),
            Permission::Administer => self == Role::Admin,
        }
    }
}

string_enum! {
    /// What an API token may do within its creator's role.
    pub enum TokenScope as "token scope" {
        /// GET requests only.
        Read = "read",
        /// Everything its role allows.
        Write = "write",
    }
}

/// Why an action was refused: the message says what would be needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("This needs the {} role; yours is {}.", .needed.label(), .held.label())]
    Role { needed: Role, held: Role },
    #[error("This token is read-only; create a token with the write scope to change anything.")]
    ReadOnlyToken,
}

/// Whether someone with `role`, acting through a token of `scope` (or in person when `None`),
/// may do what needs `permission`. Audit reads are `Administer` but change nothing, so a
/// read-scoped token of an Admin may read the audit log.
pub fn authorize(
    role: Role,
    scope: Option<TokenScope>,
    permission: Permission,
    changes_anything: bool,
) -> Result<(), Refusal> {
    if !role.grants(permission) {
        return Err(Refusal::Role { needed: permission.least_role(), held: role });
    }
    if scope == Some(TokenScope::Read) && changes_anything {
        return Err(Refusal::ReadOnlyToken);
    }
    Ok(())
}

/// How many rows one page of a list may hold, and which page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    pub offset: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageRequestError {
    #[error("limit must be between 1 and {max}.", max = PageRequest::MAX_LIMIT)]
    Limit,
    #[error("offset must be at most {max}.", max = PageRequest::MAX_OFFSET)]
    Offset,
}

impl PageRequest {
    pub const DEFAULT_LIMIT: u64 = 50;
    pub const MAX_LIMIT: u64 = 200;
    /// Deep offsets make databases scan and discard; narrow the filter instead.
    pub const MAX_OFFSET: u64 = 100_000;

    pub fn new(limit: Option<u64>, offset: Option<u64>) -> Result<PageRequest, PageRequestError> {
        let limit = limit.unwrap_or(Self::DEFAULT_LIMIT);
        if !(1..=Self::MAX_LIMIT).contains(&limit) {
            return Err(PageRequestError::Limit);
        }
        let offset = offset.unwrap_or(0);
        if offset > Self::MAX_OFFSET {
            return Err(PageRequestError::Offset);
        }
        Ok(PageRequest { limit, offset })
    }

    /// The offset of the next page, when rows remain after this one.
    pub fn next_offset(self, total: u64) -> Option<u64> {
        let next = self.offset.saturating_add(self.limit);
        (next < total).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grant_exactly_their_permissions() {
        use Permission::*;
        let matrix = [
            (Role::Admin, [true, true, true]),
            (Role::Editor, [true, true, false]),
            (Role::Viewer, [true, false, false]),
        ];
        for (role, expected) in matrix {
            let granted = [Read, Edit, Administer].map(|permission| role.grants(permission));
            assert_eq!(granted, expected, "{role:?}");
        }
        for permission in [Read, Edit, Administer] {
            assert!(permission.least_role().grants(permission));
        }
    }

    #[test]
    fn every_role_scope_and_permission_combination_is_decided() {
        use Permission::*;
        for &role in Role::ALL {
            for scope in [None, Some(TokenScope::Read), Some(TokenScope::Write)] {
                for permission in [Read, Edit, Administer] {
                    for changes in [false, true] {
                        let outcome = authorize(role, scope, permission, changes);
                        let expected = role.grants(permission) && !(scope == Some(TokenScope::Read) && changes);
                        assert_eq!(outcome.is_ok(), expected, "{role:?} {scope:?} {permission:?} {changes}");
                    }
                }
            }
        }
    }

    #[test]
    fn refusals_name_what_is_missing() {
        let refusal = authorize(Role::Viewer, None, Permission::Edit, true).unwrap_err();
        assert_eq!(refusal.to_string(), "This needs the Editor role; yours is Viewer.");
        let refusal = authorize(Role::Admin, Some(TokenScope::Read), Permission::Edit, true).unwrap_err();
        assert_eq!(refusal, Refusal::ReadOnlyToken);
        // The role is checked first: a Viewer's read token hears about the role it lacks.
        let refusal = authorize(Role::Viewer, Some(TokenScope::Read), Permission::Administer, false).unwrap_err();
        assert!(matches!(refusal, Refusal::Role { needed: Role::Admin, .. }));
        assert!(authorize(Role::Admin, Some(TokenScope::Read), Permission::Administer, false).is_ok());
    }

    #[test]
    fn token_scopes_round_trip() {
        crate::string_enum::assert_round_trips(TokenScope::ALL, &["read", "write"]);
    }

    #[test]
    fn page_requests_are_bounded() {
        assert_eq!(PageRequest::new(None, None), Ok(PageRequest { limit: 50, offset: 0 }));
        assert_eq!(PageRequest::new(Some(1), Some(100_000)), Ok(PageRequest { limit: 1, offset: 100_000 }));
        assert_eq!(PageRequest::new(Some(200), None).map(|page| page.limit), Ok(200));
        assert_eq!(PageRequest::new(Some(0), None), Err(PageRequestError::Limit));
        assert_eq!(PageRequest::new(Some(201), None), Err(PageRequestError::Limit));
        assert_eq!(PageRequest::new(None, Some(100_001)), Err(PageRequestError::Offset));
        assert_eq!(PageRequestError::Limit.to_string(), "limit must be between 1 and 200.");
    }

    #[test]
    fn the_next_page_exists_only_while_rows_remain() {
        let page = PageRequest { limit: 10, offset: 0 };
        assert_eq!(page.next_offset(0), None);
        assert_eq!(page.next_offset(10), None);
        assert_eq!(page.next_offset(11), Some(10));
        assert_eq!(PageRequest { limit: 10, offset: 20 }.next_offset(31), Some(30));
        assert_eq!(PageRequest { limit: u64::MAX, offset: 1 }.next_offset(u64::MAX), None);
    }
}
