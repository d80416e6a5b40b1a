use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub email: String,
    /// Instance administrators create organizations.
    pub may_create_organizations: bool,
    pub organizations: Vec<Membership>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub slug: String,
    pub name: String,
    /// Admin, Editor or Viewer.
    pub role: String,
}

/// The signed-in person and their organizations; `None` when nobody is signed in.
#[server(input = GetUrl)]
pub async fn get_account() -> Result<Option<Account>, AppError> {
    use crate::ssr::{AppState, accounts, respond};
    respond(
        async {
            let db = &AppState::current()?.db;
            let Some((_, user)) = accounts::current_user(db, chrono::Utc::now()).await? else {
                return Ok(None);
            };
            let organizations = accounts::organizations_of(db, user.id)
                .await?
                .into_iter()
                .map(|(organization, role)| Membership {
                    slug: organization.slug,
                    name: organization.name,
                    role: role.label().to_owned(),
                })
                .collect();
            Ok(Some(Account { may_create_organizations: user.is_instance_admin, email: user.email, organizations }))
        }
        .await,
    )
}
