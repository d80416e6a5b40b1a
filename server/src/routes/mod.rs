//! HTTP routes that are not Leptos pages.

pub mod alerts;
pub mod badge;
pub mod feeds;
pub mod health;
pub mod heartbeat;
pub mod live;
pub mod moved;
pub mod public_api;
pub mod signed_in;
pub mod subscriber_export;
pub mod subscriptions;
pub mod unreadable_arguments;
