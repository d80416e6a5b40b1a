//! What a check probes and how: its kind and the target settings of that kind, validated into
//! a form the runner can trust. Stored as JSON beside the monitor, sent as JSON by the API.

use crate::string_enum::string_enum;
use crate::values::HttpUrl;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;
use thiserror::Error;

string_enum! {
    /// How a check looks at its target.
    pub enum CheckKind as "check kind" {
        /// An HTTP(S) request whose status code, body and latency are judged.
        Http = "http",
        /// A TCP connection that must be accepted.
        Tcp = "tcp",
        /// A DNS lookup that must answer (with an expected value, when given).
        Dns = "dns",
        /// The target calls Herald: a missed ping after interval + grace is a failure.
        Heartbeat = "heartbeat",
    }
}

string_enum! {
    /// The request method of an HTTP check.
    pub enum HttpMethod as "HTTP method" {
        Get = "GET",
        Head = "HEAD",
        Post = "POST",
        Put = "PUT",
        Patch = "PATCH",
        Delete = "DELETE",
        Options = "OPTIONS",
    }
}

string_enum! {
    /// The DNS record a DNS check asks for.
    pub enum DnsRecordType as "DNS record type" {
        A = "A",
        Aaaa = "AAAA",
        Cname = "CNAME",
        Mx = "MX",
        Txt = "TXT",
        Ns = "NS",
    }
}

/// A refused check setting, naming the field a form or API client should point at.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct CheckError {
    pub field: String,
    pub message: String,
}

impl CheckError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> CheckError {
        CheckError { field: field.into(), message: message.into() }
    }
}

/// An inclusive range of acceptable HTTP status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRange {
    pub min: u16,
    pub max: u16,
}

impl Default for StatusRange {
    fn default() -> StatusRange {
        StatusRange { min: 200, max: 299 }
    }
}

impl StatusRange {
    pub fn contains(self, status: u16) -> bool {
        (self.min..=self.max).contains(&status)
    }
}

const fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpTarget {
    pub url: String,
    #[serde(default = "HttpTarget::default_method")]
    pub method: HttpMethod,
    /// Sent with every request (an `Authorization` header, say).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub expected_status: StatusRange,
    /// The response body must contain this text (a keyword check).
    #[serde(default)]
    pub body_contains: Option<String>,
    /// The response body must not contain this text ("error", "maintenance"…).
    #[serde(default)]
    pub body_not_contains: Option<String>,
    #[serde(default = "yes")]
    pub follow_redirects: bool,
    /// Off only for targets with self-signed certificates; on by default.
    #[serde(default = "yes")]
    pub verify_tls: bool,
    /// An https target whose certificate expires within this many days shows degraded
    /// performance with a warning (0: never warn).
    #[serde(default = "HttpTarget::default_certificate_expiry_days")]
    pub certificate_expiry_days: u32,
}

impl HttpTarget {
    fn default_method() -> HttpMethod {
        HttpMethod::Get
    }

