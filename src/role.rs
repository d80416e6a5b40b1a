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
        assert!("owner".parse::<Role>().unwrap_err().to_string().contains("expected one of: admin, editor, viewer"));
    }
}
