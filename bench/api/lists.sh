#!/usr/bin/env bash
# Every list endpoint with its typical filters at 8 connections (issue 17: every filtered list
# page under 50 ms p50), for the province (admin) and a league (baotou), on SQLite or
# PostgreSQL. wrk runs each request for SECONDS on 8 connections and 2 threads; the table gives
# requests/s, p50 and p99, and the total the page reports (with + when the count stopped at the
# bound). Before the runs it prints the load average and, after, the server's CPU seconds, since
# other work on the machine distorts wall time.
#
# Seeded by bench/api/seeded_server.sh (init --demo --demo-sessions SESSIONS), unless DB is
# given: then the server runs on that database as it is (SECRETS and PHOTOS name its files), say
# one seeded once and given a million audit rows by SQL (docs/benchmarks.md shows how).
# Usage: [DB=… SECRETS=… PHOTOS=… [BIN=another build's xuanjiang]] [USERS="admin baotou"] [PATHS="…"]
#        bench/api/lists.sh sqlite|postgresql [SESSIONS] [SECONDS]
# Needs: build/dev, wrk, curl, sqlite3 or PostgreSQL 15.
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:-sqlite}
SESSIONS=${2:-100000}
SECONDS_EACH=${3:-5}
if [ -z "${DB:-}" ]; then
  # shellcheck source=bench/api/seeded_server.sh
  source bench/api/seeded_server.sh
else
  BIN=${BIN:-build/dev/src/cli/xuanjiang}
  WORK=$(mktemp -d /tmp/xj-bench-lists.XXXXXX)
  SERVER_PID=""
  trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
  # No page cache: every request after the first would be a kept page, not a query.
  "$BIN" serve --db "$DB" --secrets "$SECRETS" --photos "$PHOTOS" --port 0 \
    --port-file "$WORK/port" --threads 2 --page-cache-mb 0 >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1200); do
    [ -s "$WORK/port" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  PORT=$(cat "$WORK/port")
fi
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
# A SQLite file read once, so that the first requests do not time the disk.
[ -f "$DB" ] && cat "$DB" >/dev/null

DEFAULT_PATHS="sessions?page_size=50
sessions?page_size=50&campaign_id=1&audience_group=officials
sessions?page_size=50&campaign_id=1&format=online&region_code=150200
sessions?page_size=50&date_from=2022-12-01&date_to=2022-12-31
sessions?page_size=50&q=%E8%81%8C%E5%B7%A5
sessions?page_size=50&lecturer_id=3&format=online
orders?page_size=50
orders?page_size=50&state=submitted,dispatched&sort=priority
lecturers?page_size=50
lecturers?page_size=50&category=scholar&active=true
organisations?page_size=50
organisations?page_size=50&level=grassroots
audit?page_size=50
audit?page_size=50&action=delete
audit?page_size=50&entity=order
audit?page_size=50&username=nobody
audit?page_size=50&page=20
sessions/{session}/feedback?page_size=50"

cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo
echo "| engine | scope | request | total | req/s | p50 | p99 | server CPU per request |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for user in ${USERS:-admin baotou}; do
  TOKEN=$("$BIN" token create "$user" --db "$DB" --name bench-lists)
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    # {session}: the newest session the account sees (its feedback list).
    if [[ $path == *"{session}"* ]]; then
      newest=$(curl -sf -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/api/v1/sessions?page_size=1" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
      path=${path//\{session\}/$newest}
    fi
    URL="http://127.0.0.1:$PORT/api/v1/$path"
    status=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL")
    if [ "$status" != 200 ]; then
      # Not this account's list (the audit log is the admins'): no timing.
      echo "| $ENGINE | $user | \`$path\` | HTTP $status | — | — | — | — |"
      continue
    fi
    total=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(str(d.get("total","-")) + ("+" if d.get("total_capped") else ""))' "$WORK/body")
    before=$(cpu_of "$SERVER_PID")
    out=$(wrk -t2 -c8 -d"${SECONDS_EACH}s" --timeout 10s --latency -H "Authorization: Bearer $TOKEN" "$URL")
    after=$(cpu_of "$SERVER_PID")
    echo "$out" | awk -v engine="$ENGINE" -v user="$user" -v path="$path" -v total="$total" \
      -v cpu=$(( after - before )) -v ticks="$ticks" '
      /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
      /^Requests\/sec/ { rps = $2 }
      /^ +[0-9]+ requests in/ { n = $1 }
      /Non-2xx/ { bad = $NF }
      END {
        per = n > 0 ? cpu / ticks / n * 1000 : 0
        printf "| %s | %s | `%s` | %s | %s | %s | %s | %.2f ms%s |\n", engine, user, path, total,
               rps, p50, p99, per, bad ? " (" bad " non-2xx)" : ""
      }'
  done <<<"${PATHS:-$DEFAULT_PATHS}"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
