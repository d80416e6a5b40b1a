use super::MembersPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The organization's members and pending invitations; for Admins.
#[server(input = GetUrl)]
pub async fn get_members(slug: String) -> Result<MembersPage, AppError> {
    use super::{Member, PendingInvitation};
    use crate::ssr::admin::members;
    use crate::ssr::caller::Via;
    use crate::ssr::{AppState, dashboard, respond, session_cookie};
    respond(
        async {
            let db = &AppState::current()?.db;
            let now = chrono::Utc::now();
            let (caller, organization) = dashboard::signed_in(db, &slug, now).await?;
            let you = match &caller.via {
                Via::Person { user_id, .. } => Some(*user_id),
                Via::Token { .. } => None,
            };
            let listed = members::list(db, &caller, now).await?;
            Ok(MembersPage {
                organization,
                members: listed
                    .members
                    .into_iter()
                    .map(|member| Member {
                        is_you: Some(member.user_id) == you,
                        user_id: member.user_id,
                        email: member.email,
                        role: member.role,
                        joined_at: member.joined_at,
                    })
                    .collect(),
                pending: listed
                    .pending
                    .into_iter()
                    .map(|invitation| PendingInvitation {
                        id: invitation.id,
                        email: invitation.email,
                        role: invitation.role,
                        invited_by: invitation.invited_by,
                        expires_at: invitation.expires_at,
                    })
                    .collect(),
                origin: session_cookie::origin().unwrap_or_default(),
            })
        }
        .await,
    )
}
