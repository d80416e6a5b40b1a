//! Fan-out benchmark: one incident update to N confirmed email subscribers and M webhooks,
//! delivered by a real `herald serve` process (the release binary) through SMTP and HTTP to
//! sinks in this process, so Herald's CPU and memory are its own. Reports, from one run: the
//! time from the update being committed to the last delivery recorded, deliveries per second,
//! Herald's CPU (% of one core) and peak RSS, and what the sinks received.
//!
//!   HERALD_BIN=target/release/herald cargo bench -p server --bench fan_out
//!   BENCH_EMAILS=100000 BENCH_WEBHOOKS=1000 (the defaults)
//! `benches/notifications.sh` builds what it needs and keeps the report.

// A harness, like a test: a set-up that fails stops it with the reason.
#![allow(clippy::expect_used)]

use app::ssr::entities::{notification_outbox, subscribers};
use app::ssr::incidents::{self, Author, OpenIncident};
use app::ssr::keyring::Keyring;
use chrono::Utc;
use herald::{ComponentStatus, Impact, IncidentSource, IncidentStatus};
use herald_server::config::Config;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const SECRET: &str = "benchmark-secret-key-0123456789abcdefghij";

fn number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

#[derive(Default)]
struct Counts {
    emails: AtomicU64,
    webhooks: AtomicU64,
}

/// Accepts mail as fast as it comes: a minimal SMTP server (the same protocol lettre speaks to
/// any server), counting messages.
async fn smtp_sink(counts: Arc<Counts>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the SMTP sink");
    let port = listener.local_addr().expect("an address").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let counts = counts.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut line = String::new();
                let mut in_data = false;
                loop {
                    line.clear();
                    match lines.read_line(&mut line).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let reply: &[u8] = if in_data {
                        if line != ".\r\n" {
                            continue;
                        }
                        in_data = false;
                        counts.emails.fetch_add(1, Ordering::Relaxed);
                        b"250 queued\r\n"
                    } else {
                        let command = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                        match command.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "DATA" => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                return;
                            }
                            _ => b"250 OK\r\n",
                        }
                    };
                    if write.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

