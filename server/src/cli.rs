//! `herald serve | migrate | create-admin | demo | incident | component | alert-source | api-token | config`.

use crate::application::{Application, StartupError, open_database};
use crate::config::Config;
use crate::startup::shutdown_signal;
use crate::telemetry;
use app::ssr::demo::{self, DemoOptions, DemoOutcome};
use app::ssr::operations::{self, ComponentChoice, OpenRequest, UpdateRequest};
use app::ssr::repositories::audit::Actor;
use app::ssr::setup::{self, AdminRequest, OrganizationRequest};
use app::ssr::{alerts, api_tokens, configuration, rollups, status_page};
use clap::{Parser, Subcommand};
use herald::{AlertSourceKind, Impact, IncidentStatus, Role, TokenScope};
use rand::distr::{Alphanumeric, SampleString};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    version,
    about = "Herald: self-hosted status pages, incidents, maintenance and monitoring.",
    after_help = "Configuration comes from the environment: DATABASE_URL (default sqlite://herald.db), HERALD_LISTEN (default 127.0.0.1:3000), HERALD_PUBLIC_URL, HERALD_LOG, HERALD_LOG_FORMAT, HERALD_SITE_ROOT, HERALD_DATABASE_MAX_CONNECTIONS, HERALD_SHUTDOWN_TIMEOUT_SECS. See the README."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (the default when no command is given).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Create an instance administrator, optionally with a first organization.
    CreateAdmin {
        /// The administrator's email address; it is also the sign-in name.
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input (otherwise from
        /// HERALD_ADMIN_PASSWORD, otherwise a strong one is generated and printed once).
        #[arg(long)]
        password_stdin: bool,
        /// Also create an organization with this name, administered by the new account.
        #[arg(long)]
        organization: Option<String>,
        /// The organization's page address (/s/<slug>); derived from its name when left out.
        #[arg(long, requires = "organization")]
        slug: Option<String>,
    },
    /// Create the organization "demo" with components, incidents, maintenance and 90 days
    /// of history. Safe to run again: an existing demo is left alone unless --reset is given.
    Demo {
        /// Delete the existing demo organization first and create it afresh.
        #[arg(long)]
        reset: bool,
        /// Add this many edge-location components (0 to 30), for a page as large as a real one.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=30))]
        edge_locations: u8,
    },
    /// Open, update or resolve an incident (what the dashboard does, from a terminal).
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// Change a component by hand.
    #[command(subcommand)]
    Component(ComponentCommand),
    /// Create, list or revoke the endpoints Alertmanager, Grafana or scripts post alerts to.
    #[command(subcommand)]
    AlertSource(AlertSourceCommand),
    /// Export an organization's setup as YAML, or apply a YAML document to it.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Create, list or revoke tokens for the admin REST API (`/api/v1`).
    #[command(subcommand)]
    ApiToken(ApiTokenCommand),
}

