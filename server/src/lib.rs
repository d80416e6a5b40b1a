//! The `herald` binary's library: configuration, database, HTTP server and CLI commands.
//! `main.rs` only calls [`cli::run`]; the integration tests drive [`application::Application`].

#![recursion_limit = "256"]

pub mod admin_api;
pub mod api_cache;
pub mod application;
pub mod assets;
pub mod cli;
pub mod compressed;
pub mod conditional;
pub mod config;
pub mod custom_domain;
pub mod database;
pub mod metrics;
pub mod monitoring;
pub mod notifications;
pub mod page_cache;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod workers;
