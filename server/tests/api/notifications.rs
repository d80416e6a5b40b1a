//! Subscribers and notifications, end to end against real receivers: double opt-in email
//! through an SMTP server, signed webhooks checked the way receivers check them, chat
//! channels, retries and dead letters, reminders, and exactly-once delivery across a worker
//! killed in the middle of a fan-out.

use crate::receivers::{HttpReceiver, SmtpSink};
use crate::support::{self, Backend, TEST_SECRET_KEY, TestApp, insert_organization_with_api};
use app::ssr::entities::{components, events, notification_outbox, subscribers};
use app::ssr::incidents::{self, Author, OpenIncident, UpdateIncident};
use app::ssr::keyring::Keyring;
use app::ssr::notifications::subscriptions::{self, NewSubscription, SubscriptionRules};
use chrono::Utc;
use herald::{ComponentStatus, Impact, IncidentSource, IncidentStatus, Locale, SubscriberChannel, Topic};
use herald_server::notifications::MailTransport;
use herald_server::notifications::channels::Channels;
use herald_server::notifications::mailer::Mailer;
use herald_server::notifications::worker::Notifier;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::sync::atomic::Ordering;
use std::time::Duration;

macro_rules! with_receivers {
    ($name:ident, |$app:ident, $sink:ident, $receiver:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: TestApp, $sink: SmtpSink, $receiver: HttpReceiver) {
                $body.await
            }

            async fn run(backend: Backend) {
                let sink = SmtpSink::start().await;
                let receiver = HttpReceiver::start().await;
                let (url, telegram) = (sink.url(), receiver.url("/telegram"));
                let app = support::spawn_app_with(backend, |config| {
                    config.notifications.mail = MailTransport::Smtp { url };
                    config.notifications.telegram_api_url = telegram;
                    config.notifications.mail_from = "Acme Status <status@acme.test>".into();
                })
                .await;
                match app {
                    Some(app) => body(app, sink, receiver).await,
                    None => eprintln!("skipped: set {} to run this test on PostgreSQL", support::POSTGRES_ENV),
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run(Backend::Postgres).await
            }
        }
    };
}

pub async fn api_component(db: &DatabaseConnection, organization_id: i64) -> components::Model {
    components::Entity::find()
        .filter(components::Column::OrganizationId.eq(organization_id))
        .filter(components::Column::Key.eq("api"))
        .one(db)
        .await
        .expect("query components")
        .expect("the api component")
}

async fn open_incident(app: &TestApp, organization_id: i64, component_id: i64, name: &str) -> i64 {
    let request = OpenIncident {
        name: name.into(),
        impact: Impact::Major,
        status: IncidentStatus::Investigating,
        message: "We are looking into **errors**.".into(),
        components: vec![(component_id, ComponentStatus::PartialOutage)],
        notify_subscribers: true,
        started_at: None,
        source: IncidentSource::Manual,
        external_key: None,
        author: Author::system("Test"),
    };
    incidents::open(&app.db, None, organization_id, request, Utc::now()).await.expect("open an incident").id
}

async fn post_update(app: &TestApp, organization_id: i64, incident_id: i64, status: IncidentStatus, notify: bool) {
    let request = UpdateIncident {
        status,
        message: format!("Now {}.", status.as_str()),
        components: Vec::new(),
        notify_subscribers: notify,
        at: None,
        author: Author::system("Test"),
    };
    incidents::post_update(&app.db, None, organization_id, incident_id, request, Utc::now())
        .await
        .expect("post an update");
}

