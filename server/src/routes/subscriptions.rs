//! Subscribing without an account, in plain HTML forms that work with or without JavaScript:
//! the subscribe form of each status page, the confirmation of an email address, the
//! preferences page every message links to, and one-click unsubscribe (RFC 8058).

use crate::startup::ServerState;
use app::error::AppError;
use app::ssr::entities::{components, organizations};
use app::ssr::html::escape;
use app::ssr::notifications::subscriptions::{self, Managed, NewSubscription, Subscribed};
use app::ssr::repositories::organizations::find_by_slug;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use herald::{Locale, Slug, SubscriberChannel, Topic};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Subscribe attempts per client address per minute.
const SUBSCRIBE_PER_MINUTE: u32 = 10;

pub struct SubscribeLimiter(DefaultKeyedRateLimiter<String>);

impl Default for SubscribeLimiter {
    fn default() -> Self {
        SubscribeLimiter(RateLimiter::keyed(Quota::per_minute(
            NonZeroU32::MIN.saturating_add(SUBSCRIBE_PER_MINUTE - 1),
        )))
    }
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(serde::Deserialize)]
pub struct ChannelQuery {
    channel: Option<String>,
}

/// The fields of a posted form; components may repeat, so it is read by hand.
#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: &[u8]) -> Fields {
        Fields(url::form_urlencoded::parse(body).map(|(key, value)| (key.into_owned(), value.into_owned())).collect())
    }
    fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
    }
    fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

fn client_address(headers: &HeaderMap) -> String {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    header("x-real-ip")
        .or_else(|| header("x-forwarded-for").and_then(|list| list.split(',').next()).map(str::trim))
        .filter(|address| !address.is_empty() && address.len() <= 64)
        .unwrap_or("direct")
        .to_owned()
}

fn locale(headers: &HeaderMap, organization: &organizations::Model) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(Locale::negotiate)
        .or_else(|| organization.default_locale.parse().ok())
        .unwrap_or(Locale::DEFAULT)
}

fn page(status: StatusCode, title: &str, organization: Option<&organizations::Model>, body: &str) -> Response {
    let (heading, back) = match organization {
        Some(organization) => (
            escape(&organization.name),
            format!(
                "<p class=\"subscribe-back\"><a href=\"/s/{0}\">← {1}</a></p>",
                escape(&organization.slug),
                escape(&organization.name)
            ),
        ),
        None => ("Herald".to_owned(), String::new()),
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"robots\" content=\"noindex\"><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><title>{} · {heading}</title><link rel=\"stylesheet\" href=\"/pkg/{}.css\"></head>\
<body><main class=\"subscribe-page\"><p class=\"subscribe-org\">{heading}</p><h1>{}</h1>{body}{back}</main></body></html>",
        escape(title),
        app::OUTPUT_NAME,
        escape(title),
    );
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

fn error_page(error: &AppError, organization: Option<&organizations::Model>) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    page(
        status,
        "Something is not right",
        organization,
        &format!("<p class=\"form-error\" role=\"alert\">{}</p>", escape(&error.to_string())),
    )
}

async fn organization(db: &DatabaseConnection, slug: &str) -> Result<organizations::Model, AppError> {
    let not_found = || AppError::NotFound("There is no status page at this address.".into());
    let slug = Slug::parse(slug).map_err(|_| not_found())?;
    find_by_slug(db, &slug).await.map_err(app::ssr::internal("loading an organization"))?.ok_or_else(not_found)
}

async fn component_choices(db: &DatabaseConnection, organization_id: i64) -> Result<Vec<components::Model>, AppError> {
    components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .order_by_asc(components::Column::Position)
        .order_by_asc(components::Column::Id)
        .all(db)
        .await
        .map_err(app::ssr::internal("loading components"))
}

fn topic_and_components(choices: &[components::Model], topic: Topic, chosen: &[i64]) -> String {
    let topics = [
        (Topic::All, "Incidents and maintenance"),
        (Topic::Incidents, "Incidents only"),
        (Topic::Maintenance, "Maintenance only"),
    ]
    .iter()
    .map(|(value, label)| {
        format!(
            "<label class=\"choice\"><input type=\"radio\" name=\"topic\" value=\"{}\"{}> {label}</label>",
            value.as_str(),
            if *value == topic { " checked" } else { "" }
        )
    })
    .collect::<String>();
    let boxes = choices
        .iter()
        .map(|component| {
            format!(
                "<label class=\"choice\"><input type=\"checkbox\" name=\"components\" value=\"{}\"{}> {}</label>",
                component.id,
                if chosen.contains(&component.id) { " checked" } else { "" },
                escape(&component.name)
            )
        })
        .collect::<String>();
    format!(
        "<fieldset><legend>Tell me about</legend>{topics}</fieldset>\
<fieldset><legend>Components</legend><p class=\"hint\">Choose none to hear about all of them.</p>{boxes}</fieldset>"
    )
}