#[derive(Debug, Subcommand)]
enum ApiTokenCommand {
    /// Create a token; prints it (shown only now) and how to use it.
    Create {
        #[arg(long)]
        org: String,
        /// What the token is for, such as "Deploy pipeline".
        #[arg(long)]
        name: String,
        /// read (GET only) or write.
        #[arg(long, default_value = "read")]
        scope: TokenScope,
        /// admin, editor or viewer.
        #[arg(long, default_value = "editor")]
        role: Role,
        /// Days until it stops working; never when absent.
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// List an organization's tokens (never their secrets).
    List {
        #[arg(long)]
        org: String,
    },
    /// Revoke a token: it stops working at once.
    Revoke {
        #[arg(long)]
        org: String,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Write branding, groups, components and templates as YAML (to standard output by default).
    Export {
        #[arg(long)]
        org: String,
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
    /// Apply a YAML document: prints each change, then applies them all in one transaction.
    Import {
        #[arg(long)]
        org: String,
        #[arg(long)]
        file: std::path::PathBuf,
        /// Only print what would change.
        #[arg(long)]
        dry_run: bool,
        /// Also delete groups, components (with their history) and templates the document leaves out.
        #[arg(long)]
        prune: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AlertSourceCommand {
    /// Create an alert source; prints its token (shown only now) and where to post.
    Create {
        #[arg(long)]
        org: String,
        /// alertmanager, grafana or generic.
        #[arg(long)]
        kind: AlertSourceKind,
        /// A name people recognise; incident updates are signed with it.
        #[arg(long)]
        name: String,
        /// The alert label whose value is a component's key.
        #[arg(long, default_value = "component")]
        label: String,
    },
    /// List an organization's alert sources.
    List {
        #[arg(long)]
        org: String,
    },
    /// Revoke a source: its token stops working at once.
    Revoke {
        #[arg(long)]
        org: String,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
enum IncidentCommand {
    /// Open an incident; prints its id.
    Open {
        /// The organization's slug.
        #[arg(long)]
        org: String,
        /// The incident's title, as your users will read it.
        #[arg(long)]
        name: String,
        /// none, minor, major or critical; sets the affected components' suggested status.
        #[arg(long, default_value = "minor")]
        impact: Impact,
        /// investigating, identified, monitoring (or resolved, for a backfill).
        #[arg(long, default_value = "investigating")]
        status: IncidentStatus,
        /// The first update, in Markdown.
        #[arg(long)]
        message: String,
        /// An affected component by key, optionally with its status (api=partial_outage).
        #[arg(long = "component")]
        components: Vec<ComponentChoice>,
        /// Do not notify subscribers of this update.
        #[arg(long)]
        quiet: bool,
    },
    /// Post an update on an open incident.
    Update {
        #[arg(long)]
        org: String,
        /// The incident's id, as `incident open` printed it.
        #[arg(long)]
        id: i64,
        #[arg(long)]
        status: IncidentStatus,
        #[arg(long)]
        message: String,
        /// A component whose status changes (api=operational); new ones join the incident.
        #[arg(long = "component")]
        components: Vec<ComponentChoice>,
        #[arg(long)]
        quiet: bool,
    },
    /// Resolve an incident: its components return to operational unless something else holds them.
    Resolve {
        #[arg(long)]
        org: String,
        #[arg(long)]
        id: i64,
        #[arg(long, default_value = "This incident has been resolved.")]
        message: String,
        #[arg(long)]
        quiet: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ComponentCommand {
    /// Set a component's status by hand: `--component api=partial_outage`.
    SetStatus {
        #[arg(long)]
        org: String,
        #[arg(long)]
        component: ComponentChoice,
    },
}

/// Parses the command line, runs the command, and turns any failure into one line on stderr
/// and a non-zero exit code.
pub fn run() -> ExitCode {
    // clap prints its own message and exits with status 2 for unknown flags or commands.
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => return fail(&error.to_string()),
    };
    telemetry::init(&config.log_filter, config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("Cannot start the async runtime: {error}.")),
    };
    let outcome = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(&config).await,
            Command::Migrate => migrate(&config).await,
            Command::CreateAdmin { email, password_stdin, organization, slug } => {
                create_admin(&config, email, password_stdin, organization, slug).await
            }
            Command::Demo { reset, edge_locations } => {
                seed_demo(&config, DemoOptions { reset, edge_locations: usize::from(edge_locations) }).await
            }
            Command::Incident(command) => incident(&config, command).await,
            Command::Component(command) => component(&config, command).await,
            Command::AlertSource(command) => alert_source(&config, command).await,
            Command::ApiToken(command) => api_token(&config, command).await,
            Command::Config(command) => configuration_command(&config, command).await,
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("herald: {message}");
    ExitCode::FAILURE
}

async fn serve(config: &Config) -> Result<(), String> {
    let application = Application::build(config).await.map_err(|error| error.to_string())?;
    let url = format!("http://{}", application.address());
    tracing::info!(%url, "Herald is listening");
    if setup::is_needed(application.db()).await.unwrap_or(false) {
        tracing::info!("no administrator yet: open {url}/setup (or run `herald create-admin`) to create one");
    }
    application
        .run_until(shutdown_signal())
        .await
        .map_err(|error| format!("The server stopped with an error: {error}."))?;
    tracing::info!("Herald stopped");
    Ok(())
}

async fn migrate(config: &Config) -> Result<(), String> {
    let db =
        crate::database::connect(&config.database, config.max_connections).await.map_err(|error| error.to_string())?;
    let applied = crate::database::migrate(&db).await.map_err(|error| error.to_string())?;
    println!(
        "{} on the {}; the schema is up to date.",
        match applied {
            0 => "No migration was pending".to_owned(),
            1 => "Applied 1 migration".to_owned(),
            n => format!("Applied {n} migrations"),
        },
        config.database.describe()
    );
    Ok(())
}

async fn create_admin(
    config: &Config,
    email: String,
    password_stdin: bool,
    organization: Option<String>,
    slug: Option<String>,
) -> Result<(), String> {
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|error| format!("Cannot read the password from standard input: {error}."))?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else if let Some(password) = std::env::var("HERALD_ADMIN_PASSWORD").ok().filter(|value| !value.is_empty()) {
        (password, false)
    } else {
        (Alphanumeric.sample_string(&mut rand::rng(), 24), true)
    };
    let db = open_database(config).await.map_err(|error: StartupError| error.to_string())?;
    let request = AdminRequest {
        email,
        password: password.clone(),
        password_confirmation: None,
        organization: organization.map(|name| OrganizationRequest { name, slug: slug.unwrap_or_default() }),
    };
    let created = setup::create_admin_from_cli(&db, request).await.map_err(|error| error.to_string())?;
    println!("Created administrator {}.", created.user.email);
    if generated {
        println!("Password (shown only now): {password}");
    }
    if let Some(organization) = created.organization {
        println!(
            "Created organization \"{}\"; its status page is at http://{}/s/{}.",
            organization.name, config.listen, organization.slug
        );
    }
    Ok(())
}

async fn seed_demo(config: &Config, options: DemoOptions) -> Result<(), String> {
    let db = open_database(config).await.map_err(|error| error.to_string())?;
    let now = chrono::Utc::now();
    let outcome =
        demo::seed(&db, options, now, |step| println!("  {step}…")).await.map_err(|error| error.to_string())?;
    if matches!(outcome, DemoOutcome::Created { .. }) {
        println!("  Computing daily uptime…");
        rollups::catch_up(&db, status_page::HEATMAP_DAYS, now)
            .await
            .map_err(|error| format!("Computing daily uptime failed: {error}."))?;
    }
    match outcome {
        DemoOutcome::Created { components, incidents, maintenances, intervals } => println!(
            "Created the demo organization: {components} components, {incidents} incidents, {maintenances} maintenances, {intervals} status intervals."
        ),
        DemoOutcome::AlreadyPresent => {
            println!("The demo organization already exists; left as it is (use `herald demo --reset` to recreate it).")
        }
    }
    println!("Open http://{}/s/{} once `herald serve` is running.", config.listen, demo::DEMO_SLUG);
    Ok(())
}

async fn incident(config: &Config, command: IncidentCommand) -> Result<(), String> {
    let db = open_database(config).await.map_err(|error| error.to_string())?;
    let now = chrono::Utc::now();
    let failed = |error: app::error::AppError| error.to_string();
    match command {
        IncidentCommand::Open { org, name, impact, status, message, components, quiet } => {
            let request = OpenRequest { name, impact, status, message, components, notify_subscribers: !quiet };
            let id = operations::open_incident(&db, &org, request, now).await.map_err(failed)?;
            println!("{id}");
            eprintln!("Opened incident {id}; it is on http://{}/s/{org}/incidents/{id}.", config.listen);
        }
        IncidentCommand::Update { org, id, status, message, components, quiet } => {
            let request = UpdateRequest { incident_id: id, status, message, components, notify_subscribers: !quiet };
            operations::update_incident(&db, &org, request, now).await.map_err(failed)?;
            println!("Posted the update to incident {id}.");
        }
        IncidentCommand::Resolve { org, id, message, quiet } => {
            let request = UpdateRequest {
                incident_id: id,
                status: IncidentStatus::Resolved,
                message,
                components: Vec::new(),
                notify_subscribers: !quiet,
            };
            operations::update_incident(&db, &org, request, now).await.map_err(failed)?;
            println!("Resolved incident {id}.");
        }
    }
    Ok(())
}

async fn component(config: &Config, command: ComponentCommand) -> Result<(), String> {
    let db = open_database(config).await.map_err(|error| error.to_string())?;
    match command {
        ComponentCommand::SetStatus { org, component } => {
            if component.status.is_none() {
                return Err(format!("Give the new status too, such as --component {}=partial_outage.", component.key));
            }
            let changed = operations::set_component_status(&db, &org, &component, chrono::Utc::now())
                .await
                .map_err(|error| error.to_string())?;
            println!("{}", if changed { "Status changed." } else { "The component already had that status." });
        }
    }
    Ok(())
}

async fn configuration_command(config: &Config, command: ConfigCommand) -> Result<(), String> {
    let db = open_database(config).await.map_err(|error| error.to_string())?;
    match command {
        ConfigCommand::Export { org, file } => {
            let organization = status_page::organization(&db, &org)
                .await
                .map_err(|_| format!("There is no organization \"{org}\"."))?;
            let document = configuration::export(&db, &organization).await.map_err(|error| error.to_string())?;
            let yaml = configuration::to_yaml(&organization.slug, &document).map_err(|error| error.to_string())?;
            match file {
                Some(path) => {
                    std::fs::write(&path, yaml)
                        .map_err(|error| format!("Cannot write {}: {error}.", path.display()))?;
                    eprintln!("Wrote the configuration of \"{org}\" to {}.", path.display());
                }
                None => print!("{yaml}"),
            }
        }
        ConfigCommand::Import { org, file, dry_run, prune } => {
            let text =
                std::fs::read_to_string(&file).map_err(|error| format!("Cannot read {}: {error}.", file.display()))?;
            let wanted = configuration::from_yaml(&text).map_err(|error| format!("{}: {error}", file.display()))?;
            let options =
                configuration::ImportOptions { prune, dry_run, check_intervals: config.monitoring.interval_bounds() };
            let imported = configuration::import(
                &db,
                None,
                Actor::System("command line"),
                &org,
                &wanted,
                options,
                chrono::Utc::now(),
            )
            .await
            .map_err(|error| error.to_string())?;
            let plan = imported.plan;
            for change in &plan {
                println!("{change}");
            }
            for (check, path) in &imported.heartbeat_paths {
                println!(
                    "Heartbeat check \"{check}\" is pinged at {}{path} (shown once; keep it secret).",
                    config.public_url_or(config.listen)
                );
            }
            match (plan.len(), dry_run) {
                (0, _) => println!("Nothing to change: \"{org}\" already matches {}.", file.display()),
                (n, true) => println!("Dry run: {n} change(s) planned; nothing was written."),
                (n, false) => println!("Applied {n} change(s) to \"{org}\" in one transaction."),
            }
        }
    }
    Ok(())
}

async fn api_token(config: &Config, command: ApiTokenCommand) -> Result<(), String> {
    let db = open_database(config).await.map_err(|error| error.to_string())?;
    let failed = |error: app::error::AppError| error.to_string();
    let now = chrono::Utc::now();
    let (ApiTokenCommand::Create { org, .. } | ApiTokenCommand::List { org } | ApiTokenCommand::Revoke { org, .. }) =
        &command;
    let organization =
        status_page::organization(&db, org).await.map_err(|_| format!("There is no organization \"{org}\"."))?;
    match command {
        ApiTokenCommand::Create { name, scope, role, expires_in_days, .. } => {
            let expires_at = expires_in_days.map(|days| now + chrono::TimeDelta::days(i64::from(days.max(1))));
            let new = api_tokens::NewApiToken { name, scope, role: Some(role), expires_at };
            let created = api_tokens::create(&db, organization.id, api_tokens::TokenCreator::CommandLine, new, now)
                .await
                .map_err(failed)?;
            let base = config.public_url_or(config.listen);
            println!("{}", created.token);
            eprintln!(
                "Created API token {} \"{}\" ({} scope, {} role) for \"{}\". The token above is shown only now.\n\
                 Use it as: curl -H 'Authorization: Bearer <token>' {base}/api/v1/components\n\
                 The API is described at {base}/api/v1/docs.",
                created.details.id,
                created.details.name,
                created.details.scope,
                created.details.role,
                organization.slug
            );
        }
        ApiTokenCommand::List { .. } => {
            let tokens = api_tokens::list(&db, organization.id).await.map_err(failed)?;
            if tokens.is_empty() {
                println!("No API tokens yet; create one with `herald api-token create`.");
            }
            for token in tokens {
                let used =
                    token.last_used_at.map_or("never used".to_owned(), |at| format!("last used {}", at.to_rfc3339()));
                let state = match (token.revoked_at, token.expires_at) {
                    (Some(_), _) => "revoked".to_owned(),
                    (None, Some(expires)) if expires <= now => "expired".to_owned(),
                    (None, Some(expires)) => format!("expires {}", expires.to_rfc3339()),
                    (None, None) => "active".to_owned(),
                };
                println!(
                    "{}\t{}\t{}…\t{}\t{}\t{used}\t{state}",
                    token.id, token.name, token.prefix, token.scope, token.role
                );
            }
        }
        ApiTokenCommand::Revoke { id, .. } => {
            api_tokens::revoke(&db, organization.id, Actor::System("command line"), id, now).await.map_err(failed)?;
            println!("Revoked API token {id}; it no longer works.");
        }
    }
    Ok(())
}

async fn alert_source(config: &Config, command: AlertSourceCommand) -> Result<(), String> {
    let db = open_database(config).await.map_err(|error| error.to_string())?;
    let failed = |error: app::error::AppError| error.to_string();
    let now = chrono::Utc::now();
    match command {
        AlertSourceCommand::Create { org, kind, name, label } => {
            let organization = status_page::organization(&db, &org)
                .await
                .map_err(|_| format!("There is no organization \"{org}\"."))?;
            let new = alerts::NewAlertSource { kind, name, component_label: label };
            let created = alerts::create_source(&db, organization.id, new, now).await.map_err(failed)?;
            let base = config.public_url_or(config.listen);
            println!("{}", created.token);
            eprintln!(
                "Created alert source {} \"{}\" ({kind}). The token above is shown only now.\n\
                 Post alerts to {base}/api/v1/alerts/{kind} with the header Authorization: Bearer <token>\n\
                 (or to {base}/api/v1/alerts/{kind}/<token>). Alerts name their component with the label \"{}\".",
                created.source.id, created.source.name, created.source.component_label
            );
        }
        AlertSourceCommand::List { org } => {
            let organization = status_page::organization(&db, &org)
                .await
                .map_err(|_| format!("There is no organization \"{org}\"."))?;
            let sources = alerts::list_sources(&db, organization.id).await.map_err(failed)?;
            if sources.is_empty() {
                println!("No alert sources yet; create one with `herald alert-source create`.");
            }
            for source in sources {
                let heard = source.last_received_at.map_or("never".to_owned(), |at| at.to_rfc3339());
                let state = if source.revoked_at.is_some() { "revoked" } else { "active" };
                println!(
                    "{}\t{}\t{}\t{}…\tlabel {}\tlast alert {heard}\t{state}",
                    source.id, source.kind, source.name, source.token_prefix, source.component_label
                );
            }
        }
        AlertSourceCommand::Revoke { org, id } => {
            let organization = status_page::organization(&db, &org)
                .await
                .map_err(|_| format!("There is no organization \"{org}\"."))?;
            alerts::revoke_source(&db, organization.id, id, now).await.map_err(failed)?;
            println!("Revoked alert source {id}; its token no longer works.");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn unknown_flags_and_commands_are_refused() {
        assert!(Cli::try_parse_from(["herald", "--frobnicate"]).is_err());
        assert!(Cli::try_parse_from(["herald", "launch"]).is_err());
        assert!(Cli::try_parse_from(["herald", "create-admin"]).is_err(), "--email is required");
        assert!(Cli::try_parse_from(["herald", "create-admin", "--email", "a@b.co", "--slug", "x"]).is_err());
        assert!(Cli::try_parse_from(["herald"]).is_ok());
        assert!(Cli::try_parse_from(["herald", "demo", "--reset"]).is_ok());
        assert!(Cli::try_parse_from(["herald", "demo", "--edge-locations", "20"]).is_ok());
        assert!(Cli::try_parse_from(["herald", "demo", "--edge-locations", "31"]).is_err());
        let open = ["herald", "incident", "open", "--org", "demo", "--name", "x", "--message", "y"];
        assert!(Cli::try_parse_from(open).is_ok());
        assert!(Cli::try_parse_from([&open[..], &["--impact", "apocalyptic"]].concat()).is_err());
        assert!(Cli::try_parse_from([&open[..], &["--component", "api=on_fire"]].concat()).is_err());
        assert!(Cli::try_parse_from([&open[..], &["--component", "api=major_outage"]].concat()).is_ok());
        assert!(
            Cli::try_parse_from([
                "herald",
                "component",
                "set-status",
                "--org",
                "demo",
                "--component",
                "api=operational"
            ])
            .is_ok()
        );
        let create = ["herald", "alert-source", "create", "--org", "demo", "--name", "Prometheus"];
        assert!(Cli::try_parse_from([&create[..], &["--kind", "alertmanager"]].concat()).is_ok());
        assert!(Cli::try_parse_from([&create[..], &["--kind", "nagios"]].concat()).is_err());
        assert!(Cli::try_parse_from(["herald", "alert-source", "revoke", "--org", "demo", "--id", "x"]).is_err());
        assert!(Cli::try_parse_from(["herald", "config", "export", "--org", "demo"]).is_ok());
        assert!(Cli::try_parse_from(["herald", "config", "import", "--org", "demo"]).is_err(), "--file is required");
        let import = ["herald", "config", "import", "--org", "demo", "--file", "acme.yaml", "--dry-run", "--prune"];
        assert!(Cli::try_parse_from(import).is_ok());
    }
}
