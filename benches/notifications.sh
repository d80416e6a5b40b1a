#!/usr/bin/env bash
# Notification fan-out benchmark: one incident update to 100,000 confirmed email subscribers and
# 1,000 webhooks, delivered by the release `herald serve` on SQLite through SMTP and HTTP to
# loopback sinks in the benchmark's own process. Reports, from one run, the time from the update
# to the last delivery, deliveries/s, and Herald's CPU and peak RSS. Keeps the report in
# benches/results/notifications.txt.
#
#   benches/notifications.sh                     # needs: cargo leptos build --release --precompress
#   BENCH_EMAILS=10000 BENCH_WEBHOOKS=100 benches/notifications.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$(pwd)/$target_dir" ;; esac
herald="$target_dir/release/herald"
[ -x "$herald" ] || { echo "bench: build first with: cargo leptos build --release --precompress" >&2; exit 1; }
mkdir -p benches/results
# `cargo bench` rebuilds the package's binaries in the same profile (without the site); the
# benchmark runs a copy of the one cargo-leptos built, and leaves that one as it was.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$herald" "$work/herald"
cp "$herald" "$work/herald.keep"
HERALD_BIN="$work/herald" cargo bench -q -p server --bench fan_out | tee benches/results/notifications.txt
cp "$work/herald.keep" "$herald"
