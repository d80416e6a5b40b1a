#!/usr/bin/env bash
# Sets up what is missing, builds Herald in release mode, loads the demo organization
# (once) and serves Herald on http://127.0.0.1:3000 with the embedded SQLite database
# (herald.db in this directory). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh

step "Building Herald (release)"
cargo leptos build --release --precompress
herald="${CARGO_TARGET_DIR:-target}/release/herald"

step "Loading the demo organization"
"$herald" demo
step "Serving Herald on http://${HERALD_LISTEN:-127.0.0.1:3000} (demo page: /s/demo, first-run setup: /setup)"
exec "$herald" serve
