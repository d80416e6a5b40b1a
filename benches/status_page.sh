#!/usr/bin/env bash
# Outage-traffic benchmark: GET /s/demo (30 components, gzip) from Herald beside nginx serving
# the very same pre-compressed bytes from a file, at 64 and 512 connections, then Herald again
# while one component status changes every second. One run, loopback, wrk; prints the figures
# with their ratios and the targets, and keeps them in benches/results/latest.txt.
#
#   benches/status_page.sh                 # needs: cargo leptos build --release --precompress
#   BENCH_DURATION=20s BENCH_RUNS=5 benches/status_page.sh
. "$(dirname "$0")/common.sh"
start_herald
herald_url="http://127.0.0.1:$herald_port/s/demo"
curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' "$herald_url"

mkdir -p "$work/www"
curl -fsS -H 'Accept-Encoding: gzip' -o "$work/www/demo.html.gz" "$herald_url"
raw_size="$(curl -fsS "$herald_url" | wc -c)"
gzip_size="$(wc -c < "$work/www/demo.html.gz")"
components="$(curl -fsS "$herald_url" | grep -o 'class="component"' | wc -l)"

start_nginx /s/demo "$work/www/demo.html.gz" "text/html; charset=utf-8" 'add_header Vary "Accept-Encoding, Accept-Language";'
nginx_url="http://127.0.0.1:$nginx_port/s/demo"
nginx_size="$(curl -fsS -H 'Accept-Encoding: gzip' "$nginx_url" | wc -c)"
[ "$nginx_size" = "$gzip_size" ] || { echo "bench: nginx serves $nginx_size bytes, Herald $gzip_size" >&2; exit 1; }

compare_under_load "$herald_url" "$nginx_url"
etag_changes="$(curl -fsS -D - -o /dev/null "$herald_url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')"

wasm="$target_dir/site/pkg/herald.wasm"
report="$(
  echo "Herald status page benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  machine_line
  echo "page: /s/demo with $components components, $raw_size bytes of HTML, $gzip_size bytes gzip (identical bytes from both servers; last ETag $etag_changes)"
  [ -f "$wasm" ] && echo "wasm bundle: $(wc -c < "$wasm") bytes, $(wc -c < "$wasm.br" 2>/dev/null || echo ?) brotli, $(wc -c < "$wasm.gz" 2>/dev/null || echo ?) gzip"
  echo "wrk -t$threads, median of $runs runs of $duration after a 2 s warm-up, Accept-Encoding: gzip, loopback"
  echo
  comparison_table
)"
mkdir -p benches/results
printf '%s\n' "$report" | tee benches/results/latest.txt
