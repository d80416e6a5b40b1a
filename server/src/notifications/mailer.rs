//! Sending one email through the configured transport: SMTP with lettre (pooled connections,
//! STARTTLS or TLS, authentication), Resend, or the log.

use super::MailTransport;
use app::ssr::notifications::outbox::Failure;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// One message, as every transport needs it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The outbox row's idempotency key: the `Message-ID`, and Resend's idempotency key, so
    /// a message resent after a crash is recognisably the same message.
    pub key: String,
    /// The one-click unsubscribe address (RFC 8058), for messages to subscribers.
    pub unsubscribe: Option<String>,
}

pub enum Mailer {
    Log,
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Resend(resend_rs::Resend),
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MailerError(pub String);

impl Mailer {
    pub fn new(transport: &MailTransport) -> Result<Mailer, MailerError> {
        match transport {
            MailTransport::Log => Ok(Mailer::Log),
            MailTransport::Smtp { url } => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|error| {
                    MailerError(format!(
                        "HERALD_SMTP_URL is not usable ({error}); use smtp://user:password@host:587?tls=required (STARTTLS), smtps://user:password@host:465 (TLS) or smtp://host:25 (a relay without TLS)."
                    ))
                })?;
                Ok(Mailer::Smtp(builder.timeout(Some(Duration::from_secs(30))).build()))
            }
            MailTransport::Resend { api_key, base_url } => {
                let base_url = base_url.parse().map_err(|_| {
                    MailerError(format!("HERALD_RESEND_BASE_URL is \"{base_url}\", which is not a URL."))
                })?;
                let config = resend_rs::ConfigBuilder::new(api_key.clone()).base_url(base_url).build();
                Ok(Mailer::Resend(resend_rs::Resend::with_config(config)))
            }
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Mailer::Log => "log",
            Mailer::Smtp(_) => "smtp",
            Mailer::Resend(_) => "resend",
        }
    }

    pub async fn send(&self, from: &Mailbox, mail: &Mail) -> Result<(), Failure> {
        match self {
            Mailer::Log => {
                tracing::info!(to = %mail.to, subject = %mail.subject, key = %mail.key, body = %mail.text, "email (log transport; not sent)");
                Ok(())
            }
            Mailer::Smtp(transport) => {
                let message = build_message(from, mail)?;
                transport.send(message).await.map(|_| ()).map_err(|error| Failure {
                    permanent: error.is_permanent(),
                    reason: format!("SMTP: {}", crate::monitoring::probe::root_cause(&error)),
                })
            }
            Mailer::Resend(resend) => {
                let mut email = resend_rs::types::CreateEmailBaseOptions::new(
                    from.to_string(),
                    [mail.to.clone()],
                    mail.subject.clone(),
                )
                .with_text(&mail.text)
                .with_html(&mail.html);
                if let Some(unsubscribe) = &mail.unsubscribe {
                    email = email
                        .with_header("List-Unsubscribe", &format!("<{unsubscribe}>"))
                        .with_header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                }
                resend.emails.send(email.with_idempotency_key(&mail.key)).await.map(|_| ()).map_err(|error| {
                    let reason = format!("Resend: {error}");
                    // Resend answers 4xx for a request it will never accept (a bad address, an
                    // unverified domain), 429 and 5xx for "later".
                    let permanent = matches!(&error, resend_rs::Error::Resend(response) if herald::is_permanent_http_failure(response.status_code));
                    Failure { reason, permanent }
                })
            }
        }
    }
}

fn header(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_owned())
}

pub fn build_message(from: &Mailbox, mail: &Mail) -> Result<Message, Failure> {
    let to: Mailbox = mail.to.parse().map_err(|error| Failure {
        reason: format!("The address cannot be written into an email: {error}."),
        permanent: true,
    })?;
    let domain = from.email.domain().to_owned();
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", mail.key)));
    if let Some(unsubscribe) = &mail.unsubscribe {
        builder = builder
            .raw_header(header("List-Unsubscribe", &format!("<{unsubscribe}>")))
            .raw_header(header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
            .raw_header(header("Auto-Submitted", "auto-generated"));
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(mail.html.clone())),
        )
        .map_err(|error| Failure { reason: format!("The email could not be built: {error}."), permanent: true })
}

/// Password reset links and invitations, through the same transport as notifications.
pub struct AccountMail {
    mailer: Mailer,
    from: Mailbox,
}

impl AccountMail {
    pub fn new(mailer: Mailer, from: Mailbox) -> AccountMail {
        AccountMail { mailer, from }
    }
}

impl app::ssr::account_mail::AccountMailer for AccountMail {
    fn send(
        &self,
        message: app::ssr::account_mail::AccountMessage,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + '_>> {
        Box::pin(async move {
            let mail = Mail {
                html: app::ssr::account_mail::html_of(&message.text),
                to: message.to,
                subject: message.subject,
                text: message.text,
                key: app::ssr::secrets::new_token("acct_"),
                unsubscribe: None,
            };
            self.mailer.send(&self.from, &mail).await.map_err(|failure| failure.reason)
        })
    }
}
