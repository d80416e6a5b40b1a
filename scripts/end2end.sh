#!/usr/bin/env bash
# Runs the browser tests against the release binary: a fresh SQLite database with the demo
# organization, the server on a free port, Playwright driving Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$(pwd)/$target_dir" ;; esac
herald="$target_dir/release/herald"
[ -x "$herald" ] || { echo "end2end: build first with: cargo leptos build --release --precompress" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/herald.db"
export HERALD_LOG="${HERALD_LOG:-warn}"
HERALD_E2E_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
export HERALD_E2E_PORT HERALD_E2E_BIN="$herald"
export HERALD_LISTEN="127.0.0.1:$HERALD_E2E_PORT"

"$herald" demo >/dev/null
cd end2end
npx playwright test "$@"
