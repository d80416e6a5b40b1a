//! Looking at targets: HTTP(S), TCP and DNS, each bounded in time and in what it reads, so a
//! target that hangs, trickles or sends gigabytes costs one timeout and a failure with its
//! reason, never a stuck worker.

use app::ssr::monitoring::{Observation, Probe, missed_heartbeat};
use chrono::Utc;
use herald::{
    CheckOutcome, CheckTarget, DnsTarget, HttpTarget, MAX_BODY_BYTES, ReadBody, TcpTarget, Verdict, is_private_address,
    judge_certificate, judge_dns, judge_http, worse,
};
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::proto::xfer::Protocol;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a check without a keyword still reads of a body, so its connection can be reused.
const DRAIN_BYTES: usize = 64 * 1024;
const MAX_REDIRECTS: usize = 10;

/// Resolves names for HTTP checks, refusing private addresses when asked to; because
/// every connection (redirects included) resolves through it, a name that changes its
/// answer after validation still cannot reach a private address.
#[derive(Clone)]
pub(crate) struct GuardedResolver {
    pub(crate) block_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let block_private = self.block_private;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed = allowed_addresses(found, block_private)
                .map_err(|message| -> Box<dyn std::error::Error + Send + Sync> { message.into() })?;
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

fn allowed_addresses(found: Vec<SocketAddr>, block_private: bool) -> Result<Vec<SocketAddr>, String> {
    if found.is_empty() {
        return Err("the name has no addresses".into());
    }
    if !block_private {
        return Ok(found);
    }
    let public: Vec<SocketAddr> = found.iter().copied().filter(|address| !is_private_address(address.ip())).collect();
    if public.is_empty() {
        return Err(format!(
            "it resolves only to private addresses ({}), which HERALD_BLOCK_PRIVATE_TARGETS forbids",
            found.iter().map(|address| address.ip().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(public)
}

/// Probes targets; one per server, shared by every check so HTTP connections are reused.
pub struct Prober {
    /// Indexed by (follow redirects, verify TLS).
    clients: [reqwest::Client; 4],
    dns: Option<TokioResolver>,
    block_private: bool,
}

pub(crate) fn private_literal(url: &reqwest::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
    .filter(|address| is_private_address(*address))
}

fn client(follow_redirects: bool, verify_tls: bool, block_private: bool) -> reqwest::Client {
    let redirects = if follow_redirects {
        reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if block_private && let Some(address) = private_literal(attempt.url()) {
                attempt.error(format!(
                    "it redirects to the private address {address}, which HERALD_BLOCK_PRIVATE_TARGETS forbids"
                ))
            } else {
                attempt.follow()
            }
        })
    } else {
        reqwest::redirect::Policy::none()
    };
    reqwest::Client::builder()
        .user_agent(concat!("Herald-Monitor/", env!("CARGO_PKG_VERSION")))
        .redirect(redirects)
        .danger_accept_invalid_certs(!verify_tls)
        .dns_resolver(Arc::new(GuardedResolver { block_private }))
        // The peer's certificate, for the expiry warning.
        .tls_info(true)
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(32)
        .connect_timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|error| {
            tracing::error!(%error, "building the monitoring HTTP client failed; using defaults");
            reqwest::Client::new()
        })
}

/// The innermost cause of an error: what a person can act on ("Connection refused").
pub(crate) fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// Whether TLS itself failed (a bad certificate, a server that does not speak TLS), as
/// opposed to the connection under it. rustls reaches us wrapped in I/O and client errors
/// that hide its type, so its messages are recognised instead.
fn is_tls_failure(cause: &str) -> bool {
    const TLS_MESSAGES: [&str; 7] = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "peer is incompatible",
        "alert received",
        "peer misbehaved",
    ];
    let lower = cause.to_ascii_lowercase();
    TLS_MESSAGES.iter().any(|message| lower.contains(message))
}

fn describe_http_error(error: &reqwest::Error, timeout: Duration) -> String {
    let cause = root_cause(error);
    if error.is_timeout() {
        return format!("No complete answer within {} ms.", timeout.as_millis());
    }
    if error.is_redirect() {
        return format!("Redirect refused: {cause}.");
    }
    if is_tls_failure(&cause) {
        return format!("TLS error: {cause}.");
    }
    if error.is_connect() {
        return format!("Could not connect: {cause}.");
    }
    format!("Request failed: {cause}.")
}

impl Prober {
    /// `dns_servers`: what DNS checks ask (UDP, then TCP); empty for the system's resolvers.
    pub fn new(block_private: bool, dns_servers: &[SocketAddr]) -> Prober {
        let builder = if dns_servers.is_empty() {
            TokioResolver::builder_tokio()
        } else {
            let servers: Vec<NameServerConfig> = dns_servers
                .iter()
                .flat_map(|&server| {
                    [Protocol::Udp, Protocol::Tcp].map(|protocol| NameServerConfig::new(server, protocol))
                })
                .collect();
            let config = ResolverConfig::from_parts(None, Vec::new(), servers);
            Ok(TokioResolver::builder_with_config(config, TokioConnectionProvider::default()))
        };
        let dns = match builder {
            Ok(mut builder) => {
                // A check asks each time: an answer cached for its TTL would hide a change.
                builder.options_mut().cache_size = 0;
                Some(builder.build())
            }
            Err(error) => {
                tracing::warn!(%error, "no system DNS configuration: DNS checks will fail with this reason");
                None
            }
        };
        Prober {
            clients: [
                client(false, false, block_private),
                client(false, true, block_private),
                client(true, false, block_private),
                client(true, true, block_private),
            ],
            dns,
            block_private,
        }
    }

