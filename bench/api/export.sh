#!/usr/bin/env bash
# Exporting the session ledger (台账) to .xlsx: time and peak memory (VmHWM) at 10,000 and
# 100,000 sessions, through the command line (`xuanjiang export sessions`: the process's own
# peak, nothing else in it) and through the API (`GET /api/v1/exports/sessions?format=xlsx` as
# the admin: the whole province). Flat memory means the 100k peak is close to the 10k one.
# Usage: bench/api/export.sh [SMALL] [LARGE]   Needs: build/dev (make build), curl, GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
SMALL=${1:-10000}
LARGE=${2:-100000}
BIN=${XJ_BIN:-build/dev/src/cli/xuanjiang}
WORK=$(mktemp -d /tmp/xj-bench-export.XXXXXX)
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "| sessions in the database | way | rows written | file | time | peak memory (VmHWM) |"
echo "| --- | --- | --- | --- | --- | --- |"
for n in "$SMALL" "$LARGE"; do
  db="$WORK/xj-$n.db"
  "$BIN" init --db "$db" --demo --demo-sessions "$n" >/dev/null
  # The command line: GNU time's maximum resident set size is the process's VmHWM.
  /usr/bin/time -f '%e %M' -o "$WORK/time" \
    "$BIN" export sessions --db "$db" --format xlsx -o "$WORK/cli.xlsx"
  read -r seconds kib <"$WORK/time"
  rows=$(python3 - "$WORK/cli.xlsx" <<'PY'
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    sheet = z.read("xl/worksheets/sheet1.xml")
print(len(re.findall(rb"<row ", sheet)) - 6)  # title, 3 notes, blank, header
PY
)
  size=$(du -k "$WORK/cli.xlsx" | cut -f1)
  echo "| $n | xuanjiang export | $rows | ${size} KiB | ${seconds} s | $((kib / 1024)) MiB |"

  # The API: one server per database; its VmHWM after the export (it includes the server's
  # own start-up and one request's worth of everything else).
  "$BIN" serve --db "$db" --port 0 --port-file "$WORK/port-$n" --threads 2 \
    >"$WORK/server-$n.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/port-$n" ] && break; sleep 0.1; done
  token=$("$BIN" token create admin --db "$db" --name bench)
  before=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
  took=$(curl -sf -o "$WORK/api.xlsx" -w '%{time_total}' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$(cat "$WORK/port-$n")/api/v1/exports/sessions?format=xlsx")
  after=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
  size=$(du -k "$WORK/api.xlsx" | cut -f1)
  echo "| $n | GET /exports/sessions | $rows | ${size} KiB | ${took} s | $((after / 1024)) MiB (idle server: $((before / 1024)) MiB) |"
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
done
