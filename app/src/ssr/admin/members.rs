//! An organization's members and invitations: list, invite by email (a single-use link valid
//! seven days, revocable), change a role, remove; and redeeming an invitation, with an existing
//! account or a new one. Only Admins manage members, and an organization always keeps an Admin.

use super::record_audit;
use crate::error::AppError;
use crate::ssr::accounts::{self, NewSession};
use crate::ssr::caller::Caller;
use crate::ssr::entities::{invitations, memberships, organizations, users};
use crate::ssr::internal;
use crate::ssr::password::{check_new_password, hash_password};
use crate::ssr::repositories::{begin_write, memberships as membership_rows, stored, users as user_rows};
use crate::ssr::secrets::{hash_token, new_token};
use chrono::{DateTime, Utc};
use herald::{Email, INVITATION_LIFETIME, InvitationState, Permission, Role, check_removal, check_role_change};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;

const TOKEN_PREFIX: &str = "hrli_";

#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub user_id: i64,
    pub email: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

pub struct Members {
    pub members: Vec<MemberView>,
    /// Invitations still waiting to be accepted (not the used, withdrawn or expired ones).
    pub pending: Vec<InvitationView>,
}

/// A new invitation: `token` goes into the link and is shown once; only its hash is kept.
pub struct CreatedInvitation {
    pub invitation: InvitationView,
    pub token: String,
}

/// What the person who follows an invitation link sees before accepting.
pub struct InvitationDetails {
    pub invitation: invitations::Model,
    pub organization: organizations::Model,
    pub role: Role,
    /// An account with the invited address exists, so accepting means signing in as it.
    pub account_exists: bool,
}

fn link_refused(state: InvitationState) -> AppError {
    AppError::Conflict(state.refusal().unwrap_or("This invitation cannot be used.").to_owned())
}

async fn admins(db: &impl ConnectionTrait, organization_id: i64) -> Result<u64, AppError> {
    memberships::Entity::find()
        .filter(memberships::Column::OrganizationId.eq(organization_id))
        .filter(memberships::Column::Role.eq(Role::Admin.as_str()))
        .count(db)
        .await
        .map_err(internal("counting admins"))
}