async fn http_sink(counts: Arc<Counts>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the webhook sink");
    let port = listener.local_addr().expect("an address").port();
    let app = axum::Router::new().fallback(move || {
        let counts = counts.clone();
        async move {
            counts.webhooks.fetch_add(1, Ordering::Relaxed);
            "ok"
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    port
}

async fn seed(db: &DatabaseConnection, emails: usize, webhooks: usize, webhook_port: u16) -> (i64, i64) {
    let organization = herald_server_support::organization(db).await;
    let keyring = Keyring::from_secret(SECRET);
    let now = Utc::now();
    let sealed = keyring.seal(&herald::encode_secret(&[9u8; 24]));
    let rows = (0..emails + webhooks).map(|number| {
        let webhook = number >= emails;
        subscribers::ActiveModel {
            organization_id: Set(organization.0),
            channel: Set(if webhook { "webhook" } else { "email" }.into()),
            target: Set(if webhook {
                format!("http://127.0.0.1:{webhook_port}/hook/{number}")
            } else {
                format!("reader{number}@example.com")
            }),
            secret_ciphertext: Set(webhook.then(|| sealed.clone())),
            topic: Set("all".into()),
            locale: Set("en".into()),
            confirmed_at: Set(Some(now)),
            confirmation_token_hash: Set(None),
            confirmation_sent_at: Set(None),
            manage_token_hash: Set(format!("bench-{number}")),
            source: Set("import".into()),
            failing_since: Set(None),
            disabled_at: Set(None),
            disabled_reason: Set(None),
            last_delivery_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    });
    let rows: Vec<_> = rows.collect();
    for chunk in rows.chunks(1000) {
        subscribers::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await.expect("insert subscribers");
    }
    organization
}

mod herald_server_support {
    use app::ssr::entities::{components, organizations};
    use chrono::Utc;
    use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

    /// An organization with one component: (organization id, component id).
    pub async fn organization(db: &DatabaseConnection) -> (i64, i64) {
        let now = Utc::now();
        let organization = organizations::ActiveModel {
            slug: Set("bench".into()),
            name: Set("Bench Inc".into()),
            default_locale: Set("en".into()),
            time_zone: Set("UTC".into()),
            listed: Set(true),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert an organization");
        let component = components::ActiveModel {
            organization_id: Set(organization.id),
            key: Set("api".into()),
            name: Set("API".into()),
            status: Set("operational".into()),
            status_source: Set("manual".into()),
            status_changed_at: Set(now),
            position: Set(0),
            showcase: Set(true),
            only_show_if_degraded: Set(false),
            show_uptime: Set(true),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert a component");
        (organization.id, component.id)
    }
}

/// CPU seconds (user + system) and resident memory (KiB) of a process, from /proc.
fn usage(pid: u32) -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status.lines().find(|line| line.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some((ticks / 100.0, rss))
}

struct Herald(Child);

impl Drop for Herald {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() {
    let emails = number("BENCH_EMAILS", 100_000);
    let webhooks = number("BENCH_WEBHOOKS", 1_000);
    let concurrency = number("BENCH_CONCURRENCY", 64);
    let herald = std::env::var("HERALD_BIN").unwrap_or_else(|_| "target/release/herald".into());
    let dir = tempfile::tempdir().expect("a scratch directory");
    let database_url = format!("sqlite://{}", dir.path().join("herald.db").display());

    let counts = Arc::new(Counts::default());
    let smtp_port = smtp_sink(counts.clone()).await;
    let http_port = http_sink(counts.clone()).await;

    eprintln!("seeding {emails} email and {webhooks} webhook subscribers");
    let lookup = |name: &str| -> Result<String, (String, std::env::VarError)> {
        match name {
            "DATABASE_URL" => Ok(database_url.clone()),
            _ => Err((name.to_owned(), std::env::VarError::NotPresent)),
        }
    };
    let config = Config::from_lookup(lookup).expect("a configuration");
    let db = herald_server::application::open_database(&config).await.expect("open the database");
    let (organization_id, component_id) = seed(&db, emails, webhooks, http_port).await;

    let listen =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|socket| socket.local_addr()).expect("a free port");
    let child = Command::new(&herald)
        .arg("serve")
        .env("DATABASE_URL", &database_url)
        .env("HERALD_LISTEN", listen.to_string())
        .env("HERALD_LOG", "warn")
        .env("HERALD_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("HERALD_MAIL_FROM", "Bench Status <status@bench.test>")
        .env("HERALD_SECRET_KEY", SECRET)
        .env("HERALD_DELIVERY_CONCURRENCY", concurrency.to_string())
        .spawn()
        .unwrap_or_else(|error| panic!("start {herald} ({error}); build it first"));
    let herald = Herald(child);
    let pid = herald.0.id();
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client.get(format!("http://{listen}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (cpu_before, _) = usage(pid).expect("herald's /proc entry");

    let request = OpenIncident {
        name: "Elevated error rates".into(),
        impact: Impact::Major,
        status: IncidentStatus::Investigating,
        message: "We are investigating elevated error rates on the API.".into(),
        components: vec![(component_id, ComponentStatus::PartialOutage)],
        notify_subscribers: true,
        started_at: None,
        source: IncidentSource::Manual,
        external_key: None,
        author: Author::system("Benchmark"),
    };
    incidents::open(&db, None, organization_id, request, Utc::now()).await.expect("open the incident");
    let committed = Instant::now();

    // incident.created reaches everyone; component.status_changed the webhooks too.
    let expected = (emails + 2 * webhooks) as u64;
    let mut peak_rss = 0;
    let mut last_report = Instant::now();
    let finished = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Some((_, rss)) = usage(pid) {
            peak_rss = peak_rss.max(rss);
        }
        let delivered = counts.emails.load(Ordering::Relaxed) + counts.webhooks.load(Ordering::Relaxed);
        if delivered >= expected {
            let open = notification_outbox::Entity::find()
                .filter(notification_outbox::Column::State.ne("sent"))
                .count(&db)
                .await
                .expect("count open deliveries");
            if open == 0 {
                break committed.elapsed();
            }
        }
        if last_report.elapsed() > Duration::from_secs(5) {
            last_report = Instant::now();
            eprintln!("  {delivered} of {expected} delivered after {:.0} s", committed.elapsed().as_secs_f64());
        }
        if committed.elapsed() > Duration::from_secs(1800) {
            panic!("not delivered within 30 minutes ({delivered} of {expected})");
        }
    };
    let (cpu_after, _) = usage(pid).expect("herald's /proc entry");
    let seconds = finished.as_secs_f64();
    let delivered = counts.emails.load(Ordering::Relaxed) + counts.webhooks.load(Ordering::Relaxed);
    let failed = subscribers::Entity::find()
        .filter(subscribers::Column::FailingSince.is_not_null())
        .count(&db)
        .await
        .unwrap_or(0);
    println!(
        "| one incident update fanned out ({emails} emails, {webhooks} webhooks, concurrency {concurrency}) | measured |"
    );
    println!("| --- | ---: |");
    println!("| deliveries expected / received by the sinks | {expected} / {delivered} |");
    println!("| time from the update committed to the last delivery recorded | {seconds:.1} s |");
    println!("| deliveries per second | {:.0} |", expected as f64 / seconds);
    println!("| Herald CPU, % of one core (during the fan-out) | {:.0} |", (cpu_after - cpu_before) / seconds * 100.0);
    println!("| Herald peak RSS (sampled every 100 ms) | {} MiB |", peak_rss / 1024);
    println!("| subscribers with a failed attempt | {failed} |");
    drop(herald);
}
