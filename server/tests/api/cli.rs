//! The `herald` binary as a person runs it: commands, exit codes and one-sentence errors.

use crate::support::{Backend, TestDatabase};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn herald(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_herald"));
    command.args(args).env_remove("DATABASE_URL").env("HERALD_LOG", "warn");
    for (name, value) in env {
        command.env(name, value);
    }
    command.stdin(Stdio::null()).output().expect("run herald")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The failure message: one line, starting "herald: ", naming the problem.
fn assert_one_sentence_failure(output: &Output, needle: &str) {
    assert_eq!(output.status.code(), Some(1), "stderr: {}", stderr(output));
    let text = stderr(output);
    let last = text.lines().last().unwrap_or_default();
    assert!(last.starts_with("herald: "), "{text}");
    assert!(last.contains(needle), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn an_unknown_flag_is_refused_with_usage() {
    let output = herald(&["--frobnicate"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unexpected argument '--frobnicate'"), "{}", stderr(&output));
}

#[test]
fn a_malformed_database_url_is_explained() {
    let output = herald(&["migrate"], &[("DATABASE_URL", "mysql://localhost/herald")]);
    assert_one_sentence_failure(&output, "DATABASE_URL uses \"mysql\"");
}

#[test]
fn an_unreachable_postgres_is_explained() {
    let output = herald(&["migrate"], &[("DATABASE_URL", "postgres://herald:secret@127.0.0.1:9/herald")]);
    assert_one_sentence_failure(&output, "Cannot reach PostgreSQL at");
    assert!(!stderr(&output).contains("secret"), "the password never appears");
}

#[test]
fn a_bad_listen_address_is_explained() {
    let output = herald(&["serve"], &[("HERALD_LISTEN", "localhost")]);
    assert_one_sentence_failure(&output, "HERALD_LISTEN");
}

#[test]
fn a_missing_database_directory_is_explained() {
    let output = herald(&["migrate"], &[("DATABASE_URL", "sqlite:///no/such/dir/herald.db")]);
    assert_one_sentence_failure(&output, "does not exist");
}

/// Root ignores file permissions, so the read-only case runs herald as `nobody`.
#[test]
fn a_read_only_data_directory_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let url = format!("sqlite://{}/herald.db", data.display());
    let output = if is_root {
        // nobody must be able to reach the directory, but not write in it.
        for path in [dir.path(), data.as_path()] {
            std::process::Command::new("chmod").arg("755").arg(path).status().unwrap();
        }
        std::process::Command::new("chmod").arg("555").arg(&data).status().unwrap();
        // The build directory may sit under a home nobody cannot enter: run a copy.
        let binary = dir.path().join("herald");
        std::fs::copy(env!("CARGO_BIN_EXE_herald"), &binary).unwrap();
        Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(&binary)
            .arg("migrate")
            .env("DATABASE_URL", &url)
            .env("HERALD_LOG", "warn")
            .current_dir(dir.path())
            .output()
            .expect("run herald as nobody")
    } else {
        std::process::Command::new("chmod").arg("555").arg(&data).status().unwrap();
        herald(&["migrate"], &[("DATABASE_URL", &url)])
    };
    assert_one_sentence_failure(&output, "cannot be created");
    std::process::Command::new("chmod").arg("755").arg(&data).status().unwrap();
}

#[test]
fn migrate_demo_and_create_admin_on_a_fresh_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/herald.db", dir.path().display());
    let env = [("DATABASE_URL", url.as_str())];

    let migrate = herald(&["migrate"], &env);
    assert!(migrate.status.success(), "{}", stderr(&migrate));
    let all = <migrations::Migrator as migrations::MigratorTrait>::migrations().len();
    assert!(stdout(&migrate).starts_with(&format!("Applied {all} migrations")), "{}", stdout(&migrate));
    let again = herald(&["migrate"], &env);
    assert!(stdout(&again).starts_with("No migration was pending"), "{}", stdout(&again));

    let demo = herald(&["demo"], &env);
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert!(stdout(&demo).contains("Writing 90 days of status history"), "progress is shown: {}", stdout(&demo));
    assert!(stdout(&demo).contains("Created the demo organization"));
    let demo_again = herald(&["demo"], &env);
    assert!(demo_again.status.success());
    assert!(stdout(&demo_again).contains("already exists"), "{}", stdout(&demo_again));

    let admin = herald(&["create-admin", "--email", "root@acme.example", "--organization", "Acme Ops"], &env);
    assert!(admin.status.success(), "{}", stderr(&admin));
    let text = stdout(&admin);
    assert!(text.contains("Created administrator root@acme.example."), "{text}");
    let password = text.lines().find_map(|line| line.strip_prefix("Password (shown only now): ")).unwrap();
    assert_eq!(password.len(), 24);
    assert!(text.contains("/s/acme-ops"), "{text}");

    let duplicate = herald(
        &["create-admin", "--email", "ROOT@acme.example"],
        &[("DATABASE_URL", url.as_str()), ("HERALD_ADMIN_PASSWORD", "another good password")],
    );
    assert_one_sentence_failure(&duplicate, "already exists");

    let bad_email = herald(&["create-admin", "--email", "root"], &env);
    assert_eq!(bad_email.status.code(), Some(1));
}

#[test]
fn the_default_database_is_herald_db_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("migrate")
        .env_remove("DATABASE_URL")
        .env("HERALD_LOG", "warn")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("herald.db").is_file());
}

/// `herald serve` answers /healthz, and SIGTERM stops it cleanly with exit code 0.
#[tokio::test]
async fn serve_stops_gracefully_on_sigterm() {
    let Some(database) = TestDatabase::create(Backend::Sqlite).await else { return };
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_herald"))
        .arg("serve")
        .env("DATABASE_URL", database.url())
        .env("HERALD_LISTEN", format!("127.0.0.1:{port}"))
        .env("HERALD_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = Instant::now();
    let healthy = loop {
        if let Ok(response) = client.get(format!("http://127.0.0.1:{port}/healthz")).send().await {
            break response.status() == 200;
        }
        if started.elapsed() > Duration::from_secs(30) {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(healthy, "herald serve answers /healthz");
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let status = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut log = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            std::io::Read::read_to_string(&mut stderr, &mut log).ok();
        }
        (status, log)
    })
    .await
    .unwrap();
    assert!(status.0.success(), "exit status {:?}: {}", status.0, status.1);
    assert!(status.1.contains("Herald stopped"), "{}", status.1);
}
