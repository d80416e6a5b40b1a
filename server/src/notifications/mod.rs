//! Delivering notifications: the mail transports, the channels (email, webhook, Slack,
//! Discord, Teams, Telegram) behind one trait, and the worker that fans events out and works
//! through the outbox with bounded concurrency. Retries and back-off belong to the worker
//! and the outbox, never to a channel.

pub mod channels;
pub mod mailer;
pub mod worker;

use chrono::TimeDelta;
use std::path::PathBuf;

/// How email leaves Herald.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// Written to the log (development; nothing is sent).
    Log,
    /// `HERALD_SMTP_URL`: `smtp://host:587?tls=required` (STARTTLS), `smtps://host:465` (TLS),
    /// or plain `smtp://host:25` for a relay on the same network; `user:password@` to log in.
    Smtp { url: String },
    /// `RESEND_API_KEY` (and `HERALD_RESEND_BASE_URL` for a stand-in API).
    Resend { api_key: String, base_url: String },
}

/// Where the instance's secret key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretKeySource {
    /// `HERALD_SECRET_KEY`.
    Given(String),
    /// `HERALD_SECRET_KEY_FILE`, or `herald.key` beside the SQLite database: created on first
    /// start. Replicas sharing PostgreSQL must share the key: set `HERALD_SECRET_KEY`.
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct NotificationConfig {
    pub mail: MailTransport,
    /// `HERALD_MAIL_FROM`: the sender, `Name <address>` or an address.
    pub mail_from: String,
    /// `HERALD_DELIVERY_CONCURRENCY`: deliveries in flight at once.
    pub concurrency: usize,
    /// `HERALD_MAINTENANCE_REMINDER_MINUTES`: how long before a maintenance its reminder goes out.
    pub reminder_before: TimeDelta,
    /// `HERALD_TELEGRAM_API_URL`: the Bot API's address (a stand-in in tests).
    pub telegram_api_url: String,
    pub secret_key: SecretKeySource,
    /// Refuse webhook and chat URLs on private addresses (`HERALD_BLOCK_PRIVATE_TARGETS`).
    pub block_private_targets: bool,
}

pub const DEFAULT_MAIL_FROM: &str = "Herald <herald@localhost>";
pub const DEFAULT_DELIVERY_CONCURRENCY: usize = 64;
pub const DEFAULT_REMINDER_MINUTES: u32 = 60;
pub const DEFAULT_TELEGRAM_API_URL: &str = "https://api.telegram.org";
pub const DEFAULT_RESEND_BASE_URL: &str = "https://api.resend.com";

impl NotificationConfig {
    /// Log transport, defaults everywhere, and the given secret key: what tests start from.
    pub fn with_secret(secret: &str) -> NotificationConfig {
        NotificationConfig {
            mail: MailTransport::Log,
            mail_from: DEFAULT_MAIL_FROM.to_owned(),
            concurrency: DEFAULT_DELIVERY_CONCURRENCY,
            reminder_before: TimeDelta::minutes(i64::from(DEFAULT_REMINDER_MINUTES)),
            telegram_api_url: DEFAULT_TELEGRAM_API_URL.to_owned(),
            secret_key: SecretKeySource::Given(secret.to_owned()),
            block_private_targets: false,
        }
    }

