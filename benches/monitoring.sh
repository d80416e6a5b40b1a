#!/usr/bin/env bash
# Monitoring benchmark: 10,000 HTTP checks at a 30 s interval against a local nginx, run by
# one Herald on SQLite. Measures, in one run: the checks per second Herald sustains (and the
# ideal, 10,000 / 30), Herald's CPU (% of one core) and peak RSS, how late runs start against
# their schedule, and the time from the target going down to the component's status changing
# in the public API (what the page shows). Keeps the report in benches/results/monitoring.txt.
#
#   benches/monitoring.sh                        # needs: cargo leptos build --release --precompress
#   BENCH_CHECKS=2000 BENCH_MEASURE=30 benches/monitoring.sh
. "$(dirname "$0")/common.sh"
checks="${BENCH_CHECKS:-10000}"
interval=30
measure_seconds="${BENCH_MEASURE:-60}"

# The target: nginx answering "ok", and a second path that answers 503 once a file exists.
mkdir -p "$work/logs"
chmod a+rx "$work"
target_port="$(free_port)"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  server {
    listen 127.0.0.1:$target_port;
    location = /health { default_type text/plain; return 200 "ok"; }
    location = /api-health {
      default_type text/plain;
      if (-f $work/down) { return 503 "down"; }
      return 200 "ok";
    }
  }
}
CONF
step "Starting the target (nginx, one worker) on 127.0.0.1:$target_port"
"$nginx_bin" -p "$work" -c "$work/nginx.conf"
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$target_port/health" 2>/dev/null && break; sleep 0.1; done

export HERALD_API_RATE_LIMIT=1000000
start_herald
herald_pid="${pids[-1]}"
token="$("$herald" api-token create --org demo --name bench --scope write --role editor 2>/dev/null)"

step "Creating $checks HTTP checks (interval ${interval} s) through the admin API"
python3 - "$herald_port" "$token" "$target_port" "$checks" "$interval" "$work/herald.db" <<'PY'
import http.client, json, sqlite3, sys, time
port, token, target, count, interval, database = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
connection = http.client.HTTPConnection("127.0.0.1", int(port))
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
def post(body):
    connection.request("POST", "/api/v1/checks", json.dumps(body), headers)
    response = connection.getresponse()
    answer = response.read()
    if response.status != 201:
        sys.exit(f"creating a check failed: {response.status} {answer[:300]!r}")
    return json.loads(answer)
api_id = sqlite3.connect(f"file:{database}?mode=ro", uri=True).execute("select id from components where key = 'api'").fetchone()[0]
started = time.time()
# The one check the status-change measurement watches, on the API component.
post({"key": "api-health", "name": "API health", "kind": "http", "component_id": api_id,
      "target": {"url": f"http://127.0.0.1:{target}/api-health"}, "interval_seconds": interval, "timeout_ms": 5000})
for n in range(1, count):
    post({"key": f"check-{n}", "name": f"Check {n}", "kind": "http",
          "target": {"url": f"http://127.0.0.1:{target}/health"}, "interval_seconds": interval, "timeout_ms": 5000})
    if n % 1000 == 0:
        print(f"  {n} / {count} created", file=sys.stderr)
print(f"  {count} checks created in {time.time() - started:.0f} s", file=sys.stderr)
PY

results() { python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$work/herald.db?mode=ro', uri=True).execute('select count(*) from check_results').fetchone()[0])"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$herald_pid/stat"; }
ticks_per_second="$(getconf CLK_TCK)"

step "Warming up for $((interval + 15)) s (every check runs once, spread over its interval)"
sleep $((interval + 15))
step "Measuring for $measure_seconds s"
results_before="$(results)"; ticks_before="$(cpu_ticks)"; started="$(date +%s.%N)"
sleep "$measure_seconds"
results_after="$(results)"; ticks_after="$(cpu_ticks)"; ended="$(date +%s.%N)"
elapsed="$(awk -v a="$started" -v b="$ended" 'BEGIN { print b - a }')"
checks_per_second="$(awk -v n="$((results_after - results_before))" -v t="$elapsed" 'BEGIN { printf "%.1f", n / t }')"
cpu_percent="$(awk -v d="$((ticks_after - ticks_before))" -v hz="$ticks_per_second" -v t="$elapsed" 'BEGIN { printf "%.1f", 100 * d / hz / t }')"
lateness="$(python3 -c "
import sqlite3
db = sqlite3.connect('file:$work/herald.db?mode=ro', uri=True)
late = db.execute(\"select count(*) from monitors where paused = 0 and next_run_at < strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '-5 seconds')\").fetchone()[0]
print(late)")"

step "Taking the API's target down; timing until the public API shows it"
down_at="$(date +%s.%N)"
touch "$work/down"
status_url="http://127.0.0.1:$herald_port/s/demo/api/v2/components.json"
detected=""
for _ in $(seq 1 1200); do
  if curl -fsS "$status_url" | python3 -c 'import json,sys; c=[c for c in json.load(sys.stdin)["components"] if c["name"]=="API"]; sys.exit(0 if c and c[0]["status"]!="operational" else 1)'; then
    detected="$(date +%s.%N)"; break
  fi
  sleep 0.1
done
[ -n "$detected" ] || { echo "bench: the API component never changed status" >&2; exit 1; }
to_status="$(awk -v a="$down_at" -v b="$detected" 'BEGIN { printf "%.1f", b - a }')"
peak_rss_mb="$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$herald_pid/status")"
ideal="$(awk -v n="$checks" -v i="$interval" 'BEGIN { printf "%.1f", n / i }')"
achieved="$(ratio "$checks_per_second" "$ideal")"

report="$(
  echo "Herald monitoring benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  machine_line
  echo "$checks HTTP checks every $interval s against nginx (one worker) on loopback; Herald on SQLite, HERALD_CHECK_CONCURRENCY=${HERALD_CHECK_CONCURRENCY:-256}"
  echo
  printf '%-44s %s\n' "checks/s (measured over ${measure_seconds} s)" "$checks_per_second"
  printf '%-44s %s\n' "checks/s scheduled ($checks / $interval s)" "$ideal"
  printf '%-44s %s\n' "achieved / scheduled" "$achieved (target >= 0.95: $(check "$achieved" 0.95 ">="))"
  printf '%-44s %s\n' "checks overdue by more than 5 s at the end" "$lateness"
  printf '%-44s %s\n' "Herald CPU, % of one core" "$cpu_percent"
  printf '%-44s %s\n' "Herald peak RSS, MiB" "$peak_rss_mb"
  printf '%-44s %s\n' "target down -> status changed in API, s" "$to_status (worst case: interval + 2 re-checks = $((interval + 10)) s)"
)"
mkdir -p benches/results
printf '%s\n' "$report" | tee benches/results/monitoring.txt
