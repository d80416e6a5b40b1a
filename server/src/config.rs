//! Configuration from the environment (`HERALD_*` and `DATABASE_URL`). Every bad value is
//! refused at start-up with a sentence naming the variable, the value and what would work.

use crate::database::DatabaseTarget;
use crate::metrics::MetricsAccess;
use crate::monitoring::MonitoringConfig;
use crate::notifications::NotificationConfig;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `HERALD_LISTEN`: where the HTTP server listens.
    pub listen: SocketAddr,
    /// `DATABASE_URL`: SQLite file (the default, `herald.db` in the working directory) or
    /// PostgreSQL server.
    pub database: DatabaseTarget,
    /// `HERALD_LOG`: which log lines to write, in `tracing` filter syntax.
    pub log_filter: String,
    /// `HERALD_LOG_FORMAT`: `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// `HERALD_SITE_ROOT` (or `LEPTOS_SITE_ROOT`, which `cargo leptos watch` sets): serve the
    /// site's files from this directory instead of the copy embedded in the binary.
    pub site_root: Option<PathBuf>,
    /// `HERALD_DATABASE_MAX_CONNECTIONS`: the connection pool's size.
    pub max_connections: u32,
    /// `HERALD_SHUTDOWN_TIMEOUT_SECS`: how long in-flight requests may take to finish after
    /// SIGTERM before the server stops anyway.
    pub shutdown_timeout: Duration,
    /// `HERALD_PUBLIC_URL`: the address people and machines reach this instance at (behind a
    /// proxy, the proxy's), without a trailing slash. Links in API documents, feeds and emails
    /// are built on it; unset, it is `http://` plus the listening address.
    pub public_url: Option<String>,
    /// `HERALD_METRICS_TOKEN` / `HERALD_METRICS_OPEN`: who may read `/metrics`.
    pub metrics: MetricsAccess,
    /// `HERALD_API_RATE_LIMIT`: admin API requests per minute per token (each replica counts
    /// its own), beyond which callers get 429 with `Retry-After`.
    pub api_rate_per_minute: u32,
    /// `HERALD_MIN_CHECK_INTERVAL_SECONDS`, `HERALD_CHECK_CONCURRENCY`,
    /// `HERALD_CHECK_RETENTION_DAYS`, `HERALD_BLOCK_PRIVATE_TARGETS`.
    pub monitoring: MonitoringConfig,
    /// Mail transport, sender, delivery concurrency, reminders and the secret key; see
    /// [`NotificationConfig::from_settings`].
    pub notifications: NotificationConfig,
}

pub const DEFAULT_API_RATE_PER_MINUTE: u32 = 600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct ConfigError(pub String);

pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://herald.db";
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn";

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).map_err(|error| (name.to_owned(), error)))
    }

    /// Reads the configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Result<String, (String, std::env::VarError)>,
    ) -> Result<Config, ConfigError> {
        let get = |name: &str| -> Result<Option<String>, ConfigError> {
            match lookup(name) {
                Ok(value) if value.trim().is_empty() => Ok(None),
                Ok(value) => Ok(Some(value.trim().to_owned())),
                Err((_, std::env::VarError::NotPresent)) => Ok(None),
                Err((name, std::env::VarError::NotUnicode(_))) => {
                    Err(ConfigError(format!("{name} is not valid UTF-8 text; set it to plain text.")))
                }
            }
        };

        let listen_text = get("HERALD_LISTEN")?.unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
        let listen = listen_text.parse::<SocketAddr>().map_err(|_| {
            ConfigError(format!(
                "HERALD_LISTEN is \"{listen_text}\", which is not an address to listen on; use IP:port such as 127.0.0.1:3000 or 0.0.0.0:8080."
            ))
        })?;

        let database_url = get("DATABASE_URL")?.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let database = DatabaseTarget::parse(&database_url).map_err(|error| ConfigError(error.to_string()))?;

        let log_format = match get("HERALD_LOG_FORMAT")?.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError(format!("HERALD_LOG_FORMAT is \"{other}\"; use text or json.")));
            }
        };

        let max_connections = match get("HERALD_DATABASE_MAX_CONNECTIONS")? {
            None => database.default_max_connections(),
            Some(text) => match text.parse::<u32>() {
                Ok(value @ 2..=1000) => value,
                _ => {
                    return Err(ConfigError(format!(
                        "HERALD_DATABASE_MAX_CONNECTIONS is \"{text}\"; use a whole number from 2 to 1000."
                    )));
                }
            },
        };

        let shutdown_timeout = match get("HERALD_SHUTDOWN_TIMEOUT_SECS")? {
            None => Duration::from_secs(30),
            Some(text) => match text.parse::<u64>() {
                Ok(seconds @ 0..=3600) => Duration::from_secs(seconds),
                _ => {
                    return Err(ConfigError(format!(
                        "HERALD_SHUTDOWN_TIMEOUT_SECS is \"{text}\"; use a whole number of seconds from 0 to 3600."
                    )));
                }
            },
        };

        // `cargo leptos watch` runs the server with LEPTOS_SITE_ROOT pointing at the site it keeps
        // rebuilding; the copy embedded at compile time may be older.
        let site_root = match get("HERALD_SITE_ROOT")? {
            Some(dir) => Some(("HERALD_SITE_ROOT", PathBuf::from(dir))),
            None => get("LEPTOS_SITE_ROOT")?.map(|dir| ("LEPTOS_SITE_ROOT", PathBuf::from(dir))),
        };
        if let Some((name, dir)) = site_root.as_ref().filter(|(_, dir)| !dir.is_dir()) {
            return Err(ConfigError(format!(
                "{name} is \"{}\", which is not a directory; point it at the site cargo-leptos builds (target/site) or unset it to use the files built into herald.",
                dir.display()
            )));
        }
        let site_root = site_root.map(|(_, dir)| dir);

        let public_url = match get("HERALD_PUBLIC_URL")? {
            None => None,
            Some(text) => Some(public_url(&text).ok_or_else(|| {
                ConfigError(format!(
                    "HERALD_PUBLIC_URL is \"{text}\"; use the http:// or https:// address this instance is reached at, such as https://status.example.com, with no query or fragment."
                ))
            })?),
        };

        let metrics = match (get("HERALD_METRICS_TOKEN")?, get("HERALD_METRICS_OPEN")?.as_deref()) {
            (Some(token), _) if token.len() < 16 => {
                return Err(ConfigError(
                    "HERALD_METRICS_TOKEN is too short to keep anyone out; use at least 16 random characters.".into(),
                ));
            }
            (Some(token), None | Some("false")) => MetricsAccess::Token(token),
            (None, None | Some("false")) => MetricsAccess::Disabled,
            (None, Some("true")) => MetricsAccess::Open,
            (Some(_), Some("true")) => {
                return Err(ConfigError(
                    "HERALD_METRICS_OPEN=true and HERALD_METRICS_TOKEN are both set; keep the token or open metrics, not both.".into(),
                ));
            }
            (_, Some(other)) => {
                return Err(ConfigError(format!("HERALD_METRICS_OPEN is \"{other}\"; use true or false.")));
            }
        };

        let api_rate_per_minute = match get("HERALD_API_RATE_LIMIT")? {
            None => DEFAULT_API_RATE_PER_MINUTE,
            Some(text) => match text.parse::<u32>() {
                Ok(value @ 1..=1_000_000) => value,
                _ => {
                    return Err(ConfigError(format!(
                        "HERALD_API_RATE_LIMIT is \"{text}\"; use a whole number of requests per minute from 1 to 1000000."
                    )));
                }
            },
        };

        let defaults = MonitoringConfig::default();
        let monitoring = MonitoringConfig {
            min_interval_seconds: number(
                &get,
                "HERALD_MIN_CHECK_INTERVAL_SECONDS",
                1,
                30,
                defaults.min_interval_seconds,
            )?,
            concurrency: number(&get, "HERALD_CHECK_CONCURRENCY", 1, 10_000, defaults.concurrency as u32)? as usize,
            retention_days: number(&get, "HERALD_CHECK_RETENTION_DAYS", 1, 400, defaults.retention_days)?,
            block_private_targets: match get("HERALD_BLOCK_PRIVATE_TARGETS")?
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                None | Some("false" | "0" | "no") => false,
                Some("true" | "1" | "yes") => true,
                Some(other) => {
                    return Err(ConfigError(format!(
                        "HERALD_BLOCK_PRIVATE_TARGETS is \"{other}\"; use true or false."
                    )));
                }
            },
            dns_servers: match get("HERALD_DNS_SERVERS")? {
                None => Vec::new(),
                Some(list) => dns_servers(&list)?,
            },
        };

        let notifications = NotificationConfig::from_settings(&get, &database, monitoring.block_private_targets)?;

        Ok(Config {
            notifications,
            monitoring,
            listen,
            database,
            log_filter: get("HERALD_LOG")?.unwrap_or_else(|| DEFAULT_LOG_FILTER.to_owned()),
            log_format,
            site_root,
            max_connections,
            shutdown_timeout,
            public_url,
            metrics,
            api_rate_per_minute,
        })
    }

    /// The public address: as configured, else the listening address over plain HTTP.
    pub fn public_url_or(&self, listening: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{listening}"))
    }
}

