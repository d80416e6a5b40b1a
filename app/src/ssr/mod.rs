//! Everything that only exists on the server: application state, database entities and
//! queries, the use cases the server functions and CLI commands call, and the workers that
//! keep pages live. Never compiled into the browser bundle.

pub mod account_mail;
pub mod accounts;
pub mod admin;
pub mod alerts;
pub mod api_tokens;
pub mod badge;
pub mod caller;
pub mod catalog;
pub mod check_board;
pub mod component_status;
pub mod configuration;
pub mod dashboard;
pub mod demo;
pub mod directory;
pub mod entities;
pub mod errors;
pub mod events;
pub mod feeds;
pub mod html;
pub mod hub;
pub mod incidents;
pub mod keyring;
pub mod maintenance;
pub mod markdown;
pub mod moments;
pub mod monitoring;
pub mod notifications;
pub mod operations;
pub mod password;
pub mod password_reset;
pub mod planner;
pub mod public_api;
pub mod public_pages;
pub mod repositories;
pub mod rollups;
pub mod secrets;
pub mod session_cookie;
pub mod setup;
pub mod snapshots;
pub mod state;
pub mod status_page;
pub mod template_library;
pub mod views;
pub mod watch;

pub use errors::{internal, respond, respond_to_form};
pub use state::AppState;
