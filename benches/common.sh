# Shared by the benchmarks (sourced, not run): the release binary, wrk and nginx, a scratch
# directory cleaned up on exit, a demo Herald, an nginx serving fixed bytes, and a wrk
# measurement that reports the median of several runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
duration="${BENCH_DURATION:-10s}"
runs="${BENCH_RUNS:-3}"
threads="${BENCH_THREADS:-2}"
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
herald="$target_dir/release/herald"

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
[ -x "$herald" ] || { echo "bench: build first with: cargo leptos build --release --precompress" >&2; exit 1; }

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  step "Installing wrk and nginx (Debian)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Creates the demo organization with 30 components and serves it; sets herald_port.
start_herald() {
  export DATABASE_URL="sqlite://$work/herald.db" HERALD_LOG=warn
  step "Creating the demo organization with 30 components"
  "$herald" demo --edge-locations 20 >/dev/null
  herald_port="$(free_port)"
  step "Starting Herald on 127.0.0.1:$herald_port"
  HERALD_LISTEN="127.0.0.1:$herald_port" "$herald" serve &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$herald_port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
}

# Serves the gzip file $2 at the path $1 with the content type $3 and the extra header lines
# $4 (nginx syntax); sets nginx_port.
start_nginx() {
  local path="$1" file="$2" content_type="$3" extra="${4:-}"
  mkdir -p "$work/logs"
  # nginx's workers drop root: let them read the file.
  chmod a+rx "$work" "$(dirname "$file")"; chmod a+r "$file"
  nginx_port="$(free_port)"
  cat > "$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  server {
    listen 127.0.0.1:$nginx_port;
    location = $path {
      default_type "$content_type";
      add_header Content-Encoding gzip;
      $extra
      alias $file;
    }
  }
}
CONF
  step "Starting nginx on 127.0.0.1:$nginx_port ($(nproc) workers)"
  "$nginx_bin" -p "$work" -c "$work/nginx.conf"
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port$path" 2>/dev/null && break; sleep 0.1; done
}

# Runs wrk BENCH_RUNS times (these shared cores are noisy) and prints the median run as
# "requests/s p50_ms p99_ms".
measure() {
  local url="$1" connections="$2" run
  wrk -t"$threads" -c"$connections" -d2s -H 'Accept-Encoding: gzip' "$url" >/dev/null
  for run in $(seq 1 "$runs"); do measure_once "$url" "$connections"; done | sort -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

measure_once() {
  local url="$1" connections="$2"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -H 'Accept-Encoding: gzip' "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
    $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors = $NF }
    END { if (errors) { print "non-2xx responses: " errors > "/dev/stderr"; exit 1 } printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

# Changes the API component's status every second, as an outage in progress does.
changer() {
  local status=partial_outage
  while true; do
    "$herald" component set-status --org demo --component "api=$status" >/dev/null 2>&1 || true
    [ "$status" = partial_outage ] && status=operational || status=partial_outage
    sleep 1
  done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
check() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=" ? v >= t : v <= t); print (ok ? "PASS" : "FAIL") }'; }

machine_line() {
  echo "machine: $(nproc) cores, $(uname -sr); $("$herald" --version); $("$nginx_bin" -v 2>&1); $(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}')"
}

# Measures nginx, Herald, and Herald under status changes at 64 and 512 connections into
# the global `result`.
declare -A result
compare_under_load() {
  local herald_url="$1" nginx_url="$2" connections changer_pid
  for connections in 64 512; do
    step "nginx, $connections connections, $duration"
    result[nginx_$connections]="$(measure "$nginx_url" "$connections")"
    step "Herald, $connections connections, $duration"
    result[herald_$connections]="$(measure "$herald_url" "$connections")"
    step "Herald while a status changes every second, $connections connections, $duration"
    changer & changer_pid=$!
    pids+=("$changer_pid")
    result[changing_$connections]="$(measure "$herald_url" "$connections")"
    kill "$changer_pid" 2>/dev/null || true
    wait "$changer_pid" 2>/dev/null || true
  done
}

# Prints `result` as a table, then each ratio against its target, then the verdict.
comparison_table() {
  printf '%-34s %12s %10s %10s\n' "case" "requests/s" "p50 ms" "p99 ms"
  for connections in 64 512; do
    for name in nginx herald changing; do
      read -r rps p50 p99 <<< "${result[${name}_$connections]}"
      label="$name"; [ "$name" = changing ] && label="herald, 1 status change/s"
      printf '%-34s %12s %10s %10s\n' "$label @ $connections conns" "$rps" "$p50" "$p99"
    done
  done
  echo
  local verdict=PASS
  for connections in 64 512; do
    read -r n_rps _ n_p99 <<< "${result[nginx_$connections]}"
    read -r h_rps _ h_p99 <<< "${result[herald_$connections]}"
    read -r c_rps _ _ <<< "${result[changing_$connections]}"
    rps_ratio="$(ratio "$h_rps" "$n_rps")"; p99_ratio="$(ratio "$h_p99" "$n_p99")"; changing_ratio="$(ratio "$c_rps" "$h_rps")"
    a="$(check "$rps_ratio" 0.9 ">=")"; b="$(check "$p99_ratio" 1.5 "<=")"; c="$(check "$changing_ratio" 0.85 ">=")"
    printf '@ %-4s herald/nginx requests/s %s (target >= 0.90: %s)   p99 %s (target <= 1.50: %s)   changing/steady %s (target >= 0.85: %s)\n' \
      "$connections" "$rps_ratio" "$a" "$p99_ratio" "$b" "$changing_ratio" "$c"
    for outcome in "$a" "$b" "$c"; do [ "$outcome" = PASS ] || verdict=FAIL; done
  done
  echo "overall: $verdict"
}
