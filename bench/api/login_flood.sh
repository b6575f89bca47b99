#!/usr/bin/env bash
# GET /sessions latency while 32 clients send failing logins (issue 13, finding 10).
# Usage: bench/api/login_flood.sh [DURATION_SECONDS] [BIN]
# Needs: build/dev (make build), wrk (tools/install-deps.sh --bench).
# wrk measures `GET /api/v1/sessions?page_size=50` on one connection, one request after another
# (a user clicking): alone, then while 32 clients send failing logins for unknown user names from
# random client addresses (--trust-proxy), so that the lockouts do not end the flood and every
# login would need an Argon2 hash: first clients that wait Retry-After when refused
# (login_flood.py), then 32 wrk connections that never pause (login_flood.lua). BIN may name
# another build of xuanjiang (e.g. one without the hashing pool).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-30}
BIN=${2:-build/dev/src/cli/xuanjiang}
# On a machine shared with other work: XJ_BENCH_NICE=-5 runs the server and the measuring wrk
# ahead of that other work (not ahead of the flood clients, which keep the default priority).
NICE=${XJ_BENCH_NICE:-0}
WORK=$(mktemp -d /tmp/xj-bench-flood.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" init --db "$WORK/xj.db" --demo >/dev/null
TOKEN=$("$BIN" token create admin --db "$WORK/xj.db" --name bench)
nice -n "$NICE" "$BIN" serve --db "$WORK/xj.db" --port 0 --port-file "$WORK/port" --trust-proxy \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
BASE="http://127.0.0.1:$PORT"
LIST="$BASE/api/v1/sessions?page_size=50"
curl -sf -H "Authorization: Bearer $TOKEN" "$LIST" >/dev/null

measure() {  # name: GET /sessions on one connection for DURATION seconds
  local out
  out=$(nice -n "$NICE" wrk -t1 -c1 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$LIST")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" \
    "$(awk '/^ +[0-9]+ requests in/ {print $1}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(awk '/Latency/ {print $4}' <<<"$out")" \
    "$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out" | sed 's/ *$//')"
}

echo "== $(nproc) cores shared by the server, the clients and whatever else runs; load average: $(cut -d' ' -f1-3 /proc/loadavg); server nice $NICE"
echo "| GET /sessions?page_size=50 | requests | p50 | p99 | max | errors |"
echo "| --- | --- | --- | --- | --- | --- |"
measure "alone"

# 32 clients, each one login after another, waiting Retry-After when told 429.
python3 bench/api/login_flood.py "$PORT" "$((DURATION + 4))" >"$WORK/flood.txt" &
FLOOD_PID=$!
sleep 2  # the flood is under way before measuring
measure "32 clients sending failing logins (each waits Retry-After on 429)"
wait "$FLOOD_PID"
POLITE=$(cat "$WORK/flood.txt")

# The same 32 clients ignoring Retry-After, sending again as soon as answered (wrk).
wrk -t2 -c32 -d"$((DURATION + 4))s" -s bench/api/login_flood.lua "$BASE" >"$WORK/flood.txt" &
FLOOD_PID=$!
sleep 2
measure "32 connections flooding failing logins (wrk, no pause)"
wait "$FLOOD_PID"
echo
echo "polite flood: $POLITE"
echo "wrk flood: $(awk '/Requests\/sec/ {print $2}' "$WORK/flood.txt") logins/s answered"
logins() { grep -c "POST /api/v1/auth/login $1 " "$WORK/server.log" || true; }
echo "all logins: $(logins 401) refused after hashing (401), $(logins 429) refused before hashing (429)"
echo "server peak memory (VmHWM): $(( $(awk '/VmHWM/ {print $2}' /proc/$SERVER_PID/status) / 1024 )) MiB"