struct SubscribeForm<'a> {
    channel: SubscriberChannel,
    fields: &'a Fields,
    error: Option<&'a AppError>,
}

fn subscribe_form(
    organization: &organizations::Model,
    choices: &[components::Model],
    form: SubscribeForm<'_>,
) -> String {
    let slug = escape(&organization.slug);
    let tabs = SubscriberChannel::ALL
        .iter()
        .map(|channel| {
            format!(
                "<a href=\"/s/{slug}/subscribe?channel={}\"{}>{}</a>",
                channel.as_str(),
                if *channel == form.channel { " aria-current=\"page\"" } else { "" },
                channel.label()
            )
        })
        .collect::<String>();
    let field_error = |name: &str| {
        form.error
            .and_then(|error| error.message_for(name))
            .map(|message| format!("<p class=\"field-error\" role=\"alert\">{}</p>", escape(&message)))
            .unwrap_or_default()
    };
    let general = form
        .error
        .filter(|error| {
            error.is_general() || matches!(error, AppError::Invalid { field: Some(f), .. } if f == "components")
        })
        .map(|error| format!("<p class=\"form-error\" role=\"alert\">{}</p>", escape(&error.to_string())))
        .unwrap_or_default();
    let value = |name: &str| escape(form.fields.get(name));
    let address = match form.channel {
        SubscriberChannel::Email => format!(
            "<label for=\"email\">Email address</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required value=\"{}\">{}<p class=\"hint\">We send a link to confirm it is yours; nothing else until you click it.</p>",
            value("email"),
            field_error("email")
        ),
        SubscriberChannel::Telegram => format!(
            "<label for=\"chat_id\">Chat id</label><input id=\"chat_id\" name=\"chat_id\" required value=\"{}\">{}\
<label for=\"bot_token\">Bot token</label><input id=\"bot_token\" name=\"bot_token\" type=\"password\" autocomplete=\"off\" required>{}\
<p class=\"hint\">Add your bot to the chat first. The token is stored encrypted.</p>",
            value("chat_id"),
            field_error("chat_id"),
            field_error("bot_token")
        ),
        channel => format!(
            "<label for=\"url\">{} URL</label><input id=\"url\" name=\"url\" type=\"url\" required placeholder=\"https://\" value=\"{}\">{}{}",
            if channel == SubscriberChannel::Webhook { "Endpoint" } else { "Incoming webhook" },
            value("url"),
            field_error("url"),
            if channel == SubscriberChannel::Webhook {
                "<p class=\"hint\">Deliveries are signed (Standard Webhooks); the secret is shown once, after you subscribe.</p>"
            } else {
                ""
            }
        ),
    };
    let topic = form.fields.get("topic").parse().unwrap_or(Topic::All);
    let chosen: Vec<i64> = form.fields.all("components").filter_map(|id| id.parse().ok()).collect();
    format!(
        "<nav class=\"subscribe-channels\" aria-label=\"How to be told\">{tabs}</nav>{general}\
<form method=\"post\" action=\"/s/{slug}/subscribe\" class=\"subscribe-form\">\
<input type=\"hidden\" name=\"channel\" value=\"{}\">{address}{}\
<button type=\"submit\" class=\"button\">Subscribe</button></form>",
        form.channel.as_str(),
        topic_and_components(choices, topic, &chosen),
    )
}

pub async fn subscribe_page(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
    Query(query): Query<ChannelQuery>,
) -> Response {
    let organization = match organization(&state.db, &slug).await {
        Ok(organization) => organization,
        Err(error) => return error_page(&error, None),
    };
    let channel = query.channel.as_deref().and_then(|text| text.parse().ok()).unwrap_or(SubscriberChannel::Email);
    match component_choices(&state.db, organization.id).await {
        Ok(choices) => {
            let form = subscribe_form(
                &organization,
                &choices,
                SubscribeForm { channel, fields: &Fields::default(), error: None },
            );
            page(StatusCode::OK, "Get status updates", Some(&organization), &form)
        }
        Err(error) => error_page(&error, Some(&organization)),
    }
}

/// Whether the caller is the status page's subscribe dialog, which wants JSON back.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

/// The dialog's answer: what happened, or the error and the field it concerns.
fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

fn json_error(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let field = match error {
        AppError::Invalid { field, .. } => field.clone(),
        _ => None,
    };
    json(status, serde_json::json!({ "error": { "field": field, "message": error.to_string() } }))
}