    fn default_certificate_expiry_days() -> u32 {
        14
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TcpTarget {
    pub host: String,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsTarget {
    pub host: String,
    #[serde(default = "DnsTarget::default_record_type")]
    pub record_type: DnsRecordType,
    /// One of the answers must equal this (case-insensitive, trailing dot ignored).
    #[serde(default)]
    pub expected: Option<String>,
}

impl DnsTarget {
    fn default_record_type() -> DnsRecordType {
        DnsRecordType::A
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatTarget {
    /// How late a ping may be before it counts as missed.
    #[serde(default = "HeartbeatTarget::default_grace_seconds")]
    pub grace_seconds: u32,
}

impl HeartbeatTarget {
    fn default_grace_seconds() -> u32 {
        60
    }
}

/// A check's target, one variant per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CheckTarget {
    Http(HttpTarget),
    Tcp(TcpTarget),
    Dns(DnsTarget),
    Heartbeat(HeartbeatTarget),
}

pub const MAX_HEADERS: usize = 30;
pub const MAX_HEADER_VALUE_CHARS: usize = 4096;
pub const MAX_REQUEST_BODY_CHARS: usize = 65_536;
pub const MAX_KEYWORD_CHARS: usize = 1024;
pub const MAX_HOST_CHARS: usize = 253;

impl CheckTarget {
    pub fn kind(&self) -> CheckKind {
        match self {
            CheckTarget::Http(_) => CheckKind::Http,
            CheckTarget::Tcp(_) => CheckKind::Tcp,
            CheckTarget::Dns(_) => CheckKind::Dns,
            CheckTarget::Heartbeat(_) => CheckKind::Heartbeat,
        }
    }

    /// Reads and validates the settings of a check of `kind` from JSON (absent means `{}`).
    /// Errors name the field as `target.<name>`.
    pub fn parse(kind: CheckKind, settings: serde_json::Value) -> Result<CheckTarget, CheckError> {
        fn read<T: serde::de::DeserializeOwned>(settings: serde_json::Value) -> Result<T, CheckError> {
            serde_json::from_value(settings).map_err(|error| {
                let message = error.to_string();
                let field = message
                    .split('`')
                    .nth(1)
                    .filter(|_| message.contains("field"))
                    .map_or_else(|| "target".to_owned(), |name| format!("target.{name}"));
                CheckError::new(field, format!("The check's target settings are not valid: {message}."))
            })
        }
        let settings = match settings {
            serde_json::Value::Null => serde_json::json!({}),
            other => other,
        };
        let target = match kind {
            CheckKind::Http => CheckTarget::Http(read(settings)?),
            CheckKind::Tcp => CheckTarget::Tcp(read(settings)?),
            CheckKind::Dns => CheckTarget::Dns(read(settings)?),
            CheckKind::Heartbeat => CheckTarget::Heartbeat(read(settings)?),
        };
        target.validated()
    }

    /// The settings as stored: only the target's own fields, normalised.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// What the check looks at, in a few words, for lists and incident messages.
    pub fn describe(&self) -> String {
        match self {
            CheckTarget::Http(http) => format!("{} {}", http.method, http.url),
            CheckTarget::Tcp(tcp) => format!("TCP {}:{}", tcp.host, tcp.port),
            CheckTarget::Dns(dns) => format!("DNS {} {}", dns.record_type, dns.host),
            CheckTarget::Heartbeat(_) => "heartbeat".to_owned(),
        }
    }

    fn validated(self) -> Result<CheckTarget, CheckError> {
        match self {
            CheckTarget::Http(http) => validated_http(http).map(CheckTarget::Http),
            CheckTarget::Tcp(tcp) => {
                let host = checked_host("target.host", &tcp.host)?;
                if tcp.port == 0 {
                    return Err(CheckError::new("target.port", "Choose a port from 1 to 65535."));
                }
                Ok(CheckTarget::Tcp(TcpTarget { host, port: tcp.port }))
            }
            CheckTarget::Dns(dns) => {
                let host = checked_host("target.host", &dns.host)?;
                let expected = optional_text("target.expected", dns.expected, MAX_HOST_CHARS)?;
                Ok(CheckTarget::Dns(DnsTarget { host, record_type: dns.record_type, expected }))
            }
            CheckTarget::Heartbeat(heartbeat) => {
                if heartbeat.grace_seconds > 86_400 {
                    return Err(CheckError::new(
                        "target.grace_seconds",
                        "A grace period may be at most a day (86400 seconds).",
                    ));
                }
                Ok(CheckTarget::Heartbeat(heartbeat))
            }
        }
    }
}

fn optional_text(field: &str, text: Option<String>, max_chars: usize) -> Result<Option<String>, CheckError> {
    let Some(text) = text else { return Ok(None) };
    if text.chars().count() > max_chars {
        return Err(CheckError::new(field, format!("This may have at most {max_chars} characters.")));
    }
    Ok((!text.trim().is_empty()).then_some(text))
}

/// A host name or IP address: letters, digits, dots, hyphens, colons (IPv6) and brackets.
fn checked_host(field: &str, host: &str) -> Result<String, CheckError> {
    let host = host.trim();
    if host.is_empty() {
        return Err(CheckError::new(field, "Enter a host name or IP address, such as db.internal or 10.0.0.5."));
    }
    if host.len() > MAX_HOST_CHARS {
        return Err(CheckError::new(field, format!("A host name may have at most {MAX_HOST_CHARS} characters.")));
    }
    if let Some(bad) =
        host.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_' | '[' | ']')))
    {
        return Err(CheckError::new(
            field,
            format!("\"{bad}\" cannot appear in a host name; give only the host (no scheme, path or port)."),
        ));
    }
    Ok(host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase())
}

/// RFC 9110 token characters: what a header name may consist of.
fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn validated_http(http: HttpTarget) -> Result<HttpTarget, CheckError> {
    let url = HttpUrl::parse(&http.url).map_err(|error| CheckError::new("target.url", error.to_string()))?;
    if http.headers.len() > MAX_HEADERS {
        return Err(CheckError::new("target.headers", format!("A check may send at most {MAX_HEADERS} headers.")));
    }
    for (name, value) in &http.headers {
        if !is_token(name) {
            return Err(CheckError::new("target.headers", format!("\"{name}\" is not a valid header name.")));
        }
        if value.chars().count() > MAX_HEADER_VALUE_CHARS || value.contains(['\r', '\n', '\0']) {
            return Err(CheckError::new(
                "target.headers",
                format!(
                    "The value of header \"{name}\" must be one line of at most {MAX_HEADER_VALUE_CHARS} characters."
                ),
            ));
        }
    }
    let body = optional_text("target.body", http.body, MAX_REQUEST_BODY_CHARS)?;
    if body.is_some() && matches!(http.method, HttpMethod::Get | HttpMethod::Head) {
        return Err(CheckError::new(
            "target.body",
            format!("A {} request cannot carry a body; use POST or PUT.", http.method),
        ));
    }
    let StatusRange { min, max } = http.expected_status;
    if !(100..=599).contains(&min) || !(100..=599).contains(&max) || min > max {
        return Err(CheckError::new(
            "target.expected_status",
            "The expected status range must lie within 100–599, with min not above max.",
        ));
    }
    if http.certificate_expiry_days > 365 {
        return Err(CheckError::new(
            "target.certificate_expiry_days",
            "Warn at most 365 days before a certificate expires.",
        ));
    }
    let body_contains = optional_text("target.body_contains", http.body_contains, MAX_KEYWORD_CHARS)?;
    let body_not_contains = optional_text("target.body_not_contains", http.body_not_contains, MAX_KEYWORD_CHARS)?;
    if (body_contains.is_some() || body_not_contains.is_some()) && http.method == HttpMethod::Head {
        return Err(CheckError::new("target.method", "A HEAD response has no body to search; use GET."));
    }
    Ok(HttpTarget { url: url.to_string(), body, body_contains, body_not_contains, ..http })
}

/// Whether an address is one `HERALD_BLOCK_PRIVATE_TARGETS` keeps checks away from:
/// loopback, private, carrier-grade NAT, link-local (cloud metadata lives there), unique-local,
/// unspecified, multicast and broadcast; IPv4 inside IPv6 is judged as IPv4.
pub fn is_private_address(address: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// The settings every kind shares, with the limits the runner needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntervalBounds {
    pub min_seconds: u32,
    pub max_seconds: u32,
}

impl Default for IntervalBounds {
    fn default() -> IntervalBounds {
        IntervalBounds { min_seconds: 30, max_seconds: 3600 }
    }
}

pub const MAX_TIMEOUT_MS: u32 = 60_000;
pub const MIN_TIMEOUT_MS: u32 = 100;

impl IntervalBounds {
    pub fn check_interval(self, seconds: u32) -> Result<Duration, CheckError> {
        if seconds < self.min_seconds || seconds > self.max_seconds {
            return Err(CheckError::new(
                "interval_seconds",
                format!("Choose an interval from {} to {} seconds.", self.min_seconds, self.max_seconds),
            ));
        }
        Ok(Duration::from_secs(u64::from(seconds)))
    }

    /// A timeout must end before the next run is due.
    pub fn check_timeout(self, timeout_ms: u32, interval_seconds: u32) -> Result<Duration, CheckError> {
        let ceiling = MAX_TIMEOUT_MS.min(interval_seconds.saturating_mul(1000));
        if !(MIN_TIMEOUT_MS..=ceiling).contains(&timeout_ms) {
            return Err(CheckError::new(
                "timeout_ms",
                format!(
                    "Choose a timeout from {MIN_TIMEOUT_MS} to {ceiling} milliseconds (no longer than the interval)."
                ),
            ));
        }
        Ok(Duration::from_millis(u64::from(timeout_ms)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(kind: CheckKind, settings: serde_json::Value) -> CheckError {
        match CheckTarget::parse(kind, settings) {
            Err(error) => error,
            Ok(target) => panic!("accepted {target:?}"),
        }
    }

    #[test]
    fn kinds_and_enums_round_trip() {
        crate::string_enum::assert_round_trips(CheckKind::ALL, &["http", "tcp", "dns", "heartbeat"]);
        // Methods and record types are written in capitals, as in their RFCs.
        for method in HttpMethod::ALL {
            assert_eq!(method.as_str().parse(), Ok(*method));
        }
        for record in DnsRecordType::ALL {
            assert_eq!(record.as_str().parse(), Ok(*record));
        }
        assert!("get".parse::<HttpMethod>().is_err());
    }

    #[test]
    fn http_defaults_are_a_careful_get() {
        let Ok(CheckTarget::Http(http)) = CheckTarget::parse(CheckKind::Http, json!({"url": "HTTPS://Example.COM"}))
        else {
            panic!("a bare URL is a valid HTTP check")
        };
        assert_eq!(http.url, "https://example.com/");
        assert_eq!(http.method, HttpMethod::Get);
        assert_eq!(http.expected_status, StatusRange { min: 200, max: 299 });
        assert!(http.follow_redirects && http.verify_tls);
        assert_eq!(http.certificate_expiry_days, 14);
        assert!(http.expected_status.contains(204) && !http.expected_status.contains(301));
    }

    #[test]
    fn http_settings_are_validated_field_by_field() {
        let cases = [
            (json!({}), "target.url"),
            (json!({"url": "ftp://example.com"}), "target.url"),
            (json!({"url": "example.com"}), "target.url"),
            (json!({"url": "https://a.example", "method": "FETCH"}), "target"),
            (json!({"url": "https://a.example", "colour": "red"}), "target.colour"),
            (json!({"url": "https://a.example", "headers": {"Bad Name": "x"}}), "target.headers"),
            (json!({"url": "https://a.example", "headers": {"X-A": "one\r\nX-B: two"}}), "target.headers"),
            (json!({"url": "https://a.example", "body": "x"}), "target.body"),
            (
                json!({"url": "https://a.example", "expected_status": {"min": 300, "max": 200}}),
                "target.expected_status",
            ),
            (json!({"url": "https://a.example", "expected_status": {"min": 99, "max": 200}}), "target.expected_status"),
            (json!({"url": "https://a.example", "method": "HEAD", "body_contains": "ok"}), "target.method"),
            (json!({"url": "https://a.example", "body_contains": "k".repeat(2000)}), "target.body_contains"),
            (json!({"url": "https://a.example", "certificate_expiry_days": 400}), "target.certificate_expiry_days"),
        ];
        for (settings, field) in cases {
            let refused = error(CheckKind::Http, settings.clone());
            assert_eq!(refused.field, field, "{settings}: {}", refused.message);
            assert!(!refused.message.is_empty());
        }
        let many: BTreeMap<String, String> = (0..=MAX_HEADERS).map(|n| (format!("X-{n}"), "v".to_owned())).collect();
        assert_eq!(
            error(CheckKind::Http, json!({"url": "https://a.example", "headers": many})).field,
            "target.headers"
        );
    }

    #[test]
    fn tcp_dns_and_heartbeat_targets() {
        assert_eq!(
            CheckTarget::parse(CheckKind::Tcp, json!({"host": " DB.Internal ", "port": 5432})),
            Ok(CheckTarget::Tcp(TcpTarget { host: "db.internal".into(), port: 5432 }))
        );
        assert_eq!(
            CheckTarget::parse(CheckKind::Tcp, json!({"host": "[::1]", "port": 22})),
            Ok(CheckTarget::Tcp(TcpTarget { host: "::1".into(), port: 22 }))
        );
        assert_eq!(error(CheckKind::Tcp, json!({"host": "db", "port": 0})).field, "target.port");
        assert_eq!(error(CheckKind::Tcp, json!({"host": "db", "port": 70000})).field, "target");
        assert_eq!(error(CheckKind::Tcp, json!({"host": "https://db/x", "port": 1})).field, "target.host");
        assert_eq!(error(CheckKind::Tcp, json!({"port": 1})).field, "target.host");
        let Ok(CheckTarget::Dns(dns)) = CheckTarget::parse(CheckKind::Dns, json!({"host": "example.com"})) else {
            panic!("a host is enough for a DNS check")
        };
        assert_eq!(dns.record_type, DnsRecordType::A);
        assert_eq!(error(CheckKind::Dns, json!({"host": "example.com", "record_type": "SOA"})).field, "target");
        assert_eq!(
            CheckTarget::parse(CheckKind::Heartbeat, serde_json::Value::Null),
            Ok(CheckTarget::Heartbeat(HeartbeatTarget { grace_seconds: 60 }))
        );
        assert_eq!(error(CheckKind::Heartbeat, json!({"grace_seconds": 100_000})).field, "target.grace_seconds");
    }

    #[test]
    fn stored_settings_read_back_the_same() {
        let settings = json!({"url": "https://a.example/health", "method": "POST", "body": "{}",
            "headers": {"Authorization": "Bearer x"}, "body_contains": "ok", "verify_tls": false});
        let target = CheckTarget::parse(CheckKind::Http, settings).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(CheckTarget::parse(CheckKind::Http, target.to_json()), Ok(target.clone()));
        assert_eq!(target.describe(), "POST https://a.example/health");
        assert_eq!(target.kind(), CheckKind::Http);
    }

    #[test]
    fn private_addresses_are_recognised() {
        let private = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "ff02::1",
        ];
        for text in private {
            let address: std::net::IpAddr = text.parse().unwrap_or_else(|_| panic!("{text}"));
            assert!(is_private_address(address), "{text} is private");
        }
        let public = ["8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"];
        for text in public {
            let address: std::net::IpAddr = text.parse().unwrap_or_else(|_| panic!("{text}"));
            assert!(!is_private_address(address), "{text} is public");
        }
    }

    #[test]
    fn intervals_and_timeouts_have_bounds() {
        let bounds = IntervalBounds::default();
        assert!(bounds.check_interval(29).is_err());
        assert_eq!(bounds.check_interval(30), Ok(Duration::from_secs(30)));
        assert!(bounds.check_interval(3601).is_err());
        let test_bounds = IntervalBounds { min_seconds: 1, ..bounds };
        assert!(test_bounds.check_interval(1).is_ok());
        assert_eq!(bounds.check_timeout(10_000, 30), Ok(Duration::from_secs(10)));
        assert_eq!(bounds.check_timeout(50, 30).map_err(|e| e.field), Err("timeout_ms".to_owned()));
        assert!(bounds.check_timeout(2_000, 1).is_err(), "a timeout longer than the interval");
        assert!(bounds.check_timeout(61_000, 3600).is_err());
    }
}
