#!/usr/bin/env bash
# The lecturer scorecard (宣讲员档案, migration 0016) at N sessions, on SQLite or PostgreSQL:
# `GET /api/v1/lecturers/{id}/scorecard` of the busiest lecturer (admin, baotou for one of its
# own, the lecturer themself) and the ranking `GET /api/v1/lecturers/scorecards` (admin, baotou),
# one request at a time. Seeded by bench/api/seeded_server.sh.
# Usage: bench/api/scorecard.sh sqlite|postgresql [SESSIONS] [REQUESTS] [SEED]
# Needs: build/dev, sqlite3 or PostgreSQL 15 (tests/pg/pg.sh starts a throwaway cluster).
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:-sqlite}
SESSIONS=${2:-100000}
REQUESTS=${3:-20}
SEED=${4:-20000}
# shellcheck source=bench/api/seeded_server.sh
source bench/api/seeded_server.sh

BUSIEST=$(scalar "SELECT lecturer_id FROM session_lecturers GROUP BY lecturer_id ORDER BY COUNT(*) DESC, lecturer_id LIMIT 1")
BAOTOU_OWN=$(scalar "SELECT l.id FROM lecturers l JOIN organisations o ON o.id = l.organisation_id WHERE o.name = '包头市总工会' ORDER BY l.id LIMIT 1")
OWN=$(scalar "SELECT lecturer_id FROM accounts WHERE username = 'lecturer'")
echo "| engine | request | account | sessions counted | min | median | p90 | max |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
run() {  # user path
  local TOKEN URL counted
  TOKEN=$("$BIN" token create "$1" --db "$DB" --name "bench-$RANDOM")
  URL="http://127.0.0.1:$PORT/api/v1/$2"
  counted=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL" |
    python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["sessions"] if "sessions" in j else sum(i["sessions"] for i in j["items"]))')
  for _ in $(seq "$REQUESTS"); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL"
  done | sort -n | awk -v engine="$ENGINE" -v user="$1" -v counted="$counted" -v path="$2" '
    { t[NR] = $1 * 1000 }
    END { printf "| %s | `%s` | %s | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n", engine, path, user, counted, t[1], t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], t[NR] }'
}
run admin "lecturers/$BUSIEST/scorecard"
run baotou "lecturers/$BAOTOU_OWN/scorecard"
run lecturer "lecturers/$OWN/scorecard"
run admin "lecturers/scorecards"
run baotou "lecturers/scorecards"