    pub async fn probe(&self, probe: &Probe) -> Observation {
        match &probe.target {
            CheckTarget::Http(http) => self.http(http, probe).await,
            CheckTarget::Tcp(tcp) => self.tcp(tcp, probe).await,
            CheckTarget::Dns(dns) => self.dns(dns, probe).await,
            CheckTarget::Heartbeat(_) => missed_heartbeat(probe, Utc::now()),
        }
    }

    async fn http(&self, http: &HttpTarget, probe: &Probe) -> Observation {
        let failed = |reason: String| Observation {
            outcome: CheckOutcome::Down,
            latency_ms: None,
            status_code: None,
            error: Some(reason),
        };
        let Ok(url) = reqwest::Url::parse(&http.url) else {
            return failed(format!("\"{}\" is not a valid address.", http.url));
        };
        if self.block_private
            && let Some(address) = private_literal(&url)
        {
            return failed(format!("{address} is a private address, which HERALD_BLOCK_PRIVATE_TARGETS forbids."));
        }
        let client = &self.clients[usize::from(http.follow_redirects) * 2 + usize::from(http.verify_tls)];
        let method = reqwest::Method::from_bytes(http.method.as_str().as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut request = client.request(method, url).timeout(probe.timeout);
        for (name, value) in &http.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &http.body {
            request = request.body(body.clone());
        }
        let started = Instant::now();
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(error) => return failed(describe_http_error(&error, probe.timeout)),
        };
        let latency = started.elapsed();
        let status = response.status().as_u16();
        let certificate_expiry = response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(|info| info.peer_certificate())
            .and_then(certificate_not_after);
        let wants_body = http.body_contains.is_some() || http.body_not_contains.is_some();
        let limit = if wants_body { MAX_BODY_BYTES } else { DRAIN_BYTES };
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = limit - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if chunk.len() >= room {
                        // Enough: the rest is never downloaded.
                        truncated = true;
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) if wants_body => {
                    let mut observation = failed(describe_http_error(&error, probe.timeout));
                    observation.status_code = Some(status);
                    return observation;
                }
                // The verdict does not need the body; a broken tail costs only the connection.
                Err(_) => break,
            }
        }
        let text = String::from_utf8_lossy(&body);
        let read = wants_body.then_some(ReadBody { text: &text, truncated });
        let answered = judge_http(http, status, read, latency, probe.degraded_after);
        let certificate = certificate_expiry
            .and_then(|not_after| judge_certificate(not_after, Utc::now(), http.certificate_expiry_days));
        let Verdict { outcome, error } = worse(answered, certificate);
        Observation { outcome, latency_ms: Some(millis(latency)), status_code: Some(status), error }
    }

    async fn tcp(&self, tcp: &TcpTarget, probe: &Probe) -> Observation {
        let started = Instant::now();
        let attempt = async {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((tcp.host.as_str(), tcp.port))
                .await
                .map_err(|error| format!("Could not resolve {}: {error}.", tcp.host))?
                .collect();
            let addresses = allowed_addresses(found, self.block_private)
                .map_err(|reason| format!("Cannot check {}: {reason}.", tcp.host))?;
            let mut last_error = String::new();
            for address in addresses {
                match tokio::net::TcpStream::connect(address).await {
                    Ok(_) => return Ok(()),
                    Err(error) => last_error = format!("Could not connect to {address}: {error}."),
                }
            }
            Err(last_error)
        };
        match tokio::time::timeout(probe.timeout, attempt).await {
            Ok(Ok(())) => {
                let latency = started.elapsed();
                let Verdict { outcome, error } = Verdict::answered(latency, probe.degraded_after);
                Observation { outcome, latency_ms: Some(millis(latency)), status_code: None, error }
            }
            Ok(Err(reason)) => {
                Observation { outcome: CheckOutcome::Down, latency_ms: None, status_code: None, error: Some(reason) }
            }
            Err(_) => Observation {
                outcome: CheckOutcome::Down,
                latency_ms: None,
                status_code: None,
                error: Some(format!("No connection within {} ms.", probe.timeout.as_millis())),
            },
        }
    }

    async fn dns(&self, dns: &DnsTarget, probe: &Probe) -> Observation {
        let down = |reason: String| Observation {
            outcome: CheckOutcome::Down,
            latency_ms: None,
            status_code: None,
            error: Some(reason),
        };
        let Some(resolver) = &self.dns else {
            return down("This server has no DNS configuration (/etc/resolv.conf) to ask.".into());
        };
        let record_type = match dns.record_type {
            herald::DnsRecordType::A => RecordType::A,
            herald::DnsRecordType::Aaaa => RecordType::AAAA,
            herald::DnsRecordType::Cname => RecordType::CNAME,
            herald::DnsRecordType::Mx => RecordType::MX,
            herald::DnsRecordType::Txt => RecordType::TXT,
            herald::DnsRecordType::Ns => RecordType::NS,
        };
        let started = Instant::now();
        let lookup = match tokio::time::timeout(probe.timeout, resolver.lookup(dns.host.as_str(), record_type)).await {
            Err(_) => return down(format!("No DNS answer within {} ms.", probe.timeout.as_millis())),
            Ok(Err(error)) if error.is_no_records_found() => {
                return down(format!("No {} record for {}.", dns.record_type, dns.host));
            }
            Ok(Err(error)) => return down(format!("DNS lookup failed: {error}.")),
            Ok(Ok(lookup)) => lookup,
        };
        let latency = started.elapsed();
        let answers: Vec<String> = lookup
            .record_iter()
            .filter(|record| record.record_type() == record_type)
            .map(|record| match record.data() {
                RData::MX(mx) => mx.exchange().to_string(),
                RData::TXT(txt) => txt.txt_data().iter().map(|part| String::from_utf8_lossy(part)).collect(),
                other => other.to_string(),
            })
            .collect();
        let Verdict { outcome, error } = judge_dns(dns, &answers, latency, probe.degraded_after);
        Observation { outcome, latency_ms: Some(millis(latency)), status_code: None, error }
    }
}

/// When a DER certificate stops being valid; `None` when it cannot be read.
fn certificate_not_after(der: &[u8]) -> Option<chrono::DateTime<Utc>> {
    let (_, certificate) = x509_parser::parse_x509_certificate(der).ok()?;
    chrono::DateTime::from_timestamp(certificate.validity().not_after.timestamp(), 0)
}

fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}
