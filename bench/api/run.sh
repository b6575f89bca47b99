#!/usr/bin/env bash
# API throughput against the nginx ceiling. Usage: bench/api/run.sh [DURATION_SECONDS]
# Needs: build/dev (make build), wrk and nginx (tools/install-deps.sh --bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-30}
SESSIONS=${XJ_BENCH_SESSIONS:-100000}
BIN=build/dev/src/cli/xuanjiang
WORK=$(mktemp -d /tmp/xj-bench-api.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""; NGINX_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill -TERM "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

echo "== seeding $SESSIONS sessions"
start=$(date +%s.%N)
"$BIN" init --db "$WORK/xj.db" --demo --demo-sessions "$SESSIONS" >/dev/null
echo "seeded in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
TOKEN=$("$BIN" token create admin --db "$WORK/xj.db" --name bench)

start_server() {  # extra serve options
  rm -f "$WORK/port"
  "$BIN" serve --db "$WORK/xj.db" --port 0 --port-file "$WORK/port" --threads 2 "$@" \
    >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  PORT=$(cat "$WORK/port")
  URL="http://127.0.0.1:$PORT/api/v1/sessions?page_size=50"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

# First the page built for every request (the page cache off: the cost of the queries and the
# JSON), then as served (the page kept until the next write).
start_server --page-cache-mb 0
curl -sf -H "Authorization: Bearer $TOKEN" "$URL" >"$WORK/body.json"
echo "response body: $(wc -c <"$WORK/body.json") bytes"

run_wrk() {  # name url [header]
  local out
  if [ -n "${3:-}" ]; then out=$(wrk -t2 -c64 -d"${DURATION}s" --latency -H "$3" "$2"); else
    out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "$2"); fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-none}"
  echo "$rps" >"$WORK/rps.$1"
}

echo "== wrk -t2 -c64 -d${DURATION}s, $(nproc) cores shared by wrk and the server"
echo "| target | requests/s | p50 | p99 | errors |"
echo "| --- | --- | --- | --- | --- |"
before=$(cpu_ticks)
run_wrk built "$URL" "Authorization: Bearer $TOKEN"
BUILT_CPU=$(( $(cpu_ticks) - before ))
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server
before=$(cpu_ticks)
run_wrk xuanjiang "$URL" "Authorization: Bearer $TOKEN"
KEPT_CPU=$(( $(cpu_ticks) - before ))
PEAK_KB=$(awk '/VmHWM/ {print $2}' /proc/$SERVER_PID/status)

NPORT=$(free_port)
mkdir -p "$WORK/www"
cp "$WORK/body.json" "$WORK/www/sessions.json"
chmod -R a+rX "$WORK"
cat >"$WORK/nginx.conf" <<NGINX
daemon off;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp-body; proxy_temp_path $WORK/tmp-proxy;
  fastcgi_temp_path $WORK/tmp-fcgi; uwsgi_temp_path $WORK/tmp-uwsgi; scgi_temp_path $WORK/tmp-scgi;
  server {
    listen 127.0.0.1:$NPORT;
    location / { root $WORK/www; default_type application/json; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK/" -e "$WORK/nginx-error.log" &
NGINX_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NPORT/sessions.json" >/dev/null && break; sleep 0.1; done
run_wrk nginx "http://127.0.0.1:$NPORT/sessions.json"
echo
echo "server peak memory (VmHWM): $((PEAK_KB / 1024)) MiB"
python3 - "$WORK" "$DURATION" "$BUILT_CPU" "$KEPT_CPU" "$(getconf CLK_TCK)" <<'PY'
import sys
work, duration, built_cpu, kept_cpu, tck = sys.argv[1], float(sys.argv[2]), *map(float, sys.argv[3:])
rps = {k: float(open(f"{work}/rps.{k}").read()) for k in ("built", "xuanjiang", "nginx")}
for k, cpu in (("built", built_cpu), ("xuanjiang", kept_cpu)):
    print(f"{k}: ratio to nginx {100 * rps[k] / rps['nginx']:.1f}%, server CPU "
          f"{1e6 * cpu / tck / (rps[k] * duration):.0f} us a request")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/api/run.sh $DURATION (XJ_BENCH_SESSIONS=$SESSIONS)"
