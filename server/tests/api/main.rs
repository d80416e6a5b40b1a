//! Herald's integration tests: the real server on a random port against a real database,
//! SQLite always and PostgreSQL too when HERALD_TEST_DATABASE_URL is set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod accounts;
mod admin_api;
mod alerts;
mod catalog;
mod cli;
mod configuration;
mod dashboard;
mod demo;
mod entities;
mod feeds;
mod health;
mod members;
mod metrics;
mod migrations;
mod monitoring;
mod notifications;
mod organization_settings;
mod pages;
mod public_api;
mod receivers;
mod setup;
mod status_page;
mod subscriber_admin;
