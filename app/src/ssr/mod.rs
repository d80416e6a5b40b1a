//! Everything that only exists on the server: application state, database entities and
//! queries, and the use cases the server functions and CLI commands call.
//! Never compiled into the browser bundle.

pub mod demo;
pub mod directory;
pub mod entities;
pub mod errors;
pub mod password;
pub mod repositories;
pub mod setup;
pub mod state;
pub mod status_page;

pub use errors::{internal, respond, respond_to_form};
pub use state::AppState;
