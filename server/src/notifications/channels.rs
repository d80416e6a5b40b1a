//! The channels. Each turns one delivery into one message on its service and says how it went;
//! none of them retries (the worker and the outbox do).

use super::mailer::{Mail, Mailer};
use crate::monitoring::probe::{GuardedResolver, private_literal, root_cause};
use app::ssr::notifications::notice::{EventFacts, MailLinks, Notice, confirmation_mail, manage_mail, test_mail};
use app::ssr::notifications::outbox::Failure;
use herald::{Locale, SubscriberChannel};
use lettre::message::Mailbox;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long one webhook or chat delivery may take, body included.
const HTTP_TIMEOUT: Duration = Duration::from_secs(15);

/// What a delivery carries.
pub enum Content<'a> {
    Event {
        facts: &'a EventFacts,
        notice: &'a Notice,
    },
    /// Double opt-in: the link that confirms.
    Confirm {
        link: String,
    },
    /// A confirmed address subscribing again: its manage link.
    ManageLink,
    Test,
}

/// One message to one subscriber.
pub struct Outgoing<'a> {
    /// The outbox row's idempotency key (`webhook-id`, `Message-ID`).
    pub key: &'a str,
    /// The address, URL or chat id.
    pub target: &'a str,
    /// The opened webhook secret or bot token.
    pub secret: Option<String>,
    pub locale: Locale,
    pub page_name: &'a str,
    pub links: MailLinks,
    pub content: Content<'a>,
}

/// One way of reaching subscribers. A channel sends once and reports; it never retries.
pub trait Channel: Send + Sync {
    fn deliver(&self, outgoing: &Outgoing<'_>) -> impl Future<Output = Result<(), Failure>> + Send;
}

/// Every channel, built once and shared by the worker.
pub struct Channels {
    pub email: EmailChannel,
    pub webhook: WebhookChannel,
    pub slack: ChatChannel,
    pub discord: ChatChannel,
    pub teams: ChatChannel,
    pub telegram: TelegramChannel,
}

impl Channels {
    pub fn new(mailer: Mailer, from: Mailbox, block_private: bool, telegram_api_url: String) -> Channels {
        let http = http_client(block_private);
        let chat = |service| ChatChannel { http: http.clone(), block_private, service };
        Channels {
            email: EmailChannel { mailer, from },
            webhook: WebhookChannel { http: http.clone(), block_private },
            slack: chat(ChatService::Slack),
            discord: chat(ChatService::Discord),
            teams: chat(ChatService::Teams),
            telegram: TelegramChannel { http: http.clone(), api_url: telegram_api_url },
        }
    }

    pub async fn deliver(&self, channel: SubscriberChannel, outgoing: &Outgoing<'_>) -> Result<(), Failure> {
        match channel {
            SubscriberChannel::Email => self.email.deliver(outgoing).await,
            SubscriberChannel::Webhook => self.webhook.deliver(outgoing).await,
            SubscriberChannel::Slack => self.slack.deliver(outgoing).await,
            SubscriberChannel::Discord => self.discord.deliver(outgoing).await,
            SubscriberChannel::Teams => self.teams.deliver(outgoing).await,
            SubscriberChannel::Telegram => self.telegram.deliver(outgoing).await,
        }
    }
}

fn http_client(block_private: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("Herald-Webhooks/", env!("CARGO_PKG_VERSION")))
        // A receiver that redirects is misconfigured; following could leave the checked host.
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(Arc::new(GuardedResolver { block_private }))
        .timeout(HTTP_TIMEOUT)
        .connect_timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(16)
        .build()
        .unwrap_or_else(|error| {
            tracing::error!(%error, "building the delivery HTTP client failed; using defaults");
            reqwest::Client::new()
        })
}

pub struct EmailChannel {
    mailer: Mailer,
    from: Mailbox,
}

impl EmailChannel {
    pub fn transport(&self) -> &'static str {
        self.mailer.describe()
    }
}

impl Channel for EmailChannel {
    async fn deliver(&self, outgoing: &Outgoing<'_>) -> Result<(), Failure> {
        let (subject, text, html, unsubscribe) = match &outgoing.content {
            Content::Event { notice, .. } => (
                notice.subject.clone(),
                notice.email_text(&outgoing.links),
                notice.email_html(&outgoing.links),
                Some(outgoing.links.unsubscribe.clone()),
            ),
            Content::Confirm { link } => {
                let mail = confirmation_mail(outgoing.locale, outgoing.page_name, link);
                (mail.subject, mail.text, mail.html, None)
            }
            Content::ManageLink => {
                let mail = manage_mail(outgoing.locale, outgoing.page_name, &outgoing.links);
                (mail.subject, mail.text, mail.html, Some(outgoing.links.unsubscribe.clone()))
            }
            Content::Test => {
                let mail = test_mail(outgoing.locale, outgoing.page_name, &outgoing.links);
                (mail.subject, mail.text, mail.html, Some(outgoing.links.unsubscribe.clone()))
            }
        };
        let mail =
            Mail { to: outgoing.target.to_owned(), subject, text, html, key: outgoing.key.to_owned(), unsubscribe };
        self.mailer.send(&self.from, &mail).await
    }
}

