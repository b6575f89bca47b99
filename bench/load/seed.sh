#!/usr/bin/env bash
# Bulk loading (issue 17 point 3): how long `init --demo --demo-sessions N` takes, and
# `migrate-data` of such a database from SQLite into PostgreSQL. Prints wall and CPU time
# (user + sys, /usr/bin/time) of the command alone, the PostgreSQL server's CPU time and the load
# average: the machine is shared, so CPU time is the figure that does not depend on what else
# runs. BIN=… times another build's binary (main's, say).
#   bench/load/seed.sh sqlite N [LOADING]       seed an SQLite file
#   bench/load/seed.sh postgresql N [LOADING]   seed a throwaway PostgreSQL cluster
#   bench/load/seed.sh migrate N                seed SQLite, then time migrate-data into PostgreSQL
# LOADING: bulk (default from 5,000 sessions), one-by-one or auto. From the repository's root,
# after `cmake --build build/dev`. Everything is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=${1:?sqlite, postgresql or migrate}
N=${2:-1000000}
LOADING=${3:-auto}
BIN=${BIN:-$PWD/build/dev/src/cli/xuanjiang}
WORK=$(mktemp -d /tmp/xj-bench-seed.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  tests/pg/pg.sh stop "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

server_cpu() {  # CPU seconds of the PostgreSQL cluster so far: the postmaster, its children
  # gone (reaped into its own figures) and those alive; 0 without a cluster
  local dir pid
  [ -f "$WORK/pg/cluster" ] || { echo 0; return; }
  dir=$(cat "$WORK/pg/cluster")
  pid=$(head -1 "$dir/data/postmaster.pid")
  python3 - "$pid" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
def fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()
root = sys.argv[1]
f = fields(root)
total = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
for p in os.listdir("/proc"):
    if p.isdigit() and p != root:
        try:
            g = fields(p)
        except OSError:
            continue
        if g[1] == root:
            total += int(g[11]) + int(g[12])
print(total / tick)
PY
}

timed() {  # label out command...: runs it (its output to the file out), prints
  # "label: W s wall, C s CPU (U user + S sys), M MiB peak[, P s PostgreSQL CPU]" and the load
  # average before and after (the machine is shared: CPU times are the figures to compare)
  local label=$1 out=$2 before after
  shift 2
  echo "load before: $(uptime)"
  before=$(server_cpu)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >"$out"
  after=$(server_cpu)
  echo "load after: $(uptime)"
  read -r wall user sys kb < "$WORK/time"
  python3 -c "import sys; w,u,s,k,b,a=map(float,sys.argv[2:]); print(f'{sys.argv[1]}: {w:.1f} s wall, ' \
    f'{u+s:.1f} s CPU ({u:.1f} user + {s:.1f} sys), {k/1024:.0f} MiB peak' \
    + (f', {a-b:.1f} s PostgreSQL CPU' if a > 0 else ''))" \
    "$label" "$wall" "$user" "$sys" "$kb" "$before" "$after"
}

seed() {  # db
  timed "init --demo --demo-sessions $N --demo-loading $LOADING ($1)" /dev/null \
    "$BIN" init --db "$2" --demo --demo-sessions "$N" --demo-loading "$LOADING" --progress \
    --secrets "$WORK/secrets" --photos "$WORK/photos"
}

case "$MODE" in
  sqlite)
    seed sqlite "$WORK/xj.db"
    echo "sessions: $(sqlite3 "$WORK/xj.db" 'SELECT COUNT(*) FROM sessions')," \
      "file $(du -m "$WORK/xj.db" | cut -f1) MiB"
    ;;
  postgresql)
    tests/pg/pg.sh start "$WORK/pg"
    seed postgresql "$(cat "$WORK/pg/url")"
    echo "sessions: $(psql -X -At "$(cat "$WORK/pg/url")" -c 'SELECT COUNT(*) FROM sessions')"
    ;;
  migrate)
    seed sqlite "$WORK/xj.db"
    tests/pg/pg.sh start "$WORK/pg"
    timed "migrate-data sqlite → postgresql" "$WORK/migrate.out" \
      "$BIN" migrate-data --from "$WORK/xj.db" --to "$(cat "$WORK/pg/url")" --progress
    tail -1 "$WORK/migrate.out"
    ;;
  *)
    echo "usage: $0 sqlite|postgresql|migrate [N] [LOADING]" >&2
    exit 2
    ;;
esac
