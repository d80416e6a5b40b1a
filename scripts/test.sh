#!/usr/bin/env bash
# Sets up what is missing and runs every test: formatting and lints, the browser bundle's
# build check, unit and integration tests on SQLite (and on PostgreSQL when
# HERALD_TEST_DATABASE_URL is set), then the release build and the end-to-end tests in
# Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh --test

step "Formatting"
cargo fmt --all --check

step "Lints (server and shared code)"
cargo clippy --quiet --workspace --exclude frontend --all-targets -- -D warnings

step "Lints and build check of the browser bundle (wasm32, no server code)"
cargo clippy --quiet -p frontend --target wasm32-unknown-unknown -- -D warnings

if [ -z "${HERALD_TEST_DATABASE_URL:-}" ]; then
  step "HERALD_TEST_DATABASE_URL is not set: PostgreSQL variants of the tests will be skipped"
fi
step "Unit and integration tests"
cargo test --workspace --exclude frontend

step "Release build"
cargo leptos build --release --precompress

step "End-to-end tests in headless Chromium"
scripts/end2end.sh
