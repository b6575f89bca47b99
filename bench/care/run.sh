#!/usr/bin/env bash
# Care programmes at volume (issue 16, "Speed"): a programme's totals and an organisation's
# balance at 1,000,000 disbursements and 5,000,000 ledger entries, and `ledger verify` over all
# of it, on SQLite or PostgreSQL.
#
# Seeds (or reuses) a database under DATA: `init --demo --demo-disbursements N
# --demo-past-disbursements PAST` (this year's programme with N payments, last year's closed one
# with PAST; each payment is a movement of two entries, so N=1,000,000 and PAST=1,500,000 give
# 5,000,000 entries). Then times `ledger verify` (wall and CPU, RUNS times), starts a server on
# 127.0.0.1 and times each request REQUESTS times, one at a time, for the province (admin) and a
# league (baotou): what the programme page reads (the programme, its report, the first page of
# payments) and an organisation's balances (`GET /ledger`). Prints the load average and the
# server's CPU time beside the wall times: the machine is shared.
# Usage: bench/care/run.sh sqlite|postgresql [N] [PAST] [REQUESTS] [RUNS]
# Env: DATA (default /work/data-carescale; the seeded database is kept there for the next run).
set -euo pipefail
cd "$(dirname "$0")/../.."
ENGINE=${1:-sqlite}
N=${2:-1000000}
PAST=${3:-1500000}
REQUESTS=${4:-20}
RUNS=${5:-3}
DATA=${DATA:-/work/data-carescale}
BIN=build/dev/src/cli/xuanjiang
HERE="$DATA/$ENGINE-$N-$PAST"
mkdir -p "$HERE"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  if [ "$ENGINE" = postgresql ] && [ -f "$HERE/pg/cluster" ]; then
    dir=$(cat "$HERE/pg/cluster")
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m fast -w stop \
      >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# PostgreSQL: the cluster of tests/pg/pg.sh, kept (not removed) between runs.
if [ "$ENGINE" = postgresql ]; then
  if [ -f "$HERE/pg/cluster" ] && [ -d "$(cat "$HERE/pg/cluster")/data" ]; then
    dir=$(cat "$HERE/pg/cluster")
    port=$(sed 's/.*:\([0-9]*\)\/.*/\1/' "$HERE/pg/url")
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -l "$dir/server.log" \
      -w start -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null
  else
    rm -f "$HERE/seeded"
    tests/pg/pg.sh start "$HERE/pg"
  fi
  DB=$(cat "$HERE/pg/url")
  scalar() { psql -X -q -t -A -c "$1" "$DB"; }
else
  DB="$HERE/xj.db"
  scalar() { sqlite3 "$DB" "$1"; }
fi

echo "load before: $(uptime)"
if [ ! -f "$HERE/seeded" ]; then
  [ "$ENGINE" = sqlite ] && rm -f "$DB" "$DB-wal" "$DB-shm"
  /usr/bin/time -f "seed: %e s wall, %U s user, %S s system (client), max RSS %M KB" \
    "$BIN" init --db "$DB" --demo --demo-disbursements "$N" --demo-past-disbursements "$PAST" \
    --secrets "$HERE/secrets" --photos "$HERE/photos" >/dev/null
  scalar "ANALYZE" >/dev/null
  touch "$HERE/seeded"
  echo "load after seeding: $(uptime)"
fi
echo "rows: care_disbursements $(scalar 'SELECT COUNT(*) FROM care_disbursements')," \
  "ledger_movements $(scalar 'SELECT COUNT(*) FROM ledger_movements')," \
  "ledger_entries $(scalar 'SELECT COUNT(*) FROM ledger_entries')," \
  "care_beneficiaries $(scalar 'SELECT COUNT(*) FROM care_beneficiaries')"

for run in $(seq "$RUNS"); do
  /usr/bin/time -f "ledger verify run $run: %e s wall, %U s user, %S s system (client), max RSS %M KB" \
    "$BIN" ledger verify --db "$DB"
done
echo "load after verify: $(uptime)"

"$BIN" serve --db "$DB" --secrets "$HERE/secrets" --photos "$HERE/photos" --bind 127.0.0.1 \
  --port 0 --port-file "$HERE/port" --threads 2 >"$HERE/server.log" 2>&1 &
SERVER_PID=$!
rm -f "$HERE/port"
for _ in $(seq 600); do
  [ -s "$HERE/port" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$HERE/server.log" >&2; exit 1; }
  sleep 0.1
done
PORT=$(cat "$HERE/port")
# The server's CPU time (user + system) in seconds, from /proc.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"; }
PROGRAMME=$(scalar "SELECT id FROM care_programmes WHERE title LIKE '%年困难职工常态化帮扶' ORDER BY start_date DESC LIMIT 1")
BAOTOU=$(scalar "SELECT id FROM organisations WHERE name = '包头市总工会'")

echo "| engine | request | scope | payments counted | min | median | p90 | max | server CPU / request |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for user in admin baotou; do
  TOKEN=$("$BIN" token create "$user" --db "$DB" --name bench)
  for path in "programmes/$PROGRAMME" "programmes/$PROGRAMME/report" \
              "disbursements?programme_id=$PROGRAMME&page=1&page_size=20" \
              "ledger?programme_id=$PROGRAMME"; do
    URL="http://127.0.0.1:$PORT/api/v1/$path"
    counted=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL" |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("count", d.get("total", "-")))')
    before=$(cpu)
    for _ in $(seq "$REQUESTS"); do
      curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL"
    done > "$HERE/times"
    after=$(cpu)
    sort -n "$HERE/times" | awk -v engine="$ENGINE" -v user="$user" -v counted="$counted" \
      -v path="${path//$PROGRAMME/ID}" -v cpu="$(echo "($after - $before) * 1000 / $REQUESTS" | bc -l)" '
      { t[NR] = $1 * 1000 }
      END { printf "| %s | `%s` | %s | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n", engine, path, user, counted, t[1], t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], t[NR], cpu }'
  done
done
echo "load at the end: $(uptime)"
