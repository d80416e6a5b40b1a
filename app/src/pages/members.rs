//! `/dashboard/:slug/members` (the Admin's page of who is in the organization, with which
//! role, and who is invited) and `/invitations/:token` (where an invitation link lands).

use super::form_errors;
use super::workspace::{WorkspaceHeader, keep_fresh, utc_time};
use crate::api::members::{
    AcceptInvitation, ChangeMemberRole, InvitationOffer, InviteMember, Member, MembersPage, PendingInvitation,
    RemoveMember, RevokeInvitation, get_invitation, get_members, invitation_path,
};
use crate::components::Field;
use herald::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TeamPage() -> impl IntoView {
    let params = use_params_map();
    let team = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_members);
    view! {
        <super::HeraldFrame>
            {super::loaded(team, |team| view! { <Team team/> })}
        </super::HeraldFrame>
    }
}

fn role_options(selected: Role) -> impl IntoView {
    Role::ALL
        .iter()
        .map(|&role| view! { <option value=role.as_str() selected=role == selected>{role.label()}</option> })
        .collect_view()
}

#[component]
fn Team(team: MembersPage) -> impl IntoView {
    let organization = team.organization.clone();
    let slug = organization.slug.clone();
    let invite = ServerAction::<InviteMember>::new();
    let change_role = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let current = RwSignal::new(team.clone());
    {
        let slug = slug.clone();
        let changed = move || {
            invite.version().get() + change_role.version().get() + remove.version().get() + revoke.version().get()
        };
        keep_fresh(organization.slug.clone(), changed, move || get_members(slug.clone()), current);
    }
    let (invite_error, invite_general) = form_errors(move || invite.value().get());
    let invite_form = NodeRef::new();
    super::reset_after_success(invite_form, move || matches!(invite.value().get(), Some(Ok(_))));
    let (role_error, role_general) = form_errors(move || change_role.value().get());
    let (_, remove_error) = form_errors(move || remove.value().get());
    let (_, revoke_error) = form_errors(move || revoke.value().get());
    let members_error =
        move || role_general().or_else(|| role_error("role").get()).or_else(remove_error).or_else(revoke_error);
    let invited_link = move || {
        use_query_map()
            .with(|query| query.get("invited"))
            .map(|token| format!("{}{}", team.origin, invitation_path(&token)))
    };
    let member_slug = slug.clone();
    let invitation_slug = slug.clone();
    view! {
        <Title text=format!("Members · {} · Herald", organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            <h2>"Members"</h2>
            {move || members_error().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
            <table class="component-table member-table">
                <thead><tr><th scope="col">"Person"</th><th scope="col">"Role"</th><th scope="col">"Since"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                <tbody>
                    <For
                        each=move || current.with(|team| team.members.clone())
                        key=super::content_key
                        children=move |member| view! { <MemberRow member slug=member_slug.clone() change_role remove/> }
                    />
                </tbody>
            </table>
            <h2>"Invite someone"</h2>
            {move || invited_link().map(|link| view! {
                <div class="form__notice invitation-link" role="status">
                    <p>"Invitation created. Send this link to the person you invited; it works once, for 7 days:"</p>
                    <p><code>{link}</code></p>
                </div>
            })}
            <ActionForm action=invite node_ref=invite_form attr:class="form form--inline" attr:novalidate="">
                {move || invite_general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <input type="hidden" name="slug" value=slug.clone()/>
                <Field name="email" label="Email" kind="email" autocomplete="off" hint="" error=invite_error("email")/>
                <div class=move || if invite_error("role").get().is_some() { "field field--invalid" } else { "field" }>
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" name="role">{role_options(Role::Editor)}</select>
                    <p class="field__hint">"Admin: everything. Editor: components, incidents, maintenance, templates. Viewer: read only."</p>
                    <p class="field__error" role="alert">{invite_error("role")}</p>
                </div>
                <button class="button" type="submit" disabled=move || invite.pending().get()>"Invite"</button>
            </ActionForm>
            <h2>"Pending invitations"</h2>
            <Show
                when=move || current.with(|team| !team.pending.is_empty())
                fallback=|| view! { <p class="workspace__calm">"No pending invitations."</p> }
            >
                <ul class="incident-list">
                    <For
                        each=move || current.with(|team| team.pending.clone())
                        key=super::content_key
                        children={
                            let slug = invitation_slug.clone();
                            move |invitation| view! { <InvitationRow invitation slug=slug.clone() revoke/> }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn MemberRow(
    member: Member,
    slug: String,
    change_role: ServerAction<ChangeMemberRole>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let select_id = format!("role-of-{}", member.user_id);
    let role_label = format!("Role of {}", member.email);
    let remove_label = format!("Remove {}", member.email);
    let remove_slug = slug.clone();
    view! {
        <tr>
            <th scope="row">{member.email.clone()} {member.is_you.then_some(" (you)")}</th>
            <td>
                <ActionForm action=change_role attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug/>
                    <input type="hidden" name="user_id" value=member.user_id/>
                    <label class="visually-hidden" for=select_id.clone()>{role_label}</label>
                    <select id=select_id name="role">{role_options(member.role)}</select>
                    <button class="button button--quiet" type="submit">"Change"</button>
                </ActionForm>
            </td>
            <td>{utc_time(member.joined_at)}</td>
            <td>
                <ActionForm action=remove attr:class="inline-form">
                    <input type="hidden" name="slug" value=remove_slug/>
                    <input type="hidden" name="user_id" value=member.user_id/>
                    <button class="button button--quiet button--danger" type="submit"
                        aria-label=remove_label>"Remove"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn InvitationRow(invitation: PendingInvitation, slug: String, revoke: ServerAction<RevokeInvitation>) -> impl IntoView {
    view! {
        <li class="incident-list__item impact--none">
            <strong>{invitation.email.clone()}</strong>
            <span class="incident-list__meta">
                {invitation.role.label()} {invitation.invited_by.map(|by| format!(" · invited by {by}"))}
                " · expires " {utc_time(invitation.expires_at)}
            </span>
            <ActionForm action=revoke attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="invitation_id" value=invitation.id/>
                <button class="button button--quiet" type="submit" aria-label=format!("Withdraw the invitation of {}", invitation.email)>"Withdraw"</button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let offer = Resource::new(move || params.read().get("token").unwrap_or_default(), get_invitation);
    view! {
        <Title text="Invitation · Herald"/>
        <super::HeraldFrame>
            {super::loaded(offer, |offer| view! { <Invitation offer/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn Invitation(offer: InvitationOffer) -> impl IntoView {
    let action = ServerAction::<AcceptInvitation>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let token = move || use_params_map().with(|params| params.get("token")).unwrap_or_default();
    let here = invitation_path(&token());
    let summary = format!(
        "You are invited to {} as {}, with the address {}.",
        offer.organization,
        offer.role.label(),
        offer.email
    );
    let choice = match (&offer.signed_in_as, offer.account_exists) {
        (Some(email), _) if *email == offer.email => view! {
            <ActionForm action attr:class="form">
                {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <input type="hidden" name="token" value=token/>
                <button class="button" type="submit">"Accept and join"</button>
            </ActionForm>
        }
        .into_any(),
        (Some(email), _) => view! {
            <p class="form__error" role="alert">
                {format!("You are signed in as {email}, but this invitation is for {}. Sign out, then open the link again.", offer.email)}
            </p>
        }
        .into_any(),
        (None, true) => view! {
            <p>"You already have an account with this address. "
                <a class="button" href=format!("/login?next={}", here.replace('/', "%2F"))>"Sign in to accept"</a>
            </p>
        }
        .into_any(),
        (None, false) => view! {
            <h2>"Choose a password for your new account"</h2>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <input type="hidden" name="token" value=token/>
                <Field name="password" label="Password" kind="password" autocomplete="new-password" hint="At least 10 characters." error=message_for("password")/>
                <Field name="password_confirmation" label="Password again" kind="password" autocomplete="new-password" hint="" error=message_for("password_confirmation")/>
                <button class="button" type="submit" disabled=move || action.pending().get()>"Create account and join"</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <section class="panel panel--narrow">
            <h1>{format!("Join {}", offer.organization)}</h1>
            <p>{summary}</p>
            <p class="field__hint">{format!("The invitation expires {}.", utc_time(offer.expires_at))}</p>
            {choice}
        </section>
    }
}
