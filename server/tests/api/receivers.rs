//! Real receivers for notification tests: an SMTP server speaking the protocol over TCP (what
//! lettre talks to in production, not a mock transport) and an HTTP endpoint that records
//! webhook and chat deliveries.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    /// The message as sent: headers, blank line, body.
    pub data: String,
}

impl ReceivedMail {
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        // Unfold continuation lines first.
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }

    /// The body with quoted-printable soft breaks and `=3D` undone, enough to find links.
    pub fn decoded(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }

    /// The first token in the message that starts with `prefix`.
    pub fn token(&self, prefix: &str) -> Option<String> {
        let decoded = self.decoded();
        let start = decoded.find(prefix)?;
        Some(decoded[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect())
    }
}

/// An SMTP server on loopback. `delay` slows each message down (to catch a worker mid-batch);
/// `refuse_next` makes the next messages fail with the given reply.
#[derive(Clone)]
pub struct SmtpSink {
    pub address: SocketAddr,
    pub mails: Arc<Mutex<Vec<ReceivedMail>>>,
    pub delay_ms: Arc<AtomicU64>,
    refusals: Arc<Mutex<Vec<&'static str>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP sink");
        let sink = SmtpSink {
            address: listener.local_addr().expect("an address"),
            mails: Arc::default(),
            delay_ms: Arc::default(),
            refusals: Arc::default(),
        };
        let server = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move {
                    let _ = server.converse(stream).await;
                });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.address)
    }

    /// Answers the next `count` messages with `reply` (such as "451 4.3.0 try later").
    pub fn refuse_next(&self, count: usize, reply: &'static str) {
        self.refusals.lock().expect("refusals").extend(std::iter::repeat_n(reply, count));
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.mails.lock().expect("mails").clone()
    }

    pub fn to(&self, address: &str) -> Vec<ReceivedMail> {
        self.received().into_iter().filter(|mail| mail.to.iter().any(|to| to == address)).collect()
    }

    /// Waits until at least `count` messages arrived to `address` (all addresses when empty).
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<ReceivedMail> {
        for _ in 0..300 {
            let mails = if address.is_empty() { self.received() } else { self.to(address) };
            if mails.len() >= count {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "expected {count} emails to {address:?}, got {}",
            if address.is_empty() { self.received().len() } else { self.to(address).len() }
        );
    }

    async fn converse(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 sink.test ESMTP\r\n").await?;
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_ascii_uppercase();
            if command.starts_with("EHLO") {
                write.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n").await?;
            } else if command.starts_with("HELO") || command.starts_with("NOOP") {
                write.write_all(b"250 OK\r\n").await?;
            } else if command.starts_with("MAIL FROM") {
                to.clear();
                write.write_all(b"250 OK\r\n").await?;
            } else if command.starts_with("RCPT TO") {
                let address = line.trim_end()[8..].trim().trim_start_matches('<').split('>').next().unwrap_or_default();
                to.push(address.to_ascii_lowercase());
                write.write_all(b"250 OK\r\n").await?;
            } else if command == "DATA" {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let delay = self.delay_ms.load(Ordering::Relaxed);
                if delay > 0 {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                }
                let refusal = {
                    let mut refusals = self.refusals.lock().expect("refusals");
                    (!refusals.is_empty()).then(|| refusals.remove(0))
                };
                match refusal {
                    Some(reply) => write.write_all(format!("{reply}\r\n").as_bytes()).await?,
                    None => {
                        self.mails.lock().expect("mails").push(ReceivedMail { to: std::mem::take(&mut to), data });
                        write.write_all(b"250 2.0.0 queued\r\n").await?;
                    }
                }
            } else if command.starts_with("RSET") {
                to.clear();
                write.write_all(b"250 OK\r\n").await?;
            } else if command.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                write.write_all(b"502 5.5.2 not implemented\r\n").await?;
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl ReceivedRequest {
    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// An HTTP receiver answering every POST with `status` (200 unless changed).
#[derive(Clone)]
pub struct HttpReceiver {
    pub address: SocketAddr,
    pub requests: Arc<Mutex<Vec<ReceivedRequest>>>,
    pub status: Arc<AtomicU16>,
}

impl HttpReceiver {
    pub async fn start() -> HttpReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the receiver");
        let receiver = HttpReceiver {
            address: listener.local_addr().expect("an address"),
            requests: Arc::default(),
            status: Arc::new(AtomicU16::new(200)),
        };
        let state = receiver.clone();
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
            let state = state.clone();
            async move {
                state.requests.lock().expect("requests").push(ReceivedRequest {
                    path: uri.path().to_owned(),
                    headers,
                    body,
                });
                StatusCode::from_u16(state.status.load(Ordering::Relaxed)).unwrap_or(StatusCode::OK)
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        receiver
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.requests.lock().expect("requests").clone()
    }

    pub async fn wait_for(&self, path: &str, count: usize) -> Vec<ReceivedRequest> {
        for _ in 0..300 {
            let found: Vec<_> = self.received().into_iter().filter(|request| request.path == path).collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {count} requests to {path}");
    }
}
