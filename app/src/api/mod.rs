//! Server functions: one use case per file, grouped by resource. Reads use GET so they can be
//! cached and retried; writes are POSTed by `ActionForm`s that also work without JavaScript.

pub mod account;
pub mod api_tokens;
pub mod catalog;
pub mod checks;
pub mod dashboard;
pub mod directory;
pub mod members;
pub mod planner;
pub mod setup;
pub mod status_page;
pub mod subscribers;
pub mod templates;
