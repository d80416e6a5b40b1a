//! `/login`, `/dashboard` and `/account`: signing in, the organizations you work in, and your
//! password and sessions. Every form is an `ActionForm`, so all of it works without JavaScript.

use super::form_errors;
use crate::api::account::{
    Account, ChangePassword, RequestPasswordReset, ResetPassword, SignIn, SignOut, get_account, get_password_reset,
};
use crate::api::dashboard::CreateOrganization;
use crate::components::{ErrorPanel, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let next = move || use_query_map().with(|query| query.get("next")).unwrap_or_default();
    view! {
        <Title text="Sign in · Herald"/>
        <super::HeraldFrame>
            <section class="panel panel--narrow">
                <h1>"Sign in"</h1>
                <ActionForm action attr:class="form" attr:novalidate="">
                    {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                    <input type="hidden" name="next" value=next/>
                    <Field name="email" label="Email" kind="email" autocomplete="username" hint="" error=message_for("email")/>
                    <Field name="password" label="Password" kind="password" autocomplete="current-password" hint="" error=message_for("password")/>
                    <button class="button" type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <p class="form__aside"><a href="/forgot-password">"Forgot your password?"</a></p>
            </section>
        </super::HeraldFrame>
    }
}

/// Loads the signed-in account; without one, the page sends the browser to sign in.
#[component]
fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let account = Resource::new(|| (), |_| get_account());
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(account)) => {
                        provide_context(account);
                        children.with_value(|children| children()).into_any()
                    }
                    // The server sends signed-out browsers to /login before rendering; this shows
                    // only if the session ends while the page is open.
                    Ok(None) => {
                        view! { <p>"You are not signed in. " <a href="/login">"Sign in"</a></p> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignOutButton(everywhere: bool, label: &'static str) -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="inline-form">
            {everywhere.then(|| view! { <input type="hidden" name="everywhere" value="yes"/> })}
            <button class="button button--quiet" type="submit">{label}</button>
        </ActionForm>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text="Dashboard · Herald"/>
        <super::HeraldFrame>
            <SignedIn>
                <Dashboard/>
            </SignedIn>
        </super::HeraldFrame>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let account = expect_context::<Account>();
    let organizations = account.organizations.clone();
    view! {
        <section class="panel">
            <div class="panel__heading">
                <h1>"Your organizations"</h1>
                <p class="panel__meta">
                    "Signed in as " <strong>{account.email.clone()}</strong> " · " <a href="/account">"Account"</a>
                    <SignOutButton everywhere=false label="Sign out"/>
                </p>
            </div>
            {if organizations.is_empty() {
                view! { <p>"You are not a member of any organization yet. Ask an Admin to invite you."</p> }.into_any()
            } else {
                view! {
                    <ul class="organization-list">
                        {organizations
                            .into_iter()
                            .map(|membership| {
                                view! {
                                    <li>
                                        <a href=format!("/dashboard/{}", membership.slug)>{membership.name}</a>
                                        " " <span class="role">{membership.role}</span> " · "
                                        <a class="organization-list__public" href=format!("/s/{}", membership.slug)>"Public page"</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {account.may_create_organizations.then(|| view! { <NewOrganizationForm/> })}
        </section>
    }
}

#[component]
fn NewOrganizationForm() -> impl IntoView {
    let action = ServerAction::<CreateOrganization>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    view! {
        <h2>"New organization"</h2>
        <ActionForm action attr:class="form form--inline" attr:novalidate="">
            {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
            <Field name="name" label="Organization name" kind="text" autocomplete="organization" hint="" error=message_for("name")/>
            <Field name="slug" label="Page address" kind="text" autocomplete="off" hint="Lowercase letters, digits and hyphens: the page will be at /s/<address>." error=message_for("slug")/>
            <button class="button" type="submit" disabled=move || action.pending().get()>"Create organization"</button>
        </ActionForm>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Account · Herald"/>
        <super::HeraldFrame>
            <SignedIn>
                <AccountSettings/>
            </SignedIn>
        </super::HeraldFrame>
    }
}

#[component]
fn AccountSettings() -> impl IntoView {
    let account = expect_context::<Account>();
    let action = ServerAction::<ChangePassword>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let changed = move || {
        use_query_map().with(|query| query.get("changed")).is_some() || matches!(action.value().get(), Some(Ok(())))
    };
    view! {
        <section class="panel panel--narrow">
            <h1>"Your account"</h1>
            <p>"Signed in as " <strong>{account.email.clone()}</strong> " · " <a href="/dashboard">"Dashboard"</a></p>
            <h2>"Change your password"</h2>
            {move || changed().then(|| view! { <p class="form__notice" role="status">"Your password was changed; your other sessions have ended."</p> })}
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <Field name="current_password" label="Current password" kind="password" autocomplete="current-password" hint="" error=message_for("current_password")/>
                <Field name="new_password" label="New password" kind="password" autocomplete="new-password" hint="At least 10 characters." error=message_for("new_password")/>
                <Field name="new_password_confirmation" label="New password again" kind="password" autocomplete="new-password" hint="" error=message_for("new_password_confirmation")/>
                <button class="button" type="submit" disabled=move || action.pending().get()>"Change password"</button>
            </ActionForm>
            <h2>"Sessions"</h2>
            <p>"Signed in on a computer you no longer use? End every session, this one included."</p>
            <SignOutButton everywhere=true label="Sign out everywhere"/>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    let sent = move || use_query_map().with(|query| query.get("sent")).is_some();
    view! {
        <Title text="Forgot your password · Herald"/>
        <super::HeraldFrame>
            <section class="panel panel--narrow">
                <h1>"Forgot your password?"</h1>
                {move || sent().then(|| view! {
                    <p class="form__notice" role="status">
                        "If an account has this address, a link to choose a new password is on its way. It works once, for an hour."
                    </p>
                })}
                <ActionForm action attr:class="form" attr:novalidate="">
                    {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                    <Field name="email" label="Email" kind="email" autocomplete="username" hint="We send a link to choose a new password." error=message_for("email")/>
                    <button class="button" type="submit" disabled=move || action.pending().get()>"Send the link"</button>
                </ActionForm>
                <p class="form__aside"><a href="/login">"Back to sign in"</a></p>
            </section>
        </super::HeraldFrame>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = move || use_params_map().with(|params| params.get("token")).unwrap_or_default();
    let reset = Resource::new(token, get_password_reset);
    view! {
        <Title text="Choose a new password · Herald"/>
        <super::HeraldFrame>
            {super::loaded(reset, move |email| view! { <NewPasswordForm email token=token()/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn NewPasswordForm(email: String, token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let (message_for, general) = form_errors(move || action.value().get());
    view! {
        <section class="panel panel--narrow">
            <h1>"Choose a new password"</h1>
            <p>"For " <strong>{email}</strong> ". Every session of this account ends, and you are signed in here."</p>
            <ActionForm action attr:class="form" attr:novalidate="">
                {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <input type="hidden" name="token" value=token/>
                <Field name="new_password" label="New password" kind="password" autocomplete="new-password" hint="At least 10 characters." error=message_for("new_password")/>
                <Field name="new_password_confirmation" label="New password again" kind="password" autocomplete="new-password" hint="" error=message_for("new_password_confirmation")/>
                <button class="button" type="submit" disabled=move || action.pending().get()>"Set the new password"</button>
            </ActionForm>
        </section>
    }
}