/// Reads the posted form and subscribes; the normalised address comes back with the outcome.
async fn attempt(
    state: &ServerState,
    organization: &organizations::Model,
    headers: &HeaderMap,
    fields: &Fields,
    channel: SubscriberChannel,
) -> Result<(Subscribed, String), AppError> {
    if state.subscribe_limiter.0.check_key(&client_address(headers)).is_err() {
        return Err(AppError::RateLimited(
            "Too many subscription attempts from your network; wait a minute and try again.".into(),
        ));
    }
    let topic = match fields.get("topic") {
        "" => Topic::All,
        text => text.parse().map_err(|_| AppError::invalid("topic", "Choose what to hear about."))?,
    };
    let component_ids = fields
        .all("components")
        .map(|id| id.parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::invalid("components", "One of the chosen components does not exist."))?;
    let address = match channel {
        SubscriberChannel::Email => fields.get("email"),
        SubscriberChannel::Telegram => fields.get("chat_id"),
        _ => fields.get("url"),
    };
    let request = NewSubscription {
        channel,
        address: address.to_owned(),
        bot_token: Some(fields.get("bot_token").to_owned()).filter(|token| !token.is_empty()),
        topic,
        component_ids,
        locale: locale(headers, organization),
        source: "public",
        confirmed: false,
    };
    let app = &state.app;
    let subscribed = subscriptions::subscribe(
        &app.db,
        &app.keyring,
        organization.id,
        request,
        app.subscription_rules,
        chrono::Utc::now(),
    )
    .await?;
    let shown =
        if channel == SubscriberChannel::Email { address.trim().to_lowercase() } else { address.trim().to_owned() };
    Ok((subscribed, shown))
}

pub async fn subscribe(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let as_json = wants_json(&headers);
    let organization = match organization(&state.db, &slug).await {
        Ok(organization) => organization,
        Err(error) if as_json => return json_error(&error),
        Err(error) => return error_page(&error, None),
    };
    let fields = Fields::parse(&body);
    let channel = match fields.get("channel") {
        "" => SubscriberChannel::Email,
        text => match text.parse() {
            Ok(channel) => channel,
            Err(_) if as_json => return json_error(&AppError::invalid("channel", "Choose how to be told.")),
            Err(_) => SubscriberChannel::Email,
        },
    };
    let outcome = attempt(&state, &organization, &headers, &fields, channel).await;
    if as_json {
        return match outcome {
            Ok((Subscribed::CheckInbox | Subscribed::Confirmed { .. }, address)) => {
                json(StatusCode::OK, serde_json::json!({ "outcome": "check_inbox", "address": address }))
            }
            Ok((Subscribed::Webhook { secret, .. }, address)) => json(
                StatusCode::CREATED,
                serde_json::json!({ "outcome": "webhook", "address": address, "secret": secret }),
            ),
            Ok((Subscribed::Chat { .. }, address)) => {
                json(StatusCode::CREATED, serde_json::json!({ "outcome": "chat", "address": address }))
            }
            Err(error) => json_error(&error),
        };
    }
    match outcome {
        Ok((Subscribed::CheckInbox | Subscribed::Confirmed { .. }, address)) => page(
            StatusCode::OK,
            "Check your inbox",
            Some(&organization),
            &format!(
                "<p>We sent a confirmation link to <strong>{}</strong>. Updates start once you click it; the link works for 7 days.</p>",
                escape(&address)
            ),
        ),
        Ok((Subscribed::Webhook { secret, .. }, address)) => page(
            StatusCode::CREATED,
            "Webhook subscribed",
            Some(&organization),
            &format!(
                "<p>Deliveries to <code>{}</code> are signed with this secret. Copy it now: it is not shown again.</p>\
<p><code class=\"secret\" data-testid=\"webhook-secret\">{}</code></p>\
<p class=\"hint\">Verify each delivery's <code>webhook-signature</code> header with any Standard Webhooks library.</p>",
                escape(&address),
                escape(&secret)
            ),
        ),
        Ok((Subscribed::Chat { .. }, _)) => page(
            StatusCode::CREATED,
            "Subscribed",
            Some(&organization),
            &format!(
                "<p>Updates from {} will be posted to your {} channel.</p>",
                escape(&organization.name),
                channel.label()
            ),
        ),
        Err(error) => match component_choices(&state.db, organization.id).await {
            Ok(choices) => {
                let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
                let form = subscribe_form(
                    &organization,
                    &choices,
                    SubscribeForm { channel, fields: &fields, error: Some(&error) },
                );
                page(status, "Get status updates", Some(&organization), &form)
            }
            Err(error) => error_page(&error, Some(&organization)),
        },
    }
}

/// The page a confirmation link opens: a button, so link scanners that fetch every URL in an
/// email do not confirm on the reader's behalf.
pub async fn confirm_page(Query(query): Query<TokenQuery>) -> Response {
    page(
        StatusCode::OK,
        "Confirm your subscription",
        None,
        &format!(
            "<form method=\"post\" action=\"/subscriptions/confirm\"><input type=\"hidden\" name=\"token\" value=\"{}\">\
<button type=\"submit\" class=\"button\">Confirm subscription</button></form>",
            escape(&query.token)
        ),
    )
}