    /// Reads `HERALD_SMTP_URL`, `RESEND_API_KEY`, `HERALD_RESEND_BASE_URL`, `HERALD_MAIL_FROM`,
    /// `HERALD_DELIVERY_CONCURRENCY`, `HERALD_MAINTENANCE_REMINDER_MINUTES`,
    /// `HERALD_TELEGRAM_API_URL`, `HERALD_SECRET_KEY` and `HERALD_SECRET_KEY_FILE`.
    pub fn from_settings<G>(
        get: &G,
        database: &crate::database::DatabaseTarget,
        block_private_targets: bool,
    ) -> Result<NotificationConfig, crate::config::ConfigError>
    where
        G: Fn(&str) -> Result<Option<String>, crate::config::ConfigError>,
    {
        use crate::config::ConfigError;
        let mail = match (get("HERALD_SMTP_URL")?, get("RESEND_API_KEY")?) {
            (Some(_), Some(_)) => {
                return Err(ConfigError(
                    "HERALD_SMTP_URL and RESEND_API_KEY are both set; keep the one transport you want.".into(),
                ));
            }
            (Some(url), None) => {
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(ConfigError(format!(
                        "HERALD_SMTP_URL is \"{}\"; use smtp://user:password@host:587?tls=required (STARTTLS), smtps://user:password@host:465 (TLS) or smtp://host:25 (a relay without TLS).",
                        url.split('@').next_back().unwrap_or_default()
                    )));
                }
                MailTransport::Smtp { url }
            }
            (None, Some(api_key)) => MailTransport::Resend {
                api_key,
                base_url: get("HERALD_RESEND_BASE_URL")?.unwrap_or_else(|| DEFAULT_RESEND_BASE_URL.to_owned()),
            },
            (None, None) => MailTransport::Log,
        };
        let mail_from = get("HERALD_MAIL_FROM")?.unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError(format!(
                "HERALD_MAIL_FROM is \"{mail_from}\"; use an address such as status@example.com or \"Example Status <status@example.com>\"."
            )));
        }
        let whole = |name: &str, min: u32, max: u32, default: u32| -> Result<u32, ConfigError> {
            match get(name)? {
                None => Ok(default),
                Some(text) => match text.parse::<u32>() {
                    Ok(value) if (min..=max).contains(&value) => Ok(value),
                    _ => Err(ConfigError(format!("{name} is \"{text}\"; use a whole number from {min} to {max}."))),
                },
            }
        };
        let concurrency = whole("HERALD_DELIVERY_CONCURRENCY", 1, 1000, DEFAULT_DELIVERY_CONCURRENCY as u32)? as usize;
        let reminder_minutes = whole("HERALD_MAINTENANCE_REMINDER_MINUTES", 1, 7 * 24 * 60, DEFAULT_REMINDER_MINUTES)?;
        let telegram_api_url = get("HERALD_TELEGRAM_API_URL")?.unwrap_or_else(|| DEFAULT_TELEGRAM_API_URL.to_owned());
        let secret_key = match (get("HERALD_SECRET_KEY")?, get("HERALD_SECRET_KEY_FILE")?) {
            (Some(secret), _) if secret.len() < 32 => {
                return Err(ConfigError(
                    "HERALD_SECRET_KEY is too short; use at least 32 random characters (openssl rand -base64 32)."
                        .into(),
                ));
            }
            (Some(secret), None) => SecretKeySource::Given(secret),
            (Some(_), Some(_)) => {
                return Err(ConfigError("HERALD_SECRET_KEY and HERALD_SECRET_KEY_FILE are both set; keep one.".into()));
            }
            (None, Some(file)) => SecretKeySource::File(PathBuf::from(file)),
            (None, None) => SecretKeySource::File(match database {
                crate::database::DatabaseTarget::Sqlite { path } if path.as_os_str() != ":memory:" => {
                    path.parent().map(|dir| dir.join("herald.key")).unwrap_or_else(|| PathBuf::from("herald.key"))
                }
                _ => PathBuf::from("herald.key"),
            }),
        };
        Ok(NotificationConfig {
            mail,
            mail_from,
            concurrency,
            reminder_before: TimeDelta::minutes(i64::from(reminder_minutes)),
            telegram_api_url,
            secret_key,
            block_private_targets,
        })
    }

    /// The key: given, or read from its file, which is created (readable by its owner only)
    /// on first start.
    pub fn load_keyring(&self) -> Result<app::ssr::keyring::Keyring, String> {
        use app::ssr::keyring::Keyring;
        match &self.secret_key {
            SecretKeySource::Given(secret) => Ok(Keyring::from_secret(secret)),
            SecretKeySource::File(path) => {
                match std::fs::read_to_string(path) {
                    Ok(secret) if secret.trim().len() >= 32 => Ok(Keyring::from_secret(secret.trim())),
                    Ok(_) => Err(format!(
                        "The key file {} is too short; delete it to have a new one made, or set HERALD_SECRET_KEY.",
                        path.display()
                    )),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                        let secret = Keyring::generate_secret();
                        write_private(path, &secret).map_err(|error| {
                        format!("Cannot create the key file {} ({error}); set HERALD_SECRET_KEY or HERALD_SECRET_KEY_FILE.", path.display())
                    })?;
                        tracing::info!(file = %path.display(), "created the instance's secret key; keep it with the database (replicas: set HERALD_SECRET_KEY)");
                        Ok(Keyring::from_secret(&secret))
                    }
                    Err(error) => Err(format!("Cannot read the key file {} ({error}).", path.display())),
                }
            }
        }
    }
}

fn write_private(path: &std::path::Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(secret.as_bytes())?;
    file.write_all(b"\n")
}