async fn membership(db: &impl ConnectionTrait, caller: &Caller, user_id: i64) -> Result<memberships::Model, AppError> {
    memberships::Entity::find()
        .filter(memberships::Column::OrganizationId.eq(caller.organization_id))
        .filter(memberships::Column::UserId.eq(user_id))
        .one(db)
        .await
        .map_err(internal("loading a membership"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no member {user_id}.")))
}

pub async fn list(db: &DatabaseConnection, caller: &Caller, now: DateTime<Utc>) -> Result<Members, AppError> {
    caller.may_read(Permission::Administer)?;
    let rows = memberships::Entity::find()
        .filter(memberships::Column::OrganizationId.eq(caller.organization_id))
        .find_also_related(users::Entity)
        .all(db)
        .await
        .map_err(internal("listing members"))?;
    let mut members = Vec::with_capacity(rows.len());
    for (membership, user) in rows {
        if let Some(user) = user {
            members.push(MemberView {
                user_id: user.id,
                email: user.email,
                role: stored(&membership.role)?,
                joined_at: membership.created_at,
            });
        }
    }
    members.sort_by(|a, b| a.email.cmp(&b.email));
    let invited = invitations::Entity::find()
        .filter(invitations::Column::OrganizationId.eq(caller.organization_id))
        .filter(invitations::Column::AcceptedAt.is_null())
        .filter(invitations::Column::RevokedAt.is_null())
        .filter(invitations::Column::ExpiresAt.gt(now))
        .order_by_desc(invitations::Column::CreatedAt)
        .all(db)
        .await
        .map_err(internal("listing invitations"))?;
    let inviters: std::collections::HashMap<i64, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(invited.iter().filter_map(|invitation| invitation.invited_by_user_id)))
        .all(db)
        .await
        .map_err(internal("loading who invited"))?
        .into_iter()
        .map(|user| (user.id, user.email))
        .collect();
    let pending = invited
        .into_iter()
        .map(|invitation| {
            let invited_by = invitation.invited_by_user_id.and_then(|id| inviters.get(&id).cloned());
            view(invitation, invited_by)
        })
        .collect::<Result<_, _>>()?;
    Ok(Members { members, pending })
}

fn view(invitation: invitations::Model, invited_by: Option<String>) -> Result<InvitationView, AppError> {
    Ok(InvitationView {
        role: stored(&invitation.role)?,
        id: invitation.id,
        email: invitation.email,
        invited_by,
        expires_at: invitation.expires_at,
        created_at: invitation.created_at,
    })
}

/// Invites `email` with `role`. Inviting the same address again withdraws the earlier link, so
/// only the newest one works.
pub async fn invite(
    db: &DatabaseConnection,
    caller: &Caller,
    email: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<CreatedInvitation, AppError> {
    caller.may_change(Permission::Administer)?;
    let email = Email::parse(email).map_err(|error| AppError::invalid("email", error.to_string()))?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    if let Some(user) = user_rows::find_by_email(&txn, &email).await.map_err(internal("looking up an account"))? {
        let already = memberships::Entity::find()
            .filter(memberships::Column::OrganizationId.eq(caller.organization_id))
            .filter(memberships::Column::UserId.eq(user.id))
            .count(&txn)
            .await
            .map_err(internal("checking a membership"))?;
        if already > 0 {
            return Err(AppError::invalid("email", format!("{email} is already a member; change their role instead.")));
        }
    }
    invitations::Entity::update_many()
        .col_expr(invitations::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(invitations::Column::OrganizationId.eq(caller.organization_id))
        .filter(invitations::Column::Email.eq(email.as_str()))
        .filter(invitations::Column::AcceptedAt.is_null())
        .filter(invitations::Column::RevokedAt.is_null())
        .exec(&txn)
        .await
        .map_err(internal("withdrawing an earlier invitation"))?;
    let token = new_token(TOKEN_PREFIX);
    let (invited_by_user_id, invited_by) = match &caller.via {
        crate::ssr::caller::Via::Person { user_id, email } => (Some(*user_id), Some(email.clone())),
        crate::ssr::caller::Via::Token { name, .. } => (None, Some(name.clone())),
    };
    let invitation = invitations::ActiveModel {
        organization_id: Set(caller.organization_id),
        email: Set(email.as_str().to_owned()),
        role: Set(role.as_str().to_owned()),
        token_hash: Set(hash_token(&token)),
        invited_by_user_id: Set(invited_by_user_id),
        expires_at: Set(now + INVITATION_LIFETIME),
        accepted_at: Set(None),
        accepted_by_user_id: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal("creating an invitation"))?;
    let view = view(invitation, invited_by)?;
    let after = serde_json::json!({ "email": view.email, "role": role });
    record_audit(&txn, caller, "member.invited", ("invitation", view.id), None, Some(after), now).await?;
    txn.commit().await.map_err(internal("committing an invitation"))?;
    Ok(CreatedInvitation { invitation: view, token })
}

pub async fn revoke(db: &DatabaseConnection, caller: &Caller, id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    caller.may_change(Permission::Administer)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let invitation = invitations::Entity::find_by_id(id)
        .filter(invitations::Column::OrganizationId.eq(caller.organization_id))
        .one(&txn)
        .await
        .map_err(internal("loading an invitation"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no invitation {id}.")))?;
    let state = InvitationState::of(invitation.expires_at, invitation.accepted_at, invitation.revoked_at, now);
    if state != InvitationState::Pending {
        return Err(AppError::Conflict(format!("This invitation is already {}.", state.label().to_lowercase())));
    }
    invitations::ActiveModel { id: Set(id), revoked_at: Set(Some(now)), ..Default::default() }
        .update(&txn)
        .await
        .map_err(internal("withdrawing an invitation"))?;
    let before = serde_json::json!({ "email": invitation.email, "role": invitation.role });
    record_audit(&txn, caller, "member.invitation_revoked", ("invitation", id), Some(before), None, now).await?;
    txn.commit().await.map_err(internal("committing a withdrawal"))
}

pub async fn change_role(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i64,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    caller.may_change(Permission::Administer)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = membership(&txn, caller, user_id).await?;
    let current_role: Role = stored(&current.role)?;
    check_role_change(admins(&txn, caller.organization_id).await?, current_role, role)
        .map_err(|refusal| AppError::invalid("role", refusal.to_string()))?;
    if current_role == role {
        return Ok(());
    }
    memberships::ActiveModel {
        id: Set(current.id),
        role: Set(role.as_str().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("changing a role"))?;
    record_audit(
        &txn,
        caller,
        "member.role_changed",
        ("user", user_id),
        Some(serde_json::json!({ "role": current_role })),
        Some(serde_json::json!({ "role": role })),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing a role change"))
}

pub async fn remove(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    caller.may_change(Permission::Administer)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let current = membership(&txn, caller, user_id).await?;
    let role: Role = stored(&current.role)?;
    check_removal(admins(&txn, caller.organization_id).await?, role)
        .map_err(|refusal| AppError::Conflict(refusal.to_string()))?;
    memberships::Entity::delete_by_id(current.id).exec(&txn).await.map_err(internal("removing a member"))?;
    record_audit(
        &txn,
        caller,
        "member.removed",
        ("user", user_id),
        Some(serde_json::json!({ "role": role })),
        None,
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing a removal"))
}

async fn find_by_token(db: &impl ConnectionTrait, token: &str) -> Result<invitations::Model, AppError> {
    let not_found = || AppError::NotFound("This invitation link is not valid; check that it was copied whole.".into());
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 128 {
        return Err(not_found());
    }
    invitations::Entity::find()
        .filter(invitations::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await
        .map_err(internal("looking up an invitation"))?
        .ok_or_else(not_found)
}

/// What an invitation link offers; refused once it was used, withdrawn or has expired.
pub async fn details(db: &DatabaseConnection, token: &str, now: DateTime<Utc>) -> Result<InvitationDetails, AppError> {
    let invitation = find_by_token(db, token).await?;
    let state = InvitationState::of(invitation.expires_at, invitation.accepted_at, invitation.revoked_at, now);
    if state != InvitationState::Pending {
        return Err(link_refused(state));
    }
    let organization = organizations::Entity::find_by_id(invitation.organization_id)
        .one(db)
        .await
        .map_err(internal("loading an organization"))?
        .ok_or_else(|| AppError::NotFound("This invitation's organization no longer exists.".into()))?;
    let email = Email::parse(&invitation.email).map_err(|_| AppError::Internal)?;
    let account_exists =
        user_rows::find_by_email(db, &email).await.map_err(internal("looking up an account"))?.is_some();
    Ok(InvitationDetails { role: stored(&invitation.role)?, invitation, organization, account_exists })
}

/// Who accepts: the person signed in (whose address must be the invited one), or a new account
/// for the invited address with this password.
pub enum Acceptor {
    SignedIn(users::Model),
    NewAccount { password: String, confirmation: String, ip: Option<String>, user_agent: Option<String> },
}

/// Redeems the invitation once: makes the membership and marks the link used, in one
/// transaction, so two tabs accepting at once cannot both succeed. A new account is signed in.
pub async fn accept(
    db: &DatabaseConnection,
    token: &str,
    acceptor: Acceptor,
    now: DateTime<Utc>,
) -> Result<(organizations::Model, Option<NewSession>), AppError> {
    let offered = details(db, token, now).await?;
    let invited = Email::parse(&offered.invitation.email).map_err(|_| AppError::Internal)?;
    let txn = begin_write(db).await.map_err(internal("starting a transaction"))?;
    let (user, new_account) = match acceptor {
        Acceptor::SignedIn(user) => {
            if user.email != invited.as_str() {
                return Err(AppError::Forbidden(format!(
                    "This invitation is for {invited}, and you are signed in as {}. Sign out, then open the link again.",
                    user.email
                )));
            }
            (user, None)
        }
        Acceptor::NewAccount { password, confirmation, ip, user_agent } => {
            if offered.account_exists {
                return Err(AppError::Conflict(format!(
                    "An account for {invited} exists already: sign in with it to accept."
                )));
            }
            check_new_password("password", &password)?;
            if password != confirmation {
                return Err(AppError::invalid("password_confirmation", "The two passwords differ."));
            }
            let hash = hash_password(password).await?;
            let user = user_rows::insert(&txn, &invited, hash, false, now).await.map_err(super::unique_or_internal(
                "email",
                "An account with this address exists already.",
                "creating an account",
            ))?;
            (user, Some((ip, user_agent)))
        }
    };
    // Marking the link used only while it is still unused is what makes it single-use.
    let used = invitations::Entity::update_many()
        .col_expr(invitations::Column::AcceptedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .col_expr(invitations::Column::AcceptedByUserId, sea_orm::sea_query::Expr::value(Some(user.id)))
        .filter(invitations::Column::Id.eq(offered.invitation.id))
        .filter(invitations::Column::AcceptedAt.is_null())
        .filter(invitations::Column::RevokedAt.is_null())
        .exec(&txn)
        .await
        .map_err(internal("using an invitation"))?;
    if used.rows_affected != 1 {
        return Err(link_refused(InvitationState::Accepted));
    }
    let already = memberships::Entity::find()
        .filter(memberships::Column::OrganizationId.eq(offered.organization.id))
        .filter(memberships::Column::UserId.eq(user.id))
        .count(&txn)
        .await
        .map_err(internal("checking a membership"))?;
    if already == 0 {
        membership_rows::insert(&txn, offered.organization.id, user.id, offered.role, now)
            .await
            .map_err(internal("adding a member"))?;
    }
    let joined = Caller {
        organization_id: offered.organization.id,
        role: offered.role,
        via: crate::ssr::caller::Via::Person { user_id: user.id, email: user.email.clone() },
    };
    let after = serde_json::json!({ "email": user.email, "role": offered.role });
    record_audit(&txn, &joined, "member.joined", ("user", user.id), None, Some(after), now).await?;
    let session = match new_account {
        Some((ip, user_agent)) => Some(accounts::open_session(&txn, user, ip, user_agent, now).await?),
        None => None,
    };
    txn.commit().await.map_err(internal("committing an acceptance"))?;
    Ok((offered.organization, session))
}
