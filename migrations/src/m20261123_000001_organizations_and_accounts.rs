//! Tenants and the people who run them: organizations, accounts, memberships with roles,
//! invitations, sessions, password resets, login throttling and API tokens.

use crate::columns::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_null, text, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row, id 1, written when the first admin is created. Its primary key makes
        // first-run setup happen exactly once, even when two requests race for it.
        let mut instance = Table::create();
        instance
            .table("instance")
            .col(sea_orm_migration::schema::integer("id").primary_key())
            .col(instant("setup_completed_at"));
        manager.create_table(instance).await?;

        let mut organizations = Table::create();
        organizations
            .table("organizations")
            .col(id())
            .col(code("slug", 48).unique_key())
            .col(string_len("name", 100))
            .col(string_len_null("tagline", 200))
            .col(text_null("logo_url"))
            .col(text_null("website_url"))
            .col(code_null("brand_colour", 7))
            .col(code_null("custom_domain", 253).unique_key())
            .col(code("default_locale", 8).default("en"))
            .col(code("time_zone", 64).default("UTC"))
            // Whether `/` lists this organization; a tenant may prefer to be found only by link.
            .col(flag("listed", true))
            .col(version());
        timestamps(&mut organizations);
        manager.create_table(organizations).await?;

        let mut users = Table::create();
        users
            .table("users")
            .col(id())
            .col(code("email", 254).unique_key())
            .col(string_len_null("display_name", 100))
            .col(text("password_hash"))
            // The first account (setup page or `herald create-admin`) runs the instance.
            .col(flag("is_instance_admin", false))
            .col(instant("password_changed_at"))
            .col(instant_null("last_login_at"));
        timestamps(&mut users);
        manager.create_table(users).await?;

        let mut memberships = Table::create();
        memberships.table("memberships").col(id());
        owned_by_organization("memberships", &mut memberships);
        memberships
            .col(reference("user_id"))
            .foreign_key(&mut foreign_key("memberships", "user_id", "users", OnDelete::Cascade))
            .col(code("role", 16));
        timestamps(&mut memberships);
        create_table_with_indexes(
            manager,
            memberships,
            vec![unique_index("memberships", &["organization_id", "user_id"]), index("memberships", &["user_id"])],
        )
        .await?;

        let mut invitations = Table::create();
        invitations.table("invitations").col(id());
        owned_by_organization("invitations", &mut invitations);
        invitations
            .col(code("email", 254))
            .col(code("role", 16))
            .col(code("token_hash", 64).unique_key())
            .col(reference_null("invited_by_user_id"))
            .foreign_key(&mut foreign_key("invitations", "invited_by_user_id", "users", OnDelete::SetNull))
            .col(instant("expires_at"))
            .col(instant_null("accepted_at"))
            .col(reference_null("accepted_by_user_id"))
            .foreign_key(&mut foreign_key("invitations", "accepted_by_user_id", "users", OnDelete::SetNull))
            .col(instant_null("revoked_at"))
            .col(instant("created_at"));
        create_table_with_indexes(manager, invitations, vec![index("invitations", &["organization_id", "email"])])
            .await?;

        let mut sessions = Table::create();
        sessions
            .table("sessions")
            .col(id())
            .col(reference("user_id"))
            .foreign_key(&mut foreign_key("sessions", "user_id", "users", OnDelete::Cascade))
            .col(code("token_hash", 64).unique_key())
            .col(reference_null("active_organization_id"))
            .foreign_key(&mut foreign_key("sessions", "active_organization_id", "organizations", OnDelete::SetNull))
            .col(code_null("ip", 45))
            .col(text_null("user_agent"))
            .col(instant("created_at"))
            .col(instant("last_seen_at"))
            .col(instant("expires_at"));
        create_table_with_indexes(
            manager,
            sessions,
            vec![index("sessions", &["user_id"]), index("sessions", &["expires_at"])],
        )
        .await?;

        let mut password_resets = Table::create();
        password_resets
            .table("password_resets")
            .col(id())
            .col(reference("user_id"))
            .foreign_key(&mut foreign_key("password_resets", "user_id", "users", OnDelete::Cascade))
            .col(code("token_hash", 64).unique_key())
            .col(instant("expires_at"))
            .col(instant_null("used_at"))
            .col(instant("created_at"));
        create_table_with_indexes(manager, password_resets, vec![index("password_resets", &["user_id"])]).await?;

        // Kept in the database, not in memory, so throttling holds across replicas and restarts.
        let mut login_attempts = Table::create();
        login_attempts
            .table("login_attempts")
            .col(id())
            .col(code_null("email", 254))
            .col(code_null("ip", 45))
            .col(flag("succeeded", false))
            .col(instant("attempted_at"));
        create_table_with_indexes(
            manager,
            login_attempts,
            vec![
                index("login_attempts", &["email", "attempted_at"]),
                index("login_attempts", &["ip", "attempted_at"]),
                index("login_attempts", &["attempted_at"]),
            ],
        )
        .await?;

        let mut api_tokens = Table::create();
        api_tokens.table("api_tokens").col(id());
        owned_by_organization("api_tokens", &mut api_tokens);
        api_tokens
            .col(string_len("name", 100))
            // The first characters of the token, shown in lists so people can tell tokens apart.
            .col(code("token_prefix", 16))
            .col(code("token_hash", 64).unique_key())
            .col(code("scope", 8))
            .col(reference_null("created_by_user_id"))
            .foreign_key(&mut foreign_key("api_tokens", "created_by_user_id", "users", OnDelete::SetNull))
            .col(instant("created_at"))
            .col(instant_null("last_used_at"))
            .col(instant_null("expires_at"))
            .col(instant_null("revoked_at"));
        create_table_with_indexes(manager, api_tokens, vec![index("api_tokens", &["organization_id"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "api_tokens",
                "login_attempts",
                "password_resets",
                "sessions",
                "invitations",
                "memberships",
                "users",
                "organizations",
                "instance",
            ],
        )
        .await
    }
}