pub struct WebhookChannel {
    http: reqwest::Client,
    block_private: bool,
}

impl Channel for WebhookChannel {
    async fn deliver(&self, outgoing: &Outgoing<'_>) -> Result<(), Failure> {
        let body = match &outgoing.content {
            Content::Event { facts, .. } => facts.webhook_body(),
            Content::Test => serde_json::json!({
                "type": "test",
                "timestamp": chrono::Utc::now(),
                "data": { "message": "A test delivery from the status page." },
            }),
            Content::Confirm { .. } | Content::ManageLink => return Ok(()),
        };
        let body = serde_json::to_vec(&body).map_err(|error| Failure { reason: error.to_string(), permanent: true })?;
        let secret = outgoing
            .secret
            .as_deref()
            .ok_or_else(|| Failure { reason: "The webhook has no signing secret.".into(), permanent: true })?;
        let timestamp = chrono::Utc::now().timestamp();
        let signature = herald::sign(secret, outgoing.key, timestamp, &body)
            .map_err(|error| Failure { reason: error.to_string(), permanent: true })?;
        let request = self
            .http
            .post(outgoing.target)
            .header("content-type", "application/json")
            .header("webhook-id", outgoing.key)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body);
        post(request, outgoing.target, self.block_private).await
    }
}

#[derive(Clone, Copy)]
pub enum ChatService {
    Slack,
    Discord,
    Teams,
}

/// Slack, Discord and Teams: an incoming-webhook URL their owner created, and each service's
/// own message format.
pub struct ChatChannel {
    http: reqwest::Client,
    block_private: bool,
    service: ChatService,
}

/// The notice a chat message is written from (a test message has a notice of its own).
fn chat_notice<'a>(outgoing: &'a Outgoing<'a>) -> Option<std::borrow::Cow<'a, Notice>> {
    match &outgoing.content {
        Content::Event { notice, .. } => Some(std::borrow::Cow::Borrowed(*notice)),
        Content::Test => Some(std::borrow::Cow::Owned(test_notice(outgoing))),
        Content::Confirm { .. } | Content::ManageLink => None,
    }
}

impl Channel for ChatChannel {
    async fn deliver(&self, outgoing: &Outgoing<'_>) -> Result<(), Failure> {
        let Some(notice) = chat_notice(outgoing) else { return Ok(()) };
        let body = match self.service {
            ChatService::Slack => notice.slack_body(),
            ChatService::Discord => notice.discord_body(),
            ChatService::Teams => notice.teams_body(),
        };
        post(self.http.post(outgoing.target).json(&body), outgoing.target, self.block_private).await
    }
}

/// Telegram: a bot (its token sealed at rest) posting to a chat through the Bot API.
pub struct TelegramChannel {
    http: reqwest::Client,
    api_url: String,
}

impl Channel for TelegramChannel {
    async fn deliver(&self, outgoing: &Outgoing<'_>) -> Result<(), Failure> {
        let Some(notice) = chat_notice(outgoing) else { return Ok(()) };
        let token = outgoing
            .secret
            .as_deref()
            .ok_or_else(|| Failure { reason: "The Telegram bot token is missing.".into(), permanent: true })?;
        let url = format!("{}/bot{token}/sendMessage", self.api_url.trim_end_matches('/'));
        let body = serde_json::json!({
            "chat_id": outgoing.target,
            "text": notice.telegram_text(),
            "parse_mode": "HTML",
            "link_preview_options": { "is_disabled": true },
        });
        // The URL holds the token: errors name the API, never the URL.
        post(self.http.post(&url).json(&body), "the Telegram Bot API", false).await
    }
}

fn test_notice(outgoing: &Outgoing<'_>) -> Notice {
    let texts = app::ssr::notifications::texts::mail_texts(outgoing.locale);
    Notice {
        texts,
        page_name: outgoing.page_name.to_owned(),
        subject: format!("[{}] {}", outgoing.page_name, texts.test_subject),
        kind_label: texts.test_subject,
        title: outgoing.page_name.to_owned(),
        status: "OK".into(),
        body: texts.test_body.to_owned(),
        window: None,
        impact: None,
        components: Vec::new(),
        link: outgoing.links.manage.clone(),
        at: String::new(),
    }
}

/// Sends one request; a 2xx is success, other answers and transport errors are failures,
/// permanent when the receiver says the request itself is wrong.
async fn post(request: reqwest::RequestBuilder, target: &str, block_private: bool) -> Result<(), Failure> {
    if block_private
        && let Ok(url) = reqwest::Url::parse(target)
        && let Some(address) = private_literal(&url)
    {
        return Err(Failure {
            reason: format!("{address} is a private address, which HERALD_BLOCK_PRIVATE_TARGETS forbids."),
            permanent: true,
        });
    }
    match request.send().await {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) => {
            let status = response.status().as_u16();
            Err(Failure {
                reason: format!("HTTP {status} from the receiver."),
                permanent: herald::is_permanent_http_failure(status),
            })
        }
        Err(error) if error.is_timeout() => {
            Err(Failure { reason: format!("No answer within {} s.", HTTP_TIMEOUT.as_secs()), permanent: false })
        }
        Err(error) => Err(Failure { reason: format!("Could not deliver: {}.", root_cause(&error)), permanent: false }),
    }
}
