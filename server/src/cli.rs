//! `herald serve | migrate | create-admin | demo`.

use crate::application::{Application, StartupError, open_database};
use crate::config::Config;
use crate::startup::shutdown_signal;
use crate::telemetry;
use app::ssr::demo::{self, DemoOutcome};
use app::ssr::setup::{self, AdminRequest, OrganizationRequest};
use clap::{Parser, Subcommand};
use rand::distr::{Alphanumeric, SampleString};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    version,
    about = "Herald: self-hosted status pages, incidents, maintenance and monitoring.",
    after_help = "Configuration comes from the environment: DATABASE_URL (default sqlite://herald.db), HERALD_LISTEN (default 127.0.0.1:3000), HERALD_LOG, HERALD_LOG_FORMAT, HERALD_SITE_ROOT, HERALD_DATABASE_MAX_CONNECTIONS, HERALD_SHUTDOWN_TIMEOUT_SECS. See the README."
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
            Command::Demo { reset } => seed_demo(&config, reset).await,
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

async fn seed_demo(config: &Config, reset: bool) -> Result<(), String> {
    let db = open_database(config).await.map_err(|error| error.to_string())?;
    let outcome = demo::seed(&db, reset, chrono::Utc::now(), |step| println!("  {step}…"))
        .await
        .map_err(|error| error.to_string())?;
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
    }
}
