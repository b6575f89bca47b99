#!/usr/bin/env bash
# The dashboard's figures at province scale: time of `GET /api/v1/campaigns/1/statistics` with
# N sessions in the campaign, one request at a time (a dashboard is opened, not hammered), for
# the widest scope (admin: the whole province) and a league's (baotou).
# Usage: bench/api/statistics.sh [SESSIONS] [REQUESTS]   Needs: build/dev (make build).
set -euo pipefail
cd "$(dirname "$0")/../.."
SESSIONS=${1:-100000}
REQUESTS=${2:-20}
BIN=build/dev/src/cli/xuanjiang
WORK=$(mktemp -d /tmp/xj-bench-stats.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" init --db "$WORK/xj.db" --demo --demo-sessions "$SESSIONS" >/dev/null
"$BIN" serve --db "$WORK/xj.db" --port 0 --port-file "$WORK/port" --threads 2 \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")

echo "| scope | sessions counted | min | median | max |"
echo "| --- | --- | --- | --- | --- |"
for user in admin baotou; do
  TOKEN=$("$BIN" token create "$user" --db "$WORK/xj.db" --name bench)
  URL="http://127.0.0.1:$PORT/api/v1/campaigns/1/statistics"
  counted=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["sessions"])')
  for _ in $(seq "$REQUESTS"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL"
  done | sort -n | awk -v user="$user" -v counted="$counted" '
    { t[NR] = $1 * 1000 }
    END { printf "| %s | %s | %.0f ms | %.0f ms | %.0f ms |\n", user, counted, t[1], t[int((NR + 1) / 2)], t[NR] }'
done
