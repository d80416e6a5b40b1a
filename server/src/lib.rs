//! The `herald` binary's library: configuration, database, HTTP server and CLI commands.
//! `main.rs` only calls [`cli::run`]; the integration tests drive [`application::Application`].

pub mod application;
pub mod assets;
pub mod cli;
pub mod config;
pub mod database;
pub mod routes;
pub mod startup;
pub mod telemetry;
