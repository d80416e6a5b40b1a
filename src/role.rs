//! What a member of an organization may do.

use crate::string_enum::string_enum;

string_enum! {
    /// A member's role in one organization.
    pub enum Role as "role" {
        /// Everything, including members and settings.
        Admin = "admin",
        /// Components, incidents, maintenance, templates and subscribers.
        Editor = "editor",
        /// Read only.
        Viewer = "viewer",
    }
}

impl Role {
    /// Whether this role can do everything `other` can.
    pub fn includes(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }

    fn rank(self) -> u8 {
        match self {
            Role::Viewer => 0,
            Role::Editor => 1,
            Role::Admin => 2,
        }
    }

    /// The lesser of two roles: a token never acts with more than its creator holds.
    pub fn capped_at(self, cap: Role) -> Role {
        if cap.includes(self) { self } else { cap }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Editor => "Editor",
            Role::Viewer => "Viewer",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_read_well() {
        crate::string_enum::assert_round_trips(Role::ALL, &["admin", "editor", "viewer"]);
        let labels: Vec<&str> = Role::ALL.iter().map(|role| role.label()).collect();
        assert_eq!(labels, ["Admin", "Editor", "Viewer"]);
        assert!(Role::Admin.includes(Role::Editor) && Role::Editor.includes(Role::Viewer));
        assert!(Role::Viewer.includes(Role::Viewer) && !Role::Viewer.includes(Role::Editor));
        assert!(!Role::Editor.includes(Role::Admin));
        assert_eq!(Role::Admin.capped_at(Role::Editor), Role::Editor);
        assert_eq!(Role::Viewer.capped_at(Role::Admin), Role::Viewer);
        assert_eq!(Role::Editor.capped_at(Role::Editor), Role::Editor);
        assert!("owner".parse::<Role>().unwrap_err().to_string().contains("expected one of: admin, editor, viewer"));
    }
}
