# Sourced by the API benchmarks that need a large database (statistics_period.sh, scorecard.sh):
# seeds it and starts a server on it, leaving BIN, DB, WORK, PORT, sql and scalar defined and a
# trap that stops the server and removes everything. Expects ENGINE (sqlite|postgresql) and
# SESSIONS, and the repository's root as the working directory. SEED is still accepted and no
# longer used.
#
# Seeding: `init --demo --demo-sessions SESSIONS` generates every session (the demo's 2022
# campaign holds SESSIONS of them), loaded in bulk from 5,000 sessions (COPY on PostgreSQL) with
# the kept sums rebuilt once: every host, day, group and lecturer varies as the generator makes
# them, so the tallies grow as real ones would. The table sizes are printed.
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
else
  DB="$WORK/xj.db"
  sql() { sqlite3 -bail "$DB"; }
  scalar() { sqlite3 "$DB" "$1"; }
fi

start=$(date +%s)
"$BIN" init --db "$DB" --demo --demo-sessions "$SESSIONS" --secrets "$WORK/secrets" \
  --photos "$WORK/photos" >/dev/null
echo "ANALYZE;" | sql >/dev/null
count() { scalar "SELECT COUNT(*) FROM $1"; }
echo "seeded $(count sessions) sessions in $(( $(date +%s) - start )) s ($ENGINE);" \
  "rows: session_tallies $(count session_tallies), lecturer_tallies $(count lecturer_tallies)," \
  "category_tallies $(count category_tallies)" >&2

# No page cache (http/response_cache.hpp): these benchmarks time the queries, and every request
# after the first would otherwise be answered from a kept page.
"$BIN" serve --db "$DB" --secrets "$WORK/secrets" --photos "$WORK/photos" --port 0 \
  --port-file "$WORK/port" --threads 2 --page-cache-mb 0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1200); do
  [ -s "$WORK/port" ] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$WORK/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
PORT=$(cat "$WORK/port")
