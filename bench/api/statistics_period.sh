#!/usr/bin/env bash
# The dashboard's figures from the kept tallies (migration 0015) at N sessions, on SQLite or
# PostgreSQL: `GET /api/v1/campaigns/1/statistics` and `GET /api/v1/statistics` over the 2022
# campaign's period, all campaigns (with the year before), one request at a time, for the
# province (admin) and a league (baotou); and a lecturer's own figures, which are counted from
# their sessions.
# Seeded by bench/api/seeded_server.sh.
# PATHS (space-separated, below /api/v1/) replaces the two statistics requests, e.g. the filtered
# session lists of issue 17: PATHS="sessions?page_size=50&campaign_id=1&audience_group=officials".
# PATHS="statistics/coverage?campaign_ids=1 …" times the coverage gaps.
# Usage: [USERS="admin baotou lecturer"] [PATHS="…"] bench/api/statistics_period.sh sqlite|postgresql [SESSIONS] [REQUESTS] [SEED]
# Needs: build/dev, sqlite3 or PostgreSQL 15 (tests/pg/pg.sh starts a throwaway cluster).
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:-sqlite}
SESSIONS=${2:-100000}
REQUESTS=${3:-20}
SEED=${4:-20000}
# shellcheck source=bench/api/seeded_server.sh
source bench/api/seeded_server.sh

echo "| engine | request | scope | sessions counted | min | median | p90 | max |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for user in ${USERS:-admin baotou lecturer}; do
  TOKEN=$("$BIN" token create "$user" --db "$DB" --name bench)
  for path in ${PATHS:-"campaigns/1/statistics" "statistics?from=2022-11-01&to=2023-01-31"}; do
    URL="http://127.0.0.1:$PORT/api/v1/$path"
    counted=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL" |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"] if "total" in d else (d.get("totals") or d.get("by_period", {}).get("total") or {"sessions": "-"})["sessions"])')
    for _ in $(seq "$REQUESTS"); do
      curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL"
    done | sort -n | awk -v engine="$ENGINE" -v user="$user" -v counted="$counted" -v path="$path" '
      { t[NR] = $1 * 1000 }
      END { printf "| %s | `%s` | %s | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n", engine, path, user, counted, t[1], t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], t[NR] }'
  done
done
