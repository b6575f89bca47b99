#!/usr/bin/env bash
# Exporting the session ledger (台账) to .xlsx: time and peak memory at 10,000 and 100,000
# sessions, through the command line (`xuanjiang export sessions`: the process alone) and through
# the API (`GET /api/v1/exports/sessions?format=xlsx` as the admin: the whole province), memory
# sampled by peak_memory.py: VmHWM, and apart the anonymous memory (what the program holds) and
# the file pages (SQLite reads the database through mmap: they grow with the database read, not
# with what the export holds). Flat memory: the anonymous peak at 100k close to the one at 10k.
# Usage: bench/api/export.sh [SMALL] [LARGE]   Needs: build/dev (make build), curl.
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

PEAK="python3 bench/api/peak_memory.py"
mib() { echo $(($1 / 1024)); }
echo "| sessions | way | rows written | file | wall | CPU | VmHWM | anonymous (peak) | file pages (peak) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in "$SMALL" "$LARGE"; do
  db="$WORK/xj-$n.db"
  "$BIN" init --db "$db" --demo --demo-sessions "$n" >/dev/null
  read -r seconds cpu hwm anon file < <($PEAK "$BIN" export sessions --db "$db" --format xlsx \
    -o "$WORK/cli.xlsx")
  rows=$(python3 - "$WORK/cli.xlsx" <<'PY'
import re, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    sheet = z.read("xl/worksheets/sheet1.xml")
print(len(re.findall(rb"<row ", sheet)) - 6)  # title, 3 notes, blank, header
PY
)
  size=$(du -k "$WORK/cli.xlsx" | cut -f1)
  echo "| $n | xuanjiang export | $rows | ${size} KiB | ${seconds} s | ${cpu} s | $(mib "$hwm") MiB |" \
    "$(mib "$anon") MiB | $(mib "$file") MiB |"

  # The API: one server per database, sampled while it answers (its peaks include its own
  # start-up).
  "$BIN" serve --db "$db" --port 0 --port-file "$WORK/port-$n" --threads 2 \
    >"$WORK/server-$n.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/port-$n" ] && break; sleep 0.1; done
  token=$("$BIN" token create admin --db "$db" --name bench)
  url="http://127.0.0.1:$(cat "$WORK/port-$n")/api/v1/exports/sessions?format=xlsx"
  read -r seconds cpu hwm anon file < <($PEAK --watch "$SERVER_PID" \
    curl -sf -o "$WORK/api.xlsx" -H "Authorization: Bearer $token" "$url")
  size=$(du -k "$WORK/api.xlsx" | cut -f1)
  echo "| $n | GET /exports/sessions (server) | $rows | ${size} KiB | ${seconds} s | ${cpu} s |" \
    "$(mib "$hwm") MiB | $(mib "$anon") MiB | $(mib "$file") MiB |"
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
done