/// Waits until every recorded event has been fanned out.
async fn fanned_out(db: &DatabaseConnection) {
    for _ in 0..200 {
        let waiting =
            events::Entity::find().filter(events::Column::FannedOutAt.is_null()).count(db).await.expect("count");
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("events were not fanned out");
}

async fn latest_event_id(db: &DatabaseConnection) -> i64 {
    events::Entity::find().order_by_desc(events::Column::Id).one(db).await.expect("query").expect("an event").id
}

async fn submit(app: &TestApp, path: &str, body: &str) -> (u16, String) {
    let response = app
        .client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .expect("the server answers");
    (response.status().as_u16(), response.text().await.expect("a body"))
}

async fn subscriber(db: &DatabaseConnection, target: &str) -> Option<subscribers::Model> {
    subscribers::Entity::find().filter(subscribers::Column::Target.eq(target)).one(db).await.expect("query")
}

with_receivers!(email_double_opt_in_delivers_and_one_click_unsubscribes, |app, sink, _receiver| async move {
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app.db, organization.id).await;

    let (status, page) = submit(&app, "/s/acme/subscribe", "channel=email&email=Ada%40Example.com&topic=all").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Check your inbox") && page.contains("ada@example.com"), "{page}");
    let confirmation = sink.wait_for("ada@example.com", 1).await.remove(0);
    assert!(confirmation.header("Subject").unwrap_or_default().contains("Confirm your subscription"));
    let token = confirmation.token("hrlc_").expect("a confirmation token in the email");

    // Unconfirmed: an incident reaches nobody.
    let incident = open_incident(&app, organization.id, api.id, "Errors on sign-in").await;
    fanned_out(&app.db).await;
    let queued = notification_outbox::Entity::find()
        .filter(notification_outbox::Column::Purpose.eq("event"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(queued, 0, "an unconfirmed address hears nothing");

    // The link opens a page with a button (so link scanners confirm nothing); the button confirms.
    let (status, page) = app.get_text(&format!("/subscriptions/confirm?token={token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm subscription"));
    assert!(subscriber(&app.db, "ada@example.com").await.expect("subscribed").confirmed_at.is_none());
    let (status, page) = submit(&app, "/subscriptions/confirm", &format!("token={token}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("You are subscribed"));
    let (status, _) = submit(&app, "/subscriptions/confirm", &format!("token={token}")).await;
    assert_eq!(status, 404, "a used link is spent");
    let (status, _) = submit(&app, "/subscriptions/confirm", "token=hrlc_forged").await;
    assert_eq!(status, 404);

    post_update(&app, organization.id, incident, IncidentStatus::Identified, true).await;
    let mails = sink.wait_for("ada@example.com", 2).await;
    let update = &mails[1];
    let event = latest_event_id(&app.db).await;
    let subscriber_row = subscriber(&app.db, "ada@example.com").await.expect("subscribed");
    assert_eq!(update.header("Subject").as_deref(), Some("[acme Inc] Update: Errors on sign-in"));
    assert_eq!(update.header("Message-ID"), Some(format!("<evt_{event}_{}@acme.test>", subscriber_row.id)));
    assert!(update.header("Content-Type").unwrap_or_default().starts_with("multipart/alternative"));
    assert!(update.data.contains("text/plain") && update.data.contains("text/html"));
    let body = update.decoded();
    assert!(body.contains("Now identified.") && body.contains("Their API"), "{body}");
    assert_eq!(update.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let manage = Keyring::from_secret(TEST_SECRET_KEY).manage_token(subscriber_row.id, subscriber_row.created_at);
    let unsubscribe = update.header("List-Unsubscribe").expect("a List-Unsubscribe header");
    assert_eq!(unsubscribe, format!("<{}>", app.url(&format!("/subscriptions/unsubscribe?token={manage}"))));

    // An update posted without notifying reaches nobody.
    post_update(&app, organization.id, incident, IncidentStatus::Monitoring, false).await;
    fanned_out(&app.db).await;
    let event = latest_event_id(&app.db).await;
    let queued = notification_outbox::Entity::find()
        .filter(notification_outbox::Column::EventId.eq(event))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(queued, 0);

    // The preferences page is reached by the token in every message.
    let (status, page) = app.get_text(&format!("/subscriptions/manage?token={manage}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("ada@example.com") && page.contains("Their API"));

    // One click, as a mail client sends it (RFC 8058).
    let response = app
        .client
        .post(app.url(&format!("/subscriptions/unsubscribe?token={manage}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 200);
    assert!(subscriber(&app.db, "ada@example.com").await.is_none());
    let (status, _) = app.get_text(&format!("/subscriptions/manage?token={manage}")).await;
    assert_eq!(status, 404);
    post_update(&app, organization.id, incident, IncidentStatus::Resolved, true).await;
    fanned_out(&app.db).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.to("ada@example.com").len(), 2, "nothing after unsubscribing");
});

with_receivers!(subscribing_refuses_bad_input_and_counts_a_repeat_once, |app, sink, _receiver| async move {
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let (status, page) = submit(&app, "/s/acme/subscribe", "channel=email&email=not-an-address").await;
    assert_eq!(status, 422);
    assert!(page.contains("needs an @"), "{page}");
    assert!(page.contains("value=\"not-an-address\""), "the form keeps what was typed");
    let (status, page) = submit(&app, "/s/acme/subscribe", "channel=email&email=a%40mailinator.com").await;
    assert_eq!(status, 422);
    assert!(page.contains("throwaway"), "{page}");
    let (status, page) =
        submit(&app, "/s/acme/subscribe", "channel=email&email=a%40example.com&components=999999").await;
    assert_eq!(status, 422);
    assert!(page.contains("does not exist"), "{page}");
    let (status, _) = submit(&app, "/s/acme/subscribe", "channel=email&email=a%40example.com&topic=everything").await;
    assert_eq!(status, 422);
    let (status, page) = submit(&app, "/s/acme/subscribe", "channel=webhook&url=ftp%3A%2F%2Fexample.com").await;
    assert_eq!(status, 422, "{page}");
    let (status, page) = submit(&app, "/s/acme/subscribe", "channel=telegram&chat_id=12345&bot_token=nope").await;
    assert_eq!(status, 422);
    assert!(page.contains("BotFather"), "{page}");
    let (status, _) = submit(&app, "/s/nobody/subscribe", "channel=email&email=a%40example.com").await;
    assert_eq!(status, 404);
    assert_eq!(subscribers::Entity::find().count(&app.db).await.expect("count"), 0, "nothing half-written");

    // The same address twice: one subscription, one email (a second is sent only after a pause).
    for _ in 0..2 {
        let (status, _) = submit(&app, "/s/acme/subscribe", "channel=email&email=Bob%40Example.com").await;
        assert_eq!(status, 200);
    }
    sink.wait_for("bob@example.com", 1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.to("bob@example.com").len(), 1);
    assert_eq!(subscribers::Entity::find().count(&app.db).await.expect("count"), 1);

    // Per-address rate limit: 10 a minute, then 429 with a message.
    let mut limited = None;
    for attempt in 0..12 {
        let (status, page) =
            submit(&app, "/s/acme/subscribe", &format!("channel=email&email=c{attempt}%40example.com")).await;
        if status == 429 {
            limited = Some(page);
            break;
        }
    }
    assert!(limited.expect("rate limited").contains("wait a minute"));
    let _ = organization;
});

with_receivers!(webhooks_are_signed_retried_and_dead_lettered, |app, _sink, receiver| async move {
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app.db, organization.id).await;
    let url = receiver.url("/hook");
    let (status, page) = submit(&app, "/s/acme/subscribe", &format!("channel=webhook&url={}", urlencode(&url))).await;
    assert_eq!(status, 201, "{page}");
    let secret_start = page.find("whsec_").expect("the secret is shown once");
    let secret: String = page[secret_start..].chars().take_while(|c| *c != '<').collect();
    let (status, _) = submit(&app, "/s/acme/subscribe", &format!("channel=webhook&url={}", urlencode(&url))).await;
    assert_eq!(status, 409, "a second subscription of the same URL is refused");
    let stored = subscriber(&app.db, &url).await.expect("subscribed");
    assert!(
        !stored.secret_ciphertext.clone().unwrap_or_default().contains(&secret[6..]),
        "the secret is stored sealed"
    );

    let incident = open_incident(&app, organization.id, api.id, "Slow API").await;
    // The incident and the component's status change both arrive.
    let deliveries = receiver.wait_for("/hook", 2).await;
    let mut types: Vec<String> =
        deliveries.iter().map(|request| request.json()["type"].as_str().unwrap_or_default().to_owned()).collect();
    types.sort();
    assert_eq!(types, ["component.status_changed", "incident.created"]);
    for delivery in &deliveries {
        let id = delivery.header("webhook-id");
        let timestamp: i64 = delivery.header("webhook-timestamp").parse().expect("a timestamp");
        herald::verify(
            &secret,
            &id,
            timestamp,
            &delivery.body,
            &delivery.header("webhook-signature"),
            Utc::now().timestamp(),
        )
        .expect("a valid Standard Webhooks signature");
        assert!(id.starts_with("evt_"));
    }
    let created =
        deliveries.iter().map(|d| d.json()).find(|body| body["type"] == "incident.created").expect("incident.created");
    assert_eq!(created["data"]["incident"]["id"], incident);
    assert_eq!(created["data"]["incident"]["impact"], "major");
    assert_eq!(created["data"]["components"][0]["key"], "api");
    assert_eq!(created["data"]["components"][0]["status"], "partial_outage");

    // The receiver is down: the delivery is kept and retried later.
    receiver.status.store(503, Ordering::Relaxed);
    post_update(&app, organization.id, incident, IncidentStatus::Identified, true).await;
    let event = latest_event_id(&app.db).await;
    let row = wait_for_state(&app.db, event, "failed").await;
    assert_eq!(row.attempts, 1);
    assert_eq!(row.last_error.as_deref(), Some("HTTP 503 from the receiver."));
    assert!(row.next_attempt_at > Utc::now() + chrono::TimeDelta::seconds(5));
    assert!(subscriber(&app.db, &url).await.expect("subscribed").failing_since.is_some());

    // The receiver says the request itself is wrong: no retry, a dead letter.
    receiver.status.store(410, Ordering::Relaxed);
    post_update(&app, organization.id, incident, IncidentStatus::Monitoring, true).await;
    let event = latest_event_id(&app.db).await;
    let row = wait_for_state(&app.db, event, "dead").await;
    assert_eq!(row.last_error.as_deref(), Some("HTTP 410 from the receiver."));
});

async fn wait_for_state(db: &DatabaseConnection, event_id: i64, state: &str) -> notification_outbox::Model {
    for _ in 0..200 {
        if let Some(row) = notification_outbox::Entity::find()
            .filter(notification_outbox::Column::EventId.eq(event_id))
            .filter(notification_outbox::Column::State.eq(state))
            .one(db)
            .await
            .expect("query")
        {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no delivery of event {event_id} reached {state}");
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

with_receivers!(chat_channels_post_in_their_services_formats, |app, _sink, receiver| async move {
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app.db, organization.id).await;
    for (channel, path) in [("slack", "/slack"), ("discord", "/discord"), ("teams", "/teams")] {
        let (status, page) = submit(
            &app,
            "/s/acme/subscribe",
            &format!("channel={channel}&url={}&topic=incidents", urlencode(&receiver.url(path))),
        )
        .await;
        assert_eq!(status, 201, "{page}");
    }
    let token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789";
    let (status, page) =
        submit(&app, "/s/acme/subscribe", &format!("channel=telegram&chat_id=-1001234&bot_token={}", urlencode(token)))
            .await;
    assert_eq!(status, 201, "{page}");
    let sealed = subscriber(&app.db, "-1001234").await.expect("subscribed").secret_ciphertext.expect("sealed");
    assert!(!sealed.contains("ABCdef"), "the bot token is encrypted at rest");

    open_incident(&app, organization.id, api.id, "Checkout errors").await;
    let slack = receiver.wait_for("/slack", 1).await.remove(0).json();
    assert_eq!(slack["blocks"][0]["text"]["text"], "New incident: Checkout errors");
    let discord = receiver.wait_for("/discord", 1).await.remove(0).json();
    assert_eq!(discord["embeds"][0]["title"], "New incident: Checkout errors");
    let teams = receiver.wait_for("/teams", 1).await.remove(0).json();
    assert_eq!(teams["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive");
    let telegram_path = format!("/telegram/bot{token}/sendMessage");
    let telegram = receiver.wait_for(&telegram_path, 1).await.remove(0).json();
    assert_eq!(telegram["chat_id"], "-1001234");
    assert_eq!(telegram["parse_mode"], "HTML");
    // Chat channels do not get every component status change.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(receiver.received().iter().filter(|request| request.path == "/slack").count(), 1);
});

with_receivers!(maintenance_reminders_go_out_once_before_the_start, |app, sink, _receiver| async move {
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app.db, organization.id).await;
    let keyring = Keyring::from_secret(TEST_SECRET_KEY);
    let new = NewSubscription {
        channel: SubscriberChannel::Email,
        address: "ops@example.com".into(),
        bot_token: None,
        topic: Topic::Maintenance,
        component_ids: vec![api.id],
        locale: Locale::De,
        source: "dashboard",
        confirmed: true,
    };
    subscriptions::subscribe(&app.db, &keyring, organization.id, new, SubscriptionRules::default(), Utc::now())
        .await
        .expect("subscribe");
    let start = Utc::now() + chrono::TimeDelta::minutes(30);
    let maintenance = app::ssr::entities::maintenances::ActiveModel {
        organization_id: sea_orm::Set(organization.id),
        name: sea_orm::Set("Database upgrade".into()),
        status: sea_orm::Set("scheduled".into()),
        scheduled_start: sea_orm::Set(start),
        scheduled_end: sea_orm::Set(start + chrono::TimeDelta::hours(1)),
        auto_start: sea_orm::Set(true),
        auto_complete: sea_orm::Set(true),
        version: sea_orm::Set(1),
        created_at: sea_orm::Set(Utc::now()),
        updated_at: sea_orm::Set(Utc::now()),
        ..Default::default()
    };
    let maintenance = sea_orm::ActiveModelTrait::insert(maintenance, &app.db).await.expect("insert a maintenance");
    app::ssr::entities::maintenance_components::Entity::insert(
        app::ssr::entities::maintenance_components::ActiveModel {
            maintenance_id: sea_orm::Set(maintenance.id),
            component_id: sea_orm::Set(api.id),
        },
    )
    .exec_without_returning(&app.db)
    .await
    .expect("link a component");
    // Two rounds of the reminder scan (in two replicas' worth of calls): one event.
    for _ in 0..2 {
        app::ssr::maintenance::emit_reminders(&app.db, chrono::TimeDelta::minutes(60), Utc::now())
            .await
            .expect("reminders");
    }
    let mail = sink.wait_for("ops@example.com", 1).await.remove(0);
    assert_eq!(mail.header("Subject").as_deref(), Some("[acme Inc] Wartung beginnt bald: Database upgrade"));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.to("ops@example.com").len(), 1);
});

with_receivers!(a_worker_killed_mid_fan_out_sends_every_message_once, |app, sink, _receiver| async move {
    const SUBSCRIBERS: usize = 120;
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app.db, organization.id).await;
    let keyring = Keyring::from_secret(TEST_SECRET_KEY);
    for number in 0..SUBSCRIBERS {
        let new = NewSubscription {
            channel: SubscriberChannel::Email,
            address: format!("reader{number}@example.com"),
            bot_token: None,
            topic: Topic::All,
            component_ids: Vec::new(),
            locale: Locale::En,
            source: "import",
            confirmed: true,
        };
        subscriptions::subscribe(&app.db, &keyring, organization.id, new, SubscriptionRules::default(), Utc::now())
            .await
            .expect("subscribe");
    }
    // The server's own worker is stopped; this test runs workers it can kill.
    let mut app = app;
    app.stop_server();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The stopped server closed its pool; the workers here get their own.
    app.db = herald_server::application::open_database(&app.config).await.expect("reopen the database");
    let notifier = |concurrency: usize| {
        let mailer = Mailer::new(&MailTransport::Smtp { url: sink.url() }).expect("a mailer");
        let channels =
            Channels::new(mailer, "Status <status@acme.test>".parse().expect("a mailbox"), false, String::new());
        Notifier::new(app.db.clone(), channels, keyring.clone(), "http://status.test".into(), concurrency)
    };
    open_incident(&app, organization.id, api.id, "Everything is slow").await;

    // Slow receiver, so the kill lands mid-batch.
    sink.delay_ms.store(40, Ordering::Relaxed);
    let first = std::sync::Arc::new(notifier(8));
    let running = tokio::spawn({
        let first = first.clone();
        async move {
            loop {
                let _ = first.run_once().await;
            }
        }
    });
    while sink.received().len() < SUBSCRIBERS / 3 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    running.abort();
    let _ = running.await;
    let before_restart = sink.received().len();
    assert!(before_restart < SUBSCRIBERS, "the kill came before the end ({before_restart})");
    sink.delay_ms.store(0, Ordering::Relaxed);

    // A new worker: what the dead one had claimed comes back once its lease has run out.
    let second = notifier(16);
    let after_lease = Utc::now() + app::ssr::notifications::outbox::LEASE + chrono::TimeDelta::seconds(1);
    for _ in 0..50 {
        second.run_once_at(after_lease).await.expect("a round");
        let open = notification_outbox::Entity::find()
            .filter(notification_outbox::Column::State.ne("sent"))
            .count(&app.db)
            .await
            .expect("count");
        if open == 0 {
            break;
        }
    }
    let mails = sink.received();
    let mut per_reader: std::collections::HashMap<String, std::collections::BTreeSet<String>> = Default::default();
    for mail in &mails {
        per_reader.entry(mail.to[0].clone()).or_default().insert(mail.header("Message-ID").expect("a Message-ID"));
    }
    assert_eq!(per_reader.len(), SUBSCRIBERS, "every subscriber got the update");
    assert!(per_reader.values().all(|ids| ids.len() == 1), "each got one message (one Message-ID)");
    // What the kill cut off mid-conversation had, for some messages, already reached the sink
    // (it takes the message before it answers, as SMTP servers do): those, and only those,
    // arrive again after the restart, under the same Message-ID for the reader's client to fold.
    let repeats = mails.len() - SUBSCRIBERS;
    assert!(repeats <= 8, "{repeats} repeats (at most one per delivery in flight at the kill)");
    eprintln!(
        "exactly-once: {SUBSCRIBERS} readers, {} messages, {before_restart} before the kill, {repeats} repeated",
        mails.len()
    );
});

with_receivers!(mail_servers_that_refuse_get_retries_or_dead_letters, |app, sink, _receiver| async move {
    insert_organization_with_api(&app.db, "acme").await;
    sink.refuse_next(1, "451 4.3.0 Try again later");
    let (status, _) = submit(&app, "/s/acme/subscribe", "channel=email&email=later%40example.com").await;
    assert_eq!(status, 200, "the person is not told about the mail server's mood");
    let row = wait_for_purpose_state(&app.db, "failed").await;
    assert_eq!(row.attempts, 1);
    assert!(row.last_error.clone().unwrap_or_default().contains("Try again later"), "{:?}", row.last_error);

    sink.refuse_next(1, "550 5.1.1 No such user");
    let (status, _) = submit(&app, "/s/acme/subscribe", "channel=email&email=nobody%40example.com").await;
    assert_eq!(status, 200);
    let row = wait_for_purpose_state(&app.db, "dead").await;
    assert!(row.last_error.clone().unwrap_or_default().contains("No such user"), "{:?}", row.last_error);
});

async fn wait_for_purpose_state(db: &DatabaseConnection, state: &str) -> notification_outbox::Model {
    for _ in 0..200 {
        if let Some(row) = notification_outbox::Entity::find()
            .filter(notification_outbox::Column::Purpose.eq("confirmation"))
            .filter(notification_outbox::Column::State.eq(state))
            .one(db)
            .await
            .expect("query")
        {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no confirmation reached {state}");
}

with_receivers!(editors_manage_subscribers_through_the_api, |app, sink, _receiver| async move {
    use crate::monitoring::{call, token};
    use reqwest::Method;
    use serde_json::json;
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let other = insert_organization_with_api(&app.db, "other").await;
    let api = api_component(&app.db, organization.id).await;
    let editor = token(&app, &organization, herald::Role::Editor).await;
    let viewer = token(&app, &organization, herald::Role::Viewer).await;
    let stranger = token(&app, &other, herald::Role::Admin).await;

    let new = json!({ "channel": "email", "address": "Team@Example.com", "confirmed": true, "component_ids": [api.id], "locale": "fr" });
    let (status, body) = call(&app, &viewer, Method::POST, "/subscribers", Some(new.clone())).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = call(&app, &editor, Method::POST, "/subscribers", Some(new.clone())).await;
    assert_eq!(status, 201, "{body}");
    let id = body["subscriber"]["id"].as_i64().expect("an id");
    assert_eq!(body["subscriber"]["target"], "team@example.com");
    assert_eq!(body["subscriber"]["component_ids"], json!([api.id]));
    assert!(body["subscriber"]["confirmed_at"].is_string());
    assert!(body["secret"].is_null());
    let (status, body) = call(&app, &editor, Method::POST, "/subscribers", Some(new)).await;
    assert_eq!(status, 409, "{body}");
    let (status, body) =
        call(&app, &editor, Method::POST, "/subscribers", Some(json!({ "channel": "email", "address": "nope" }))).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "email");
    let (status, _) =
        call(&app, &editor, Method::POST, "/subscribers", Some(json!({ "channel": "pigeon", "address": "x" }))).await;
    assert_eq!(status, 422);
    let (status, body) = call(
        &app,
        &editor,
        Method::POST,
        "/subscribers",
        Some(json!({ "channel": "webhook", "address": "https://hooks.example.com/x" })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(body["secret"].as_str().unwrap_or_default().starts_with("whsec_"));

    let (status, body) = call(&app, &viewer, Method::GET, "/subscribers?state=confirmed&channel=email", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["pagination"]["total"], 1);
    let (status, _) = call(&app, &stranger, Method::GET, &format!("/subscribers/{id}"), None).await;
    assert_eq!(status, 404, "another organization's subscriber does not exist for it");

    let (status, _) = call(&app, &editor, Method::POST, &format!("/subscribers/{id}/test"), None).await;
    assert_eq!(status, 202);
    let mail = sink.wait_for("team@example.com", 1).await.remove(0);
    assert_eq!(mail.header("Subject").as_deref(), Some("[acme Inc] Message de test"));
    let (status, body) = call(&app, &viewer, Method::GET, &format!("/subscribers/{id}/deliveries"), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"][0]["purpose"], "test");

    let (status, _) = call(&app, &editor, Method::DELETE, &format!("/subscribers/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&app, &editor, Method::GET, &format!("/subscribers/{id}"), None).await;
    assert_eq!(status, 404);
});

with_receivers!(password_reset_links_and_invitations_are_emailed, |app, sink, _receiver| async move {
    use crate::accounts::{call, member, post_form, sign_in};
    use app::api::account::{RequestPasswordReset, ResetPassword};
    use app::api::members::InviteMember;
    use leptos::server_fn::ServerFn;

    member(&app, "ana@acme.example", "acme", herald::Role::Admin).await;
    let (status, location, _) =
        post_form(&app, RequestPasswordReset::PATH, None, &[("email", "ana@acme.example")]).await;
    assert_eq!((status, location.as_deref()), (302, Some("/forgot-password?sent=1")));
    let reset = sink.wait_for("ana@acme.example", 1).await.remove(0);
    assert_eq!(reset.header("Subject").as_deref(), Some("Reset your Herald password"));
    assert_eq!(reset.header("From").as_deref(), Some("\"Acme Status\" <status@acme.test>"));
    assert!(reset.header("Content-Type").is_some_and(|kind| kind.starts_with("multipart/alternative")));
    let token = reset.token("hrlr_").expect("the link is in the message");
    assert!(reset.decoded().contains(&format!("/reset-password/{token}")));
    // The emailed link is the working one.
    let fields = [
        ("token", token.as_str()),
        ("new_password", "an emailed secret"),
        ("new_password_confirmation", "an emailed secret"),
    ];
    let (status, location, _) = post_form(&app, ResetPassword::PATH, None, &fields).await;
    assert_eq!((status, location.as_deref()), (302, Some("/dashboard")));
    // An address without an account gets nothing, and the answer is the same.
    let (status, location, _) =
        post_form(&app, RequestPasswordReset::PATH, None, &[("email", "nobody@acme.example")]).await;
    assert_eq!((status, location.as_deref()), (302, Some("/forgot-password?sent=1")));

    let cookie = sign_in(&app, "ana@acme.example", "an emailed secret").await;
    let (status, _) = call(
        &app,
        InviteMember::PATH,
        Some(&cookie),
        &[("slug", "acme"), ("email", "bo@acme.example"), ("role", "editor")],
    )
    .await;
    assert_eq!(status, 200);
    let invitation = sink.wait_for("bo@acme.example", 1).await.remove(0);
    assert_eq!(invitation.header("Subject").as_deref(), Some("You are invited to acme Inc on Herald"));
    let body = invitation.decoded();
    assert!(body.contains("ana@acme.example invited you") && body.contains("as Editor"), "{body}");
    let token = invitation.token("hrli_").expect("the invitation link is in the message");
    assert!(body.contains(&format!("/invitations/{token}")));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.to("nobody@acme.example").is_empty());
});

/// A stand-in for Resend's API on loopback: accepts `POST /emails` as Resend does (an id back),
/// refuses addresses at `refused.example` with Resend's validation error, and records each call.
async fn resend_stand_in() -> (String, std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, serde_json::Value)>>>)
{
    use axum::http::{HeaderMap, StatusCode};
    let calls: std::sync::Arc<std::sync::Mutex<Vec<(HeaderMap, serde_json::Value)>>> = Default::default();
    let recorded = calls.clone();
    let app = axum::Router::new().route(
        "/emails",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let recorded = recorded.clone();
            async move {
                let email: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let refused = email["to"].to_string().contains("@refused.example");
                recorded.lock().expect("calls").push((headers, email));
                if refused {
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        axum::Json(serde_json::json!({"statusCode": 422, "name": "validation_error", "message": "The recipient is not allowed."})),
                    )
                } else {
                    (StatusCode::OK, axum::Json(serde_json::json!({"id": "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"})))
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the stand-in");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, calls)
}

async fn resend_delivers_with_its_idempotency_key_and_refusals_are_final(backend: Backend) {
    let (url, calls) = resend_stand_in().await;
    let Some(app) = support::spawn_app_with(backend, |config| {
        config.notifications.mail = MailTransport::Resend { api_key: "re_test_key".into(), base_url: url };
        config.notifications.mail_from = "Acme Status <status@acme.test>".into();
    })
    .await
    else {
        return eprintln!("skipped: set {} to run this test on PostgreSQL", support::POSTGRES_ENV);
    };
    let organization = insert_organization_with_api(&app.db, "acme").await;
    let api = api_component(&app.db, organization.id).await;
    let keyring = Keyring::from_secret(TEST_SECRET_KEY);
    for address in ["ada@example.com", "bob@refused.example"] {
        let new = NewSubscription {
            channel: SubscriberChannel::Email,
            address: address.into(),
            bot_token: None,
            topic: Topic::All,
            component_ids: Vec::new(),
            locale: Locale::En,
            source: "dashboard",
            confirmed: true,
        };
        subscriptions::subscribe(&app.db, &keyring, organization.id, new, SubscriptionRules::default(), Utc::now())
            .await
            .expect("subscribe");
    }
    open_incident(&app, organization.id, api.id, "Checkout errors").await;
    let event = latest_event_id(&app.db).await;
    let sent = wait_for_state(&app.db, event, "sent").await;
    let dead = wait_for_state(&app.db, event, "dead").await;
    assert_eq!(dead.attempts, 1, "a refusal is not retried");
    assert!(dead.last_error.as_deref().is_some_and(|error| error.contains("not allowed")), "{:?}", dead.last_error);

    let calls = calls.lock().expect("calls").clone();
    assert_eq!(calls.len(), 2, "one call per delivery");
    let (headers, email) =
        calls.iter().find(|(_, email)| email["to"] == serde_json::json!(["ada@example.com"])).expect("ada's message");
    assert_eq!(headers.get("authorization").and_then(|value| value.to_str().ok()), Some("Bearer re_test_key"));
    assert_eq!(
        headers.get("idempotency-key").and_then(|value| value.to_str().ok()),
        Some(sent.idempotency_key.as_str()),
        "a resend after a crash is recognisably the same message"
    );
    let from = email["from"].as_str().unwrap_or_default();
    assert!(from.contains("Acme Status") && from.ends_with("<status@acme.test>"), "{from}");
    assert!(email["subject"].as_str().is_some_and(|subject| subject.contains("Checkout errors")), "{email}");
    assert!(email["text"].as_str().is_some_and(|text| text.contains("errors")), "{email}");
    assert!(email["html"].as_str().is_some_and(|html| html.contains("<strong>errors</strong>")), "{email}");
    let unsubscribe = email["headers"]["List-Unsubscribe"].as_str().unwrap_or_default();
    assert!(unsubscribe.starts_with("<") && unsubscribe.contains("/subscriptions/unsubscribe?token="), "{email}");
    assert_eq!(email["headers"]["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
}

mod resend_stand_in {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        resend_delivers_with_its_idempotency_key_and_refusals_are_final(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        resend_delivers_with_its_idempotency_key_and_refusals_are_final(Backend::Postgres).await
    }
}
