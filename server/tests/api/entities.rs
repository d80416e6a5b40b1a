//! Proves every entity in app/src/ssr/entities matches the schema the real
//! migrations create, on SQLite and on PostgreSQL:
//!
//! 1. the set of tables equals the set of entities;
//! 2. per table, column names, nullability and type family equal the entity's columns;
//! 3. the set of foreign keys (column, target, ON DELETE) equals the set of `belongs_to`
//!    relations, and every `has_many` is the reverse of a real foreign key;
//! 4. for every entity a fully populated row and an all-NULL-optionals row are inserted via
//!    its ActiveModel and read back with `find()` unchanged;
//! 5. `find_also_related` runs for every `Related` impl (direct and via link tables) and finds
//!    the linked row.

use crate::support::{Backend, TestDatabase};
use app::ssr::entities::*;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use migrations::{Migrator, MigratorTrait};
use sea_orm::sea_query::{ColumnType, ForeignKeyAction};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, IdenStatic, IntoActiveModel, Iterable, ModelTrait, PrimaryKeyToColumn, PrimaryKeyTrait, QueryFilter,
    RelationTrait, RelationType, Statement, TryGetable,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

type Fk = (String, String, String, String, String); // table, column, target table, target column, on delete

#[derive(Debug)]
struct EntityShape {
    table: String,
    /// name -> (type family, nullable)
    columns: BTreeMap<String, (String, bool)>,
    belongs_to: BTreeSet<Fk>,
    has_many: BTreeSet<(String, String, String, String)>,
}

fn family(t: &ColumnType) -> String {
    match t {
        ColumnType::BigInteger => "bigint",
        ColumnType::Integer => "integer",
        ColumnType::Boolean => "boolean",
        ColumnType::String(_) => "varchar",
        ColumnType::Text => "text",
        ColumnType::TimestampWithTimeZone => "timestamptz",
        ColumnType::Date => "date",
        ColumnType::Json => "json",
        ColumnType::JsonBinary => "jsonb",
        ColumnType::Double => "double",
        other => panic!("unexpected entity column type {other:?}"),
    }
    .to_owned()
}

fn action(a: &Option<ForeignKeyAction>) -> String {
    match a {
        Some(ForeignKeyAction::Cascade) => "CASCADE".into(),
        Some(ForeignKeyAction::SetNull) => "SET NULL".into(),
        other => format!("{other:?}"),
    }
}

fn ident(i: &sea_orm::Identity) -> String {
    match i {
        sea_orm::Identity::Unary(c) => c.to_string(),
        other => panic!("composite relation {other:?}"),
    }
}

fn shape<E: EntityTrait>() -> EntityShape {
    let table = E::default().table_name().to_owned();
    let columns = E::Column::iter()
        .map(|c| {
            let def = c.def();
            (c.as_str().to_owned(), (family(def.get_column_type()), def.is_null()))
        })
        .collect();
    let mut belongs_to = BTreeSet::new();
    let mut has_many = BTreeSet::new();
    for r in E::Relation::iter() {
        let d = r.def();
        let (from_tbl, to_tbl) = (d.from_tbl.sea_orm_table().to_string(), d.to_tbl.sea_orm_table().to_string());
        let (from_col, to_col) = (ident(&d.from_col), ident(&d.to_col));
        match (d.rel_type, d.is_owner) {
            (RelationType::HasOne, false) => {
                assert_eq!(from_tbl, table);
                belongs_to.insert((from_tbl, from_col, to_tbl, to_col, action(&d.on_delete)));
            }
            (RelationType::HasMany, true) => {
                assert_eq!(from_tbl, table);
                has_many.insert((to_tbl, to_col, from_tbl, from_col));
            }
            other => panic!("{table}: unexpected relation kind {other:?}"),
        }
    }
    EntityShape { table, columns, belongs_to, has_many }
}

macro_rules! shapes {
    ($($m:ident),* $(,)?) => { vec![$(shape::<$m::Entity>()),*] };
}