/// A whole number from `min` to `max`, or `default` when unset.
fn number<G>(get: &G, name: &str, min: u32, max: u32, default: u32) -> Result<u32, ConfigError>
where
    G: Fn(&str) -> Result<Option<String>, ConfigError>,
{
    match get(name)? {
        None => Ok(default),
        Some(text) => match text.trim().parse::<u32>() {
            Ok(value) if (min..=max).contains(&value) => Ok(value),
            _ => Err(ConfigError(format!("{name} is \"{text}\"; use a whole number from {min} to {max}."))),
        },
    }
}

/// `HERALD_DNS_SERVERS`: comma-separated IP addresses, each with an optional port (53 if not
/// given; an IPv6 address with a port in brackets, `[fd00::53]:5353`).
fn dns_servers(list: &str) -> Result<Vec<SocketAddr>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<SocketAddr>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
                .map_err(|_| {
                    ConfigError(format!(
                        "HERALD_DNS_SERVERS has \"{entry}\"; list IP addresses, each with an optional port, such as 10.0.0.2, 10.0.0.3:5353."
                    ))
                })
        })
        .collect()
}

/// A public base address, normalised without its trailing slash; `None` when it is not an
/// absolute http(s) address or carries a query, fragment or credentials.
fn public_url(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let acceptable = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    acceptable.then(|| url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned().ok_or((name.to_owned(), std::env::VarError::NotPresent)))
    }

    #[test]
    fn defaults_need_no_configuration() {
        let config = config(&[]).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
        assert!(matches!(config.database, DatabaseTarget::Sqlite { .. }));
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.shutdown_timeout, Duration::from_secs(30));
        assert!(config.site_root.is_none());
    }

    #[test]
    fn every_bad_value_is_named_with_a_way_to_fix_it() {
        let cases: &[(&str, &str, &str)] = &[
            ("HERALD_LISTEN", "localhost", "IP:port"),
            ("HERALD_LISTEN", "127.0.0.1:99999", "not an address"),
            ("HERALD_LOG_FORMAT", "yaml", "text or json"),
            ("HERALD_DATABASE_MAX_CONNECTIONS", "1", "from 2 to 1000"),
            ("HERALD_DATABASE_MAX_CONNECTIONS", "many", "from 2 to 1000"),
            ("HERALD_SHUTDOWN_TIMEOUT_SECS", "-5", "from 0 to 3600"),
            ("HERALD_SITE_ROOT", "/definitely/not/here", "not a directory"),
            ("DATABASE_URL", "mysql://localhost/herald", "sqlite://"),
            ("HERALD_PUBLIC_URL", "status.example.com", "https://"),
            ("HERALD_PUBLIC_URL", "ftp://status.example.com", "https://"),
            ("HERALD_PUBLIC_URL", "https://status.example.com/?x=1", "no query"),
            ("HERALD_METRICS_TOKEN", "short", "at least 16"),
            ("HERALD_MIN_CHECK_INTERVAL_SECONDS", "0", "from 1 to 30"),
            ("HERALD_MIN_CHECK_INTERVAL_SECONDS", "60", "from 1 to 30"),
            ("HERALD_CHECK_CONCURRENCY", "lots", "from 1 to 10000"),
            ("HERALD_CHECK_RETENTION_DAYS", "0", "from 1 to 400"),
            ("HERALD_BLOCK_PRIVATE_TARGETS", "maybe", "true or false"),
            ("HERALD_DNS_SERVERS", "10.0.0.1, dns.example.com", "IP address"),
            ("HERALD_DNS_SERVERS", "10.0.0.1:99999", "IP address"),
            ("HERALD_METRICS_OPEN", "yes", "true or false"),
        ];
        for (name, value, hint) in cases {
            let error = config(&[(name, value)]).unwrap_err().to_string();
            assert!(error.contains(name), "{name}={value}: {error}");
            assert!(error.contains(hint), "{name}={value}: {error}");
        }
    }

    #[test]
    fn cargo_leptos_site_root_is_the_fallback() {
        let dir = std::env::temp_dir();
        let dir_text = dir.to_string_lossy().into_owned();
        let from_leptos = config(&[("LEPTOS_SITE_ROOT", &dir_text)]).unwrap();
        assert_eq!(from_leptos.site_root.as_deref(), Some(dir.as_path()));
        let explicit = config(&[("LEPTOS_SITE_ROOT", "/nonexistent"), ("HERALD_SITE_ROOT", &dir_text)]).unwrap();
        assert_eq!(explicit.site_root.as_deref(), Some(dir.as_path()), "HERALD_SITE_ROOT wins");
    }

    #[test]
    fn blank_values_mean_the_default() {
        let config = config(&[("HERALD_LISTEN", "  "), ("HERALD_LOG_FORMAT", "")]).unwrap();
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.log_format, LogFormat::Text);
    }

    #[test]
    fn good_values_are_taken() {
        let config = config(&[
            ("HERALD_LISTEN", "0.0.0.0:8080"),
            ("HERALD_LOG_FORMAT", "JSON"),
            ("HERALD_DATABASE_MAX_CONNECTIONS", "20"),
            ("HERALD_SHUTDOWN_TIMEOUT_SECS", "5"),
            ("DATABASE_URL", "postgres://herald@db.internal:5433/herald"),
        ])
        .unwrap();
        assert_eq!(config.listen.to_string(), "0.0.0.0:8080");
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(config.max_connections, 20);
        assert_eq!(config.shutdown_timeout, Duration::from_secs(5));
        assert!(matches!(config.database, DatabaseTarget::Postgres { .. }));
        let dns = config_with_dns("10.0.0.2, 10.0.0.3:5353,[fd00::53]:5353, fd00::54");
        let dns: Vec<String> = dns.iter().map(ToString::to_string).collect();
        assert_eq!(dns, ["10.0.0.2:53", "10.0.0.3:5353", "[fd00::53]:5353", "[fd00::54]:53"]);
    }

    fn config_with_dns(list: &str) -> Vec<SocketAddr> {
        config(&[("HERALD_DNS_SERVERS", list)]).unwrap().monitoring.dns_servers
    }

    #[test]
    fn metrics_are_off_unless_asked_for() {
        assert_eq!(config(&[]).unwrap().metrics, MetricsAccess::Disabled);
        assert_eq!(config(&[("HERALD_METRICS_OPEN", "true")]).unwrap().metrics, MetricsAccess::Open);
        let token = config(&[("HERALD_METRICS_TOKEN", "0123456789abcdef")]).unwrap();
        assert_eq!(token.metrics, MetricsAccess::Token("0123456789abcdef".into()));
        assert!(config(&[("HERALD_METRICS_TOKEN", "0123456789abcdef"), ("HERALD_METRICS_OPEN", "true")]).is_err());
    }

    #[test]
    fn the_public_address_loses_its_trailing_slash_and_defaults_to_the_listener() {
        let configured = config(&[("HERALD_PUBLIC_URL", "https://Status.Example.com/")]).unwrap();
        assert_eq!(configured.public_url.as_deref(), Some("https://status.example.com"));
        let listening: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        assert_eq!(configured.public_url_or(listening), "https://status.example.com");
        let under_a_path = config(&[("HERALD_PUBLIC_URL", "https://example.com/status/")]).unwrap();
        assert_eq!(under_a_path.public_url.as_deref(), Some("https://example.com/status"));
        assert_eq!(config(&[]).unwrap().public_url_or(listening), "http://127.0.0.1:4000");
    }
}
