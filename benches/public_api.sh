#!/usr/bin/env bash
# Polling benchmark: GET /s/demo/api/v2/summary.json (Statuspage's summary of the 30-component
# demo, gzip) from Herald beside nginx serving the very same pre-compressed bytes from a file,
# at 64 and 512 connections, then Herald again while one component status changes every
# second. One run, loopback, wrk; prints the figures with their ratios and the targets, and
# keeps them in benches/results/public_api.txt.
#
#   benches/public_api.sh                  # needs: cargo leptos build --release --precompress
#   BENCH_DURATION=20s BENCH_RUNS=5 benches/public_api.sh
. "$(dirname "$0")/common.sh"
start_herald
path=/s/demo/api/v2/summary.json
herald_url="http://127.0.0.1:$herald_port$path"
curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' "$herald_url"

mkdir -p "$work/www"
curl -fsS -H 'Accept-Encoding: gzip' -o "$work/www/summary.json.gz" "$herald_url"
raw_size="$(curl -fsS "$herald_url" | wc -c)"
gzip_size="$(wc -c < "$work/www/summary.json.gz")"
components="$(curl -fsS "$herald_url" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["components"]))')"

start_nginx "$path" "$work/www/summary.json.gz" "application/json" \
  'add_header Vary "Accept-Encoding"; add_header Access-Control-Allow-Origin "*"; add_header Cache-Control "public, max-age=10";'
nginx_url="http://127.0.0.1:$nginx_port$path"
nginx_size="$(curl -fsS -H 'Accept-Encoding: gzip' "$nginx_url" | wc -c)"
[ "$nginx_size" = "$gzip_size" ] || { echo "bench: nginx serves $nginx_size bytes, Herald $gzip_size" >&2; exit 1; }

compare_under_load "$herald_url" "$nginx_url"

report="$(
  echo "Herald public API benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  machine_line
  echo "document: $path with $components components and groups, $raw_size bytes of JSON, $gzip_size bytes gzip (identical bytes from both servers)"
  echo "wrk -t$threads, median of $runs runs of $duration after a 2 s warm-up, Accept-Encoding: gzip, loopback"
  echo
  comparison_table
)"
mkdir -p benches/results
printf '%s\n' "$report" | tee benches/results/public_api.txt