pub async fn confirm(State(state): State<ServerState>, body: Bytes) -> Response {
    let fields = Fields::parse(&body);
    let app = &state.app;
    match subscriptions::confirm(&app.db, fields.get("token"), chrono::Utc::now()).await {
        Ok(subscriber) => {
            let organization =
                organizations::Entity::find_by_id(subscriber.organization_id).one(&app.db).await.ok().flatten();
            let token = app.keyring.manage_token(subscriber.id, subscriber.created_at);
            page(
                StatusCode::OK,
                "You are subscribed",
                organization.as_ref(),
                &format!(
                    "<p>Updates will reach <strong>{}</strong>. Every message has a link to change what you hear about or to unsubscribe.</p>\
<p><a href=\"/subscriptions/manage?token={token}\">Manage your subscription</a></p>",
                    escape(&subscriber.target)
                ),
            )
        }
        Err(error) => error_page(&error, None),
    }
}

async fn managed_page(db: &DatabaseConnection, token: &str, managed: &Managed, note: Option<&str>) -> Response {
    let organization =
        organizations::Entity::find_by_id(managed.subscriber.organization_id).one(db).await.ok().flatten();
    let choices = component_choices(db, managed.subscriber.organization_id).await.unwrap_or_default();
    let token = escape(token);
    let note = note.map(|note| format!("<p class=\"form-success\" role=\"status\">{note}</p>")).unwrap_or_default();
    page(
        StatusCode::OK,
        "Your subscription",
        organization.as_ref(),
        &format!(
            "{note}<p>Updates go to <strong>{}</strong> ({}).</p>\
<form method=\"post\" action=\"/subscriptions/manage\" class=\"subscribe-form\"><input type=\"hidden\" name=\"token\" value=\"{token}\">{}\
<button type=\"submit\" class=\"button\">Save preferences</button></form>\
<form method=\"post\" action=\"/subscriptions/unsubscribe?token={token}\"><button type=\"submit\" class=\"button button--danger\">Unsubscribe</button></form>",
            escape(&managed.subscriber.target),
            managed.channel.label(),
            topic_and_components(&choices, managed.topic, &managed.component_ids),
        ),
    )
}

pub async fn manage_page(State(state): State<ServerState>, Query(query): Query<TokenQuery>) -> Response {
    match subscriptions::find_managed(&state.db, &query.token).await {
        Ok(managed) => managed_page(&state.db, &query.token, &managed, None).await,
        Err(error) => error_page(&error, None),
    }
}

pub async fn save_preferences(State(state): State<ServerState>, body: Bytes) -> Response {
    let fields = Fields::parse(&body);
    let token = fields.get("token");
    let Ok(topic) = fields.get("topic").parse::<Topic>() else {
        return error_page(&AppError::invalid("topic", "Choose what to hear about."), None);
    };
    let component_ids: Vec<i64> = fields.all("components").filter_map(|id| id.parse().ok()).collect();
    match subscriptions::update_preferences(&state.db, token, topic, &component_ids, chrono::Utc::now()).await {
        Ok(managed) => managed_page(&state.db, token, &managed, Some("Your preferences are saved.")).await,
        Err(error) => error_page(&error, None),
    }
}

pub async fn unsubscribe_page(Query(query): Query<TokenQuery>) -> Response {
    page(
        StatusCode::OK,
        "Unsubscribe",
        None,
        &format!(
            "<p>You will receive no more status updates at this address.</p>\
<form method=\"post\" action=\"/subscriptions/unsubscribe?token={}\"><button type=\"submit\" class=\"button button--danger\">Unsubscribe</button></form>",
            escape(&query.token)
        ),
    )
}

/// One-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` here (RFC 8058); the
/// preferences page's button posts here too. Unsubscribing twice is not an error to the person.
pub async fn unsubscribe(State(state): State<ServerState>, Query(query): Query<TokenQuery>) -> Response {
    match subscriptions::unsubscribe(&state.db, &query.token).await {
        Ok(organization_id) => {
            let organization = organizations::Entity::find_by_id(organization_id).one(&state.db).await.ok().flatten();
            page(
                StatusCode::OK,
                "You are unsubscribed",
                organization.as_ref(),
                "<p>You will receive no more updates. You can subscribe again from the status page at any time.</p>",
            )
        }
        Err(AppError::NotFound(_)) => {
            page(StatusCode::OK, "You are unsubscribed", None, "<p>This subscription no longer exists.</p>")
        }
        Err(error) => error_page(&error, None),
    }
}

pub fn limiter() -> Arc<SubscribeLimiter> {
    Arc::new(SubscribeLimiter::default())
}
