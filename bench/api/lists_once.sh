#!/usr/bin/env bash
# List (or any GET) requests one at a time on a database given as it is: for each path read from
# standard input (below /api/v1/), N requests in turn; prints the total the page reports, the
# median wall time and the server's CPU per request (user + system of the `xuanjiang` process
# over the N requests ÷ N, in clock ticks: ±10 ms ÷ N). For growth comparisons between two
# seeded databases (issue 17), where lists.sh's 8 connections would time the queue on a shared
# machine. Prints the load average first.
# Usage: [BIN=another build's xuanjiang] bench/api/lists_once.sh DB SECRETS PHOTOS USER N < paths.txt
# Needs: build/dev, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/dev/src/cli/xuanjiang}
DB=$1 SECRETS=$2 PHOTOS=$3 ACCOUNT=$4 N=$5
WORK=$(mktemp -d /tmp/xj-bench-once.XXXXXX)
# No page cache: every request after the first would be a kept page, not a query.
"$BIN" serve --db "$DB" --secrets "$SECRETS" --photos "$PHOTOS" --port 0 --port-file "$WORK/port" \
  --threads 2 --page-cache-mb 0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1200); do
  [ -s "$WORK/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
PORT=$(cat "$WORK/port")
TOKEN=$("$BIN" token create "$ACCOUNT" --db "$DB" --name bench-once)
[ -f "$DB" ] && cat "$DB" >/dev/null  # a SQLite file read once: the disk is not timed
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
while IFS= read -r path; do
  [ -n "$path" ] || continue
  before=$(cpu_of "$SERVER_PID")
  times=()
  for _ in $(seq "$N"); do
    times+=("$(curl -s -o "$WORK/body" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$PORT/api/v1/$path")")
  done
  after=$(cpu_of "$SERVER_PID")
  total=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(str(d.get("total","-")) + ("+" if d.get("total_capped") else ""))' "$WORK/body")
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] * 1000 }')
  echo "| $ACCOUNT | \`$path\` | $total | $median ms | $(( (after - before) * 1000 / ticks / N )) ms |"
done
