//! `/dashboard/:slug/api-tokens`: the Admin's page of API tokens for `/api/v1` (scripts, CI,
//! integrations): make one (shown once), see which are used, revoke one.

use super::form_errors;
use super::workspace::{WorkspaceHeader, keep_fresh, utc_time};
use crate::api::api_tokens::{
    ApiTokenLine, ApiTokensPage, CreateApiToken, NewTokenSecret, RevokeApiToken, get_api_tokens,
};
use herald::{Role, TokenScope};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ApiTokensPagePage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_api_tokens);
    view! {
        <super::HeraldFrame>
            {super::loaded(page, |page| view! { <ApiTokens page/> })}
        </super::HeraldFrame>
    }
}

#[component]
fn ApiTokens(page: ApiTokensPage) -> impl IntoView {
    let organization = page.organization.clone();
    let slug = organization.slug.clone();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let current = RwSignal::new(page.clone());
    {
        let slug = slug.clone();
        let changed = move || create.version().get() + revoke.version().get();
        keep_fresh(organization.slug.clone(), changed, move || get_api_tokens(slug.clone()), current);
    }
    let (message_for, general) = form_errors(move || create.value().get().map(|result| result.map(|_| ())));
    let (_, revoke_error) = form_errors(move || revoke.value().get());
    let made = move || create.value().get().and_then(Result::ok);
    let field_class = move |field: &'static str| {
        let error = message_for(field);
        move || if error.get().is_some() { "field field--invalid" } else { "field" }
    };
    let api_base = page.api_base.clone();
    let row_slug = slug.clone();
    view! {
        <Title text=format!("API tokens · {} · Herald", organization.name)/>
        <section class="panel workspace">
            <WorkspaceHeader organization=organization.clone()/>
            <h2>"API tokens"</h2>
            <p class="field__hint">
                "For scripts and integrations: send one as " <code>"Authorization: Bearer <token>"</code> " to "
                <code>{api_base.clone()}</code> " (" <a href="/api/v1/docs" rel="external">"API reference"</a> "). "
                "A read token may only GET; a write token does what its role allows."
            </p>
            {move || revoke_error().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
            <Show
                when=move || current.with(|page| !page.tokens.is_empty())
                fallback=|| view! { <p class="workspace__calm">"No API tokens yet."</p> }
            >
                <table class="component-table token-table">
                    <thead><tr>
                        <th scope="col">"Token"</th><th scope="col">"Access"</th><th scope="col">"Made"</th>
                        <th scope="col">"Last used"</th><th scope="col">"Expires"</th>
                        <th scope="col"><span class="visually-hidden">"Revoke"</span></th>
                    </tr></thead>
                    <tbody>
                        <For
                            each=move || current.with(|page| page.tokens.clone())
                            key=super::content_key
                            children={
                                let slug = row_slug.clone();
                                move |token| view! { <TokenRow token slug=slug.clone() revoke/> }
                            }
                        />
                    </tbody>
                </table>
            </Show>
            <h2>"Make a token"</h2>
            {move || made().map(|made| view! { <MadeToken made/> })}
            <ActionForm action=create attr:class="form" attr:novalidate="">
                {move || general().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
                <input type="hidden" name="slug" value=slug.clone()/>
                <div class=field_class("name")>
                    <label for="token-name">"Name"</label>
                    <input id="token-name" name="name" type="text" autocomplete="off"/>
                    <p class="field__hint">"What it is for, such as Deploy pipeline."</p>
                    <p class="field__error" role="alert">{message_for("name")}</p>
                </div>
                <div class="field-row">
                    <div class=field_class("scope")>
                        <label for="token-scope">"Scope"</label>
                        <select id="token-scope" name="scope">
                            <option value=TokenScope::Read.as_str()>"Read: GET only"</option>
                            <option value=TokenScope::Write.as_str()>"Write"</option>
                        </select>
                        <p class="field__error" role="alert">{message_for("scope")}</p>
                    </div>
                    <div class=field_class("role")>
                        <label for="token-role">"Acts as"</label>
                        <select id="token-role" name="role">
                            {Role::ALL.iter().map(|&role| view! {
                                <option value=role.as_str() selected=role == Role::Editor>{role.label()}</option>
                            }).collect_view()}
                        </select>
                        <p class="field__error" role="alert">{message_for("role")}</p>
                    </div>
                    <div class=field_class("expires_in_days")>
                        <label for="token-expiry">"Expires after (days)"</label>
                        <input id="token-expiry" name="expires_in_days" type="number" min="1" max="3650" inputmode="numeric"/>
                        <p class="field__hint">"Empty: never."</p>
                        <p class="field__error" role="alert">{message_for("expires_in_days")}</p>
                    </div>
                </div>
                <button class="button" type="submit" disabled=move || create.pending().get()>"Make token"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MadeToken(made: NewTokenSecret) -> impl IntoView {
    view! {
        <div class="form__notice" role="status">
            <p>{format!("Your new token \"{}\". Copy it now: Herald keeps only a hash, so it is not shown again.", made.name)}</p>
            <p><code class="secret" data-testid="new-token">{made.token}</code></p>
        </div>
    }
}

#[component]
fn TokenRow(token: ApiTokenLine, slug: String, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    let state = match (token.revoked_at, token.works) {
        (Some(at), _) => Some(format!("revoked {}", utc_time(at))),
        (None, false) => Some("expired".to_owned()),
        (None, true) => None,
    };
    view! {
        <tr data-token=token.id class:token-table__gone=!token.works>
            <th scope="row">
                {token.name.clone()}
                <span class="subscriber-table__meta"><code>{format!("{}…", token.prefix)}</code> {state.map(|state| format!(" · {state}"))}</span>
            </th>
            <td>{format!("{} · {}", token.scope.as_str(), token.role.label())}</td>
            <td>{utc_time(token.created_at)}</td>
            <td>{token.last_used_at.map(utc_time).unwrap_or_else(|| "never".into())}</td>
            <td>{token.expires_at.map(utc_time).unwrap_or_else(|| "never".into())}</td>
            <td>
                {token.works.then(|| view! {
                    <ActionForm action=revoke attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug/>
                        <input type="hidden" name="token_id" value=token.id/>
                        <button class="button button--quiet button--danger" type="submit"
                            aria-label=format!("Revoke {}", token.name)>"Revoke"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