fn all_shapes() -> Vec<EntityShape> {
    shapes![
        instance,
        organizations,
        users,
        memberships,
        invitations,
        sessions,
        password_resets,
        login_attempts,
        api_tokens,
        component_groups,
        components,
        component_status_intervals,
        incidents,
        incident_components,
        incident_updates,
        incident_update_components,
        maintenances,
        maintenance_components,
        maintenance_updates,
        monitors,
        check_results,
        check_rollups,
        uptime_rollups,
        subscribers,
        subscriber_components,
        events,
        notification_outbox,
        templates,
        template_components,
        audit_log,
        alert_sources,
        alerts,
        slug_redirects,
        monitoring_watch,
    ]
}

async fn rows<T: TryGetable>(db: &DatabaseConnection, sql: &str, cols: &[&str]) -> Vec<Vec<T>> {
    let backend = db.get_database_backend();
    db.query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|row| cols.iter().map(|c| row.try_get::<T>("", c).unwrap_or_else(|e| panic!("{c}: {e}"))).collect())
        .collect()
}

fn db_family(declared: &str, sqlite: bool) -> String {
    let t = declared.to_lowercase();
    let t = t.split('(').next().unwrap_or_default().trim();
    match t {
        // SQLite has one integer type, 64 bits wide; sea-query declares every integer column
        // INTEGER there, so only PostgreSQL tells i32 from i64.
        "integer" | "bigint" if sqlite => "int",
        "bigint" => "bigint",
        "integer" => "integer",
        "boolean" => "boolean",
        "varchar" | "character varying" => "varchar",
        "text" => "text",
        "timestamp_with_timezone_text" | "timestamp with time zone" => "timestamptz",
        "date_text" | "date" => "date",
        "json_text" | "json" => "json",
        "jsonb" => "jsonb",
        "double" | "double precision" | "real" => "double",
        other => panic!("unexpected database column type {other}"),
    }
    .to_owned()
}

