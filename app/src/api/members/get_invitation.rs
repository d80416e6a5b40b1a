use super::InvitationOffer;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// What the invitation behind a link offers, and who is signed in to accept it.
#[server(input = GetUrl)]
pub async fn get_invitation(token: String) -> Result<InvitationOffer, AppError> {
    use crate::ssr::admin::members;
    use crate::ssr::{AppState, accounts, respond};
    respond(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let offered = members::details(db, &token, now).await?;
            let signed_in_as = accounts::current_user(db, now).await?.map(|(_, user)| user.email);
            Ok(InvitationOffer {
                organization: offered.organization.name,
                email: offered.invitation.email,
                role: offered.role,
                expires_at: offered.invitation.expires_at,
                account_exists: offered.account_exists,
                signed_in_as,
            })
        }
        .await,
    )
}
