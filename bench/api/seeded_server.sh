# Sourced by the API benchmarks that need a large database (statistics_period.sh, scorecard.sh):
# seeds it and starts a server on it, leaving BIN, DB, WORK, PORT, sql and scalar defined and a
# trap that stops the server and removes everything. Expects ENGINE (sqlite|postgresql),
# SESSIONS and SEED, and the repository's root as the working directory.
#
# Seeding: `init --demo --demo-sessions SEED` writes SEED sessions one by one through the store
# (so the kept sums are kept by the writes); the sessions, their lecturers and branch venues are
# then copied in SQL until the 2022 campaign holds about N, and the kept sums are filled again
# with their migrations' own backfills (0003 session counts, 0015 tallies, 0016 lecturer
# tallies). The copies keep the demo's hosts, days, groups, industries and formats, so the
# tallies stop growing once every combination exists: the table sizes are printed.
BIN=build/dev/src/cli/xuanjiang
WORK=$(mktemp -d /tmp/xj-bench-api.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ "$ENGINE" = postgresql ] && tests/pg/pg.sh stop "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$ENGINE" = postgresql ]; then
  tests/pg/pg.sh start "$WORK/pg"
  DB=$(cat "$WORK/pg/url")
  sql() { psql -X -q -v ON_ERROR_STOP=1 "$DB"; }
  scalar() { psql -X -q -t -A -c "$1" "$DB"; }
  MIGRATION=src/store/migrations/postgres/0015_tallies.sql
else
  DB="$WORK/xj.db"
  sql() { sqlite3 -bail "$DB"; }
  scalar() { sqlite3 "$DB" "$1"; }
  MIGRATION=src/store/migrations/sqlite/0015_tallies.sql
fi

start=$(date +%s)
"$BIN" init --db "$DB" --demo --demo-sessions "$SEED" >/dev/null
echo "seeded $SEED sessions through the store in $(( $(date +%s) - start )) s ($ENGINE)" >&2

start=$(date +%s)
MAX=$(scalar "SELECT MAX(id) FROM sessions")
MAXB=$(scalar "SELECT COALESCE(MAX(id), 0) FROM session_branches")
COPIES=$(( (SESSIONS - 1) / SEED ))
{
  echo "BEGIN;"
  for k in $(seq 1 "$COPIES"); do
    cat <<SQL
INSERT INTO sessions (id, campaign_id, title, date, start_time, end_time, venue,
  host_organisation_id, host_path, region_code, industry, format, audience_group,
  audience_offline, online_viewers, summary, source, order_id, created_by, created_at,
  updated_at, version)
SELECT id + $k * $MAX, campaign_id, title, date, start_time, end_time, venue,
  host_organisation_id, host_path, region_code, industry, format, audience_group,
  audience_offline, online_viewers, summary, source, NULL, created_by, created_at, updated_at,
  version FROM sessions WHERE id <= $MAX AND campaign_id = 1;
INSERT INTO session_lecturers (session_id, lecturer_id, ordinal)
SELECT m.session_id + $k * $MAX, m.lecturer_id, m.ordinal FROM session_lecturers m
  JOIN sessions s ON s.id = m.session_id WHERE s.id <= $MAX AND s.campaign_id = 1;
INSERT INTO session_branches (id, session_id, ordinal, host_organisation_id, venue, region_code,
  audience_group, headcount)
SELECT b.id + $k * $MAXB, b.session_id + $k * $MAX, b.ordinal, b.host_organisation_id, b.venue,
  b.region_code, b.audience_group, b.headcount FROM session_branches b
  JOIN sessions s ON s.id = b.session_id WHERE s.id <= $MAX AND s.campaign_id = 1;
SQL
  done
  echo "DELETE FROM session_tallies; DELETE FROM lecturer_tallies; DELETE FROM category_tallies;"
  echo "DELETE FROM session_counts;"
  sed -n '/^INSERT INTO session_counts/,$p' "${MIGRATION/0015_tallies/0003_session_counts}"
  sed -n '/^-- The sums of the sessions recorded so far/,$p' "$MIGRATION"
  # lecturer_tallies as migration 0016 keeps them (by format and region, answers by source).
  echo "DELETE FROM lecturer_tallies;"
  sed -n '/^-- The sums of the sessions recorded so far/,$p' "${MIGRATION/0015_tallies/0016_scorecard}"
  echo "COMMIT;"
  echo "ANALYZE;"
} | sql >/dev/null
count() { scalar "SELECT COUNT(*) FROM $1"; }
echo "copied to $(count sessions) sessions and filled the tallies in $(( $(date +%s) - start )) s;" \
  "rows: session_tallies $(count session_tallies), lecturer_tallies $(count lecturer_tallies)," \
  "category_tallies $(count category_tallies)" >&2

"$BIN" serve --db "$DB" --port 0 --port-file "$WORK/port" --threads 2 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1200); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