/// Checks 1–3: tables, columns, foreign keys.
async fn check_schema(db: &DatabaseConnection) {
    let shapes = all_shapes();
    let pg = db.get_database_backend() == DatabaseBackend::Postgres;
    let tables: BTreeSet<String> = if pg {
        rows::<String>(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", &["table_name"]).await
    } else {
        rows::<String>(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", &["name"]).await
    }
    .into_iter()
    .map(|mut r| r.remove(0))
    .filter(|t| t != "seaql_migrations")
    .collect();
    let entity_tables: BTreeSet<String> = shapes.iter().map(|s| s.table.clone()).collect();
    assert_eq!(tables, entity_tables, "tables vs entities");

    let mut db_fks: BTreeSet<Fk> = BTreeSet::new();
    for s in &shapes {
        // name -> (family, nullable)
        let mut db_cols: BTreeMap<String, (String, bool)> = BTreeMap::new();
        if pg {
            let sql = format!(
                "SELECT c.column_name, c.data_type, c.is_nullable, \
                 CASE WHEN EXISTS (SELECT 1 FROM information_schema.key_column_usage k \
                   JOIN information_schema.table_constraints tc ON tc.constraint_name = k.constraint_name AND tc.table_schema = k.table_schema \
                   WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name AND k.column_name = c.column_name AND k.table_schema = c.table_schema) \
                 THEN 'y' ELSE 'n' END AS pk \
                 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = '{}'",
                s.table
            );
            for r in rows::<String>(db, &sql, &["column_name", "data_type", "is_nullable", "pk"]).await {
                db_cols.insert(r[0].clone(), (db_family(&r[1], false), r[2] == "YES"));
            }
        } else {
            let sql = format!("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info('{}')", s.table);
            let backend = db.get_database_backend();
            for row in db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap() {
                let name: String = row.try_get("", "name").unwrap();
                let ty: String = row.try_get("", "type").unwrap();
                let nn: i32 = row.try_get("", "nn").unwrap();
                let pk: i32 = row.try_get("", "pk").unwrap();
                // SQLite lets a non-INTEGER primary key column hold NULL unless declared NOT NULL;
                // treat key columns as not null like every other database.
                db_cols.insert(name, (db_family(&ty, true), nn == 0 && pk == 0));
            }
        }
        let mut entity_cols = s.columns.clone();
        if !pg {
            for (fam, _) in entity_cols.values_mut() {
                if fam == "bigint" || fam == "integer" {
                    *fam = "int".into();
                }
            }
        }
        assert_eq!(db_cols, entity_cols, "columns of {}", s.table);

        if pg {
            let sql = format!(
                "SELECT kcu.column_name AS col, ccu.table_name AS to_table, ccu.column_name AS to_col, rc.delete_rule AS del \
                 FROM information_schema.referential_constraints rc \
                 JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema \
                 JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name AND ccu.constraint_schema = rc.constraint_schema \
                 WHERE kcu.table_schema = 'public' AND kcu.table_name = '{}'",
                s.table
            );
            for r in rows::<String>(db, &sql, &["col", "to_table", "to_col", "del"]).await {
                db_fks.insert((s.table.clone(), r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()));
            }
        } else {
            let sql = format!(
                "SELECT \"from\" AS col, \"table\" AS to_table, \"to\" AS to_col, on_delete AS del FROM pragma_foreign_key_list('{}')",
                s.table
            );
            for r in rows::<String>(db, &sql, &["col", "to_table", "to_col", "del"]).await {
                db_fks.insert((s.table.clone(), r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()));
            }
        }
    }
    let entity_fks: BTreeSet<Fk> = shapes.iter().flat_map(|s| s.belongs_to.iter().cloned()).collect();
    assert_eq!(db_fks, entity_fks, "foreign keys vs belongs_to relations");
    let fk_links: BTreeSet<(String, String, String, String)> =
        db_fks.iter().map(|(a, b, c, d, _)| (a.clone(), b.clone(), c.clone(), d.clone())).collect();
    for s in &shapes {
        for h in &s.has_many {
            assert!(fk_links.contains(h), "{}: has_many {h:?} is not the reverse of a foreign key", s.table);
        }
    }
    println!(
        "{:?}: {} tables, {} columns, {} foreign keys, {} has_many checked",
        db.get_database_backend(),
        shapes.len(),
        shapes.iter().map(|s| s.columns.len()).sum::<usize>(),
        db_fks.len(),
        shapes.iter().map(|s| s.has_many.len()).sum::<usize>()
    );
}

/// Inserts `expected` through its ActiveModel (letting the database assign an auto-increment
/// key) and checks both the returned model and `find()` give it back unchanged. With `nulls`,
/// every nullable column is set to NULL first.
async fn roundtrip<E>(db: &DatabaseConnection, mut expected: E::Model, nulls: bool) -> E::Model
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + PartialEq + Debug + Clone,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    let table = E::default().table_name();
    if nulls {
        for c in E::Column::iter() {
            if c.def().is_null() {
                let v = expected.get(c).as_null();
                expected.set(c, v);
            }
        }
    }
    let auto = <E::PrimaryKey as PrimaryKeyTrait>::auto_increment();
    let mut am = expected.clone().into_active_model().reset_all();
    if auto {
        for pk in E::PrimaryKey::iter() {
            am.not_set(pk.into_column());
        }
    }
    let inserted = am.insert(db).await.unwrap_or_else(|e| panic!("insert into {table}: {e}"));
    if auto {
        for pk in E::PrimaryKey::iter() {
            let c = pk.into_column();
            expected.set(c, inserted.get(c));
        }
    }
    assert_eq!(inserted, expected, "{table}: insert returned something else");
    let mut by_key = E::find();
    for pk in E::PrimaryKey::iter() {
        let c = pk.into_column();
        by_key = by_key.filter(c.eq(expected.get(c)));
    }
    let found = by_key.one(db).await.unwrap_or_else(|e| panic!("find in {table}: {e}"));
    assert_eq!(found.as_ref(), Some(&expected), "{table}: find by key");
    let all = E::find().all(db).await.unwrap_or_else(|e| panic!("find all in {table}: {e}"));
    assert!(all.contains(&expected), "{table}: find().all() lacks the row");
    expected
}

fn at(minutes: i64) -> DateTime<Utc> {
    // Microsecond precision: what PostgreSQL's timestamptz keeps.
    Utc.with_ymd_and_hms(2026, 11, 23, 6, 0, 0).single().expect("valid")
        + Duration::minutes(minutes)
        + Duration::microseconds(123_456)
}

/// Check 4 for all thirty tables; returns nothing, panics on the first mismatch.
async fn check_rows(db: &DatabaseConnection, nulls: bool) {
    macro_rules! rt {
        ($m:ident, $model:expr) => {
            roundtrip::<$m::Entity>(db, $model, nulls).await
        };
    }
    let tag = if nulls { "n" } else { "f" };

    rt!(instance, instance::Model { id: 1, setup_completed_at: at(0) });
    let org = rt!(
        organizations,
        organizations::Model {
            id: 0,
            slug: format!("acme-{tag}"),
            name: "Acme".into(),
            tagline: Some("Everything is fine".into()),
            logo_url: Some("https://acme.test/logo.svg".into()),
            website_url: Some("https://acme.test".into()),
            brand_colour: Some("#12abef".into()),
            custom_domain: Some("status.acme.test".into()),
            default_locale: "fr".into(),
            time_zone: "Europe/Paris".into(),
            listed: false,
            version: 2,
            created_at: at(1),
            updated_at: at(2),
        }
    );
    let user = rt!(
        users,
        users::Model {
            id: 0,
            email: "ops@acme.test".into(),
            display_name: Some("Ops".into()),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            is_instance_admin: true,
            password_changed_at: at(3),
            last_login_at: Some(at(4)),
            created_at: at(3),
            updated_at: at(4),
        }
    );
    rt!(
        memberships,
        memberships::Model {
            id: 0,
            organization_id: org.id,
            user_id: user.id,
            role: "owner".into(),
            created_at: at(5),
            updated_at: at(6)
        }
    );
    rt!(
        invitations,
        invitations::Model {
            id: 0,
            organization_id: org.id,
            email: "new@acme.test".into(),
            role: "editor".into(),
            token_hash: "a".repeat(64),
            invited_by_user_id: Some(user.id),
            expires_at: at(7),
            accepted_at: Some(at(8)),
            accepted_by_user_id: Some(user.id),
            revoked_at: Some(at(9)),
            created_at: at(6),
        }
    );
    rt!(
        sessions,
        sessions::Model {
            id: 0,
            user_id: user.id,
            token_hash: "b".repeat(64),
            active_organization_id: Some(org.id),
            ip: Some("2001:db8::1".into()),
            user_agent: Some("Mozilla/5.0 (X11; Linux x86_64)".into()),
            created_at: at(10),
            last_seen_at: at(11),
            expires_at: at(12),
        }
    );
    rt!(
        password_resets,
        password_resets::Model {
            id: 0,
            user_id: user.id,
            token_hash: "c".repeat(64),
            expires_at: at(13),
            used_at: Some(at(14)),
            created_at: at(12)
        }
    );
    rt!(
        login_attempts,
        login_attempts::Model {
            id: 0,
            email: Some("ops@acme.test".into()),
            ip: Some("203.0.113.9".into()),
            succeeded: true,
            attempted_at: at(15)
        }
    );
    let token = rt!(
        api_tokens,
        api_tokens::Model {
            id: 0,
            organization_id: org.id,
            name: "CI".into(),
            token_prefix: "hrld_ab12".into(),
            token_hash: "d".repeat(64),
            scope: "write".into(),
            role: "editor".into(),
            created_by_user_id: Some(user.id),
            created_at: at(16),
            last_used_at: Some(at(17)),
            expires_at: Some(at(18)),
            revoked_at: Some(at(19)),
        }
    );
    let group = rt!(
        component_groups,
        component_groups::Model {
            id: 0,
            organization_id: org.id,
            key: "core".into(),
            name: "Core".into(),
            description: Some("The core".into()),
            position: 1,
            collapsed: true,
            version: 3,
            created_at: at(20),
            updated_at: at(21),
        }
    );
    let component = rt!(
        components,
        components::Model {
            id: 0,
            organization_id: org.id,
            group_id: Some(group.id),
            key: "api".into(),
            name: "API".into(),
            description: Some("Public API".into()),
            status: "degraded_performance".into(),
            status_source: "monitor".into(),
            status_changed_at: at(22),
            position: 2,
            showcase: false,
            only_show_if_degraded: true,
            show_uptime: false,
            start_date: NaiveDate::from_ymd_opt(2026, 1, 15),
            version: 4,
            created_at: at(22),
            updated_at: at(23),
        }
    );
    rt!(
        component_status_intervals,
        component_status_intervals::Model {
            id: 0,
            organization_id: org.id,
            component_id: component.id,
            status: "partial_outage".into(),
            source: "incident".into(),
            started_at: at(24),
            ended_at: Some(at(25)),
        }
    );
    let incident = rt!(
        incidents,
        incidents::Model {
            id: 0,
            organization_id: org.id,
            name: "API errors".into(),
            impact: "major".into(),
            status: "resolved".into(),
            source: "monitor".into(),
            external_key: Some(format!("monitor:1:{tag}")),
            started_at: at(26),
            identified_at: Some(at(27)),
            monitoring_at: Some(at(28)),
            resolved_at: Some(at(29)),
            last_update_at: at(29),
            postmortem_body: Some("# What happened\n…".into()),
            postmortem_published_at: Some(at(30)),
            created_by_user_id: Some(user.id),
            version: 5,
            created_at: at(26),
            updated_at: at(30),
        }
    );
    rt!(
        incident_components,
        incident_components::Model {
            incident_id: incident.id,
            component_id: component.id,
            component_status: "major_outage".into()
        }
    );
    let update = rt!(
        incident_updates,
        incident_updates::Model {
            id: 0,
            organization_id: org.id,
            incident_id: incident.id,
            status: "identified".into(),
            body: "We found it.".into(),
            notify_subscribers: false,
            created_by_user_id: Some(user.id),
            created_by_label: Some("Ops".into()),
            display_at: at(27),
            created_at: at(31),
            updated_at: at(32),
        }
    );
    rt!(
        incident_update_components,
        incident_update_components::Model {
            id: 0,
            incident_update_id: update.id,
            component_id: component.id,
            old_status: "operational".into(),
            new_status: "major_outage".into(),
        }
    );
    let maintenance = rt!(
        maintenances,
        maintenances::Model {
            id: 0,
            organization_id: org.id,
            name: "Database upgrade".into(),
            status: "completed".into(),
            scheduled_start: at(33),
            scheduled_end: at(93),
            auto_start: false,
            auto_complete: false,
            started_at: Some(at(34)),
            completed_at: Some(at(90)),
            cancelled_at: Some(at(91)),
            reminder_sent_at: Some(at(3)),
            created_by_user_id: Some(user.id),
            version: 6,
            created_at: at(1),
            updated_at: at(90),
        }
    );
    rt!(
        maintenance_components,
        maintenance_components::Model { maintenance_id: maintenance.id, component_id: component.id }
    );
    rt!(
        maintenance_updates,
        maintenance_updates::Model {
            id: 0,
            organization_id: org.id,
            maintenance_id: maintenance.id,
            status: "in_progress".into(),
            body: "Started.".into(),
            notify_subscribers: true,
            created_by_user_id: Some(user.id),
            created_by_label: Some("Ops".into()),
            display_at: at(34),
            created_at: at(34),
            updated_at: at(35),
        }
    );
    let monitor = rt!(
        monitors,
        monitors::Model {
            id: 0,
            organization_id: org.id,
            component_id: Some(component.id),
            key: "api-health".into(),
            name: "API health".into(),
            kind: "http".into(),
            config: json!({"url": "https://api.acme.test/health", "method": "GET", "headers": {"x-probe": "herald"}, "expected": [200, 204], "follow": true, "note": null}),
            interval_seconds: 60,
            timeout_ms: 5000,
            degraded_latency_ms: Some(800),
            failure_status: "partial_outage".into(),
            confirmations: 2,
            incident_threshold: 4,
            recovery_minutes: 10,
            auto_incident: false,
            paused: true,
            heartbeat_token_hash: Some("e".repeat(64)),
            next_run_at: at(36),
            last_checked_at: Some(at(35)),
            last_outcome: Some("down".into()),
            last_error: Some("connection refused".into()),
            consecutive_failures: 3,
            consecutive_successes: 0,
            failing_since: Some(at(33)),
            recovered_since: Some(at(36)),
            version: 7,
            status: "partial_outage".into(),
            flap_transitions: 4,
            flap_window_started_at: Some(at(30)),
            flapping_since: Some(at(34)),
            last_latency_ms: Some(1234),
            last_ping_at: Some(at(32)),
            created_at: at(1),
            updated_at: at(36),
        }
    );
    rt!(
        check_results,
        check_results::Model {
            id: 0,
            monitor_id: monitor.id,
            organization_id: org.id,
            component_id: Some(component.id),
            checked_at: at(35),
            outcome: "down".into(),
            latency_ms: Some(1234),
            status_code: Some(503),
            error: Some("503 Service Unavailable".into()),
        }
    );
    rt!(
        check_rollups,
        check_rollups::Model {
            id: 0,
            organization_id: org.id,
            monitor_id: monitor.id,
            hour_start: at(30),
            check_count: 120,
            failure_count: 3,
            latency_avg_ms: Some(87.5),
            latency_p95_ms: Some(240.0),
        }
    );
    rt!(
        uptime_rollups,
        uptime_rollups::Model {
            id: 0,
            organization_id: org.id,
            component_id: component.id,
            period: "day".into(),
            bucket_start: at(-360),
            operational_ms: 80_000_000,
            degraded_ms: 3_000_000,
            partial_ms: 2_000_000,
            major_ms: 1_000_000,
            maintenance_ms: 400_000,
            no_data_ms: 5_000_000_000,
            check_count: 1440,
            failure_count: 12,
            latency_avg_ms: Some(123.25),
            latency_p95_ms: Some(456.5),
            updated_at: at(37),
        }
    );
    let subscriber = rt!(
        subscribers,
        subscribers::Model {
            id: 0,
            organization_id: org.id,
            channel: "webhook".into(),
            target: "https://hooks.acme.test/herald".into(),
            secret_ciphertext: Some("v1:nonce:ciphertext".into()),
            topic: "incidents".into(),
            locale: "de".into(),
            confirmed_at: Some(at(38)),
            confirmation_token_hash: Some("f".repeat(64)),
            confirmation_sent_at: Some(at(37)),
            manage_token_hash: "0".repeat(64),
            source: "api".into(),
            failing_since: Some(at(39)),
            disabled_at: Some(at(40)),
            disabled_reason: Some("410 Gone".into()),
            last_delivery_at: Some(at(39)),
            created_at: at(37),
            updated_at: at(40),
        }
    );
    rt!(
        subscriber_components,
        subscriber_components::Model { subscriber_id: subscriber.id, component_id: component.id }
    );
    let event = rt!(
        events,
        events::Model {
            id: 0,
            organization_id: org.id,
            kind: "incident.updated".into(),
            payload: json!({"incident_id": incident.id, "status": "identified", "components": ["api"], "n": 1.5}),
            occurred_at: at(41),
            fanned_out_at: Some(at(41)),
        }
    );
    rt!(
        notification_outbox,
        notification_outbox::Model {
            id: 0,
            organization_id: org.id,
            event_id: Some(event.id),
            subscriber_id: subscriber.id,
            channel: "webhook".into(),
            purpose: "event".into(),
            idempotency_key: format!("{}:{}:notify", event.id, subscriber.id),
            state: "failed".into(),
            attempts: 2,
            next_attempt_at: at(45),
            locked_until: Some(at(42)),
            last_error: Some("timeout".into()),
            payload: Some(json!({"text": "API errors"})),
            created_at: at(41),
            sent_at: Some(at(46)),
        }
    );
    let template = rt!(
        templates,
        templates::Model {
            id: 0,
            organization_id: org.id,
            key: "db-down".into(),
            kind: "incident".into(),
            name: "Database down".into(),
            title: "Database unavailable".into(),
            body: "We are investigating.".into(),
            default_impact: Some("critical".into()),
            default_status: Some("investigating".into()),
            version: 8,
            created_at: at(47),
            updated_at: at(48),
        }
    );
    rt!(template_components, template_components::Model { template_id: template.id, component_id: component.id });
    rt!(
        audit_log,
        audit_log::Model {
            id: 0,
            organization_id: Some(org.id),
            actor_user_id: Some(user.id),
            actor_api_token_id: Some(token.id),
            actor_label: "ops@acme.test".into(),
            action: "component.update".into(),
            entity_type: "component".into(),
            entity_id: Some(9_000_000_000),
            before: Some(json!({"status": "operational"})),
            after: Some(json!({"status": "degraded_performance"})),
            ip: Some("198.51.100.7".into()),
            created_at: at(49),
        }
    );
    let source = rt!(
        alert_sources,
        alert_sources::Model {
            id: 0,
            organization_id: org.id,
            kind: "alertmanager".into(),
            name: "Prod Alertmanager".into(),
            token_prefix: "hrla_cd34".into(),
            token_hash: "1".repeat(64),
            component_label: "service".into(),
            created_at: at(50),
            last_received_at: Some(at(51)),
            revoked_at: Some(at(52)),
        }
    );
    rt!(
        alerts,
        alerts::Model {
            id: 0,
            organization_id: org.id,
            alert_source_id: source.id,
            fingerprint: "c6f4a1b2e3d40987".into(),
            component_id: component.id,
            state: "firing".into(),
            title: "HighErrorRate: 5xx above 5 %".into(),
            severity: Some("critical".into()),
            first_fired_at: at(53),
            last_received_at: at(54),
        }
    );
    rt!(monitoring_watch, monitoring_watch::Model { id: 1, seen_at: at(56) });
    rt!(
        slug_redirects,
        slug_redirects::Model {
            id: 0,
            slug: format!("acme-old-{}", org.id),
            organization_id: org.id,
            created_at: at(55)
        }
    );
}

/// Check 5: every `Related` impl produces a working join that finds the linked row.
async fn check_related(db: &DatabaseConnection) {
    macro_rules! related {
        ($(($a:ident, $b:ident)),* $(,)?) => {{
            let mut n = 0;
            $(
                let found = $a::Entity::find().find_also_related($b::Entity).all(db).await
                    .unwrap_or_else(|e| panic!("{} -> {}: {e}", stringify!($a), stringify!($b)));
                assert!(found.iter().any(|(_, b)| b.is_some()), "{} -> {}: no linked row found", stringify!($a), stringify!($b));
                let with = $a::Entity::find().find_with_related($b::Entity).all(db).await
                    .unwrap_or_else(|e| panic!("{} =>> {}: {e}", stringify!($a), stringify!($b)));
                assert!(with.iter().any(|(_, bs)| !bs.is_empty()), "{} =>> {}: nothing linked", stringify!($a), stringify!($b));
                n += 1;
            )*
            n
        }};
    }
    let n = related![
        (alerts, alert_sources),
        (alerts, organizations),
        (alerts, components),
        (alert_sources, organizations),
        (api_tokens, organizations),
        (api_tokens, users),
        (audit_log, organizations),
        (audit_log, users),
        (audit_log, api_tokens),
        (check_results, monitors),
        (component_groups, organizations),
        (component_groups, components),
        (component_status_intervals, organizations),
        (component_status_intervals, components),
        (components, organizations),
        (components, component_groups),
        (components, component_status_intervals),
        (components, incident_components),
        (components, incident_update_components),
        (components, maintenance_components),
        (components, monitors),
        (components, subscriber_components),
        (components, template_components),
        (components, uptime_rollups),
        (components, incidents),
        (components, maintenances),
        (components, subscribers),
        (components, templates),
        (events, organizations),
        (events, notification_outbox),
        (incident_components, incidents),
        (incident_components, components),
        (incident_update_components, incident_updates),
        (incident_update_components, components),
        (incident_updates, organizations),
        (incident_updates, incidents),
        (incident_updates, users),
        (incident_updates, incident_update_components),
        (incidents, organizations),
        (incidents, users),
        (incidents, incident_updates),
        (incidents, incident_components),
        (incidents, components),
        (invitations, organizations),
        (maintenance_components, maintenances),
        (maintenance_components, components),
        (maintenance_updates, organizations),
        (maintenance_updates, maintenances),
        (maintenance_updates, users),
        (maintenances, organizations),
        (maintenances, users),
        (maintenances, maintenance_updates),
        (maintenances, maintenance_components),
        (maintenances, components),
        (memberships, organizations),
        (memberships, users),
        (monitors, organizations),
        (monitors, components),
        (monitors, check_results),
        (notification_outbox, organizations),
        (notification_outbox, events),
        (notification_outbox, subscribers),
        (organizations, alert_sources),
        (organizations, api_tokens),
        (organizations, audit_log),
        (organizations, component_groups),
        (organizations, components),
        (organizations, events),
        (organizations, incidents),
        (organizations, invitations),
        (organizations, maintenances),
        (organizations, memberships),
        (organizations, monitors),
        (organizations, subscribers),
        (organizations, templates),
        (password_resets, users),
        (sessions, users),
        (sessions, organizations),
        (slug_redirects, organizations),
        (subscriber_components, subscribers),
        (subscriber_components, components),
        (subscribers, organizations),
        (subscribers, subscriber_components),
        (subscribers, notification_outbox),
        (subscribers, components),
        (template_components, templates),
        (template_components, components),
        (templates, organizations),
        (templates, template_components),
        (templates, components),
        (uptime_rollups, organizations),
        (uptime_rollups, components),
        (users, memberships),
        (users, password_resets),
        (users, sessions),
    ];
    println!("{:?}: {n} Related impls joined", db.get_database_backend());
}

async fn delete_everything(db: &DatabaseConnection) {
    macro_rules! wipe {
        ($($m:ident),* $(,)?) => { $( $m::Entity::delete_many().exec(db).await.unwrap_or_else(|e| panic!("wipe {}: {e}", stringify!($m))); )* };
    }
    wipe![
        alerts,
        alert_sources,
        audit_log,
        template_components,
        templates,
        notification_outbox,
        events,
        subscriber_components,
        subscribers,
        uptime_rollups,
        check_results,
        monitors,
        maintenance_updates,
        maintenance_components,
        maintenances,
        incident_update_components,
        incident_updates,
        incident_components,
        incidents,
        component_status_intervals,
        components,
        component_groups,
        api_tokens,
        login_attempts,
        password_resets,
        sessions,
        invitations,
        memberships,
        users,
        slug_redirects,
        organizations,
        instance,
        monitoring_watch,
    ];
}

async fn check_all(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("migrations run");
    check_schema(db).await;
    check_rows(db, false).await;
    check_related(db).await;
    delete_everything(db).await;
    check_rows(db, true).await;
    println!("{:?}: 30 entities round-tripped, full and with every nullable column NULL", db.get_database_backend());
}

async fn entities_match_the_schema(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        eprintln!("skipped: set {} to run this test on PostgreSQL", crate::support::POSTGRES_ENV);
        return;
    };
    let db = herald_server::database::connect(&test_db.target, 4).await.expect("the test database opens");
    if backend == Backend::Sqlite {
        let fk: Vec<Vec<i32>> = rows(&db, "PRAGMA foreign_keys", &["foreign_keys"]).await;
        assert_eq!(fk, vec![vec![1]], "foreign keys enforced");
    }
    check_all(&db).await;
    db.close().await.expect("close");
}

#[tokio::test]
async fn entities_match_the_schema_on_sqlite() {
    entities_match_the_schema(Backend::Sqlite).await;
}

#[tokio::test]
async fn entities_match_the_schema_on_postgres() {
    entities_match_the_schema(Backend::Postgres).await;
}
