#!/usr/bin/env bash
# Import 100,000 past sessions with validation (issue 15: under 10 s), from CSV (UTF-8, GBK) and
# .xlsx, through `xuanjiang import sessions` on a fresh demo database (SQLite); then the same file
# again (every row found by its natural key: nothing created). Prints wall time and peak memory.
#
#   bench/import/run.sh [ROWS] [BIN]
set -euo pipefail
rows=${1:-100000}
bin=${2:-build/dev/src/cli/xuanjiang}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" init --db "$dir/seed.db" --demo --demo-sessions 0 >/dev/null
/usr/bin/python3 bench/import/make_sheet.py "$dir/seed.db" "$rows" "$dir/s.csv"
/usr/bin/python3 bench/import/make_sheet.py "$dir/seed.db" "$rows" "$dir/s-gbk.csv" --gbk
/usr/bin/python3 bench/import/make_sheet.py "$dir/seed.db" "$rows" "$dir/s.xlsx"
uptime
ls -l "$dir"/s*.csv "$dir"/s.xlsx | awk '{print $5, $9}'
measure() {  # label, then the command
  local label=$1
  shift
  /usr/bin/time -f "$label: %e s wall, %U s user + %S s system, peak %M KiB" "$@" >/dev/null
}
for f in s.csv s-gbk.csv s.xlsx; do
  cp "$dir/seed.db" "$dir/$f.db"
  measure "$f dry run" "$bin" import sessions "$dir/$f" --db "$dir/$f.db" --dry-run
  measure "$f import" "$bin" import sessions "$dir/$f" --db "$dir/$f.db"
  measure "$f again (all unchanged)" "$bin" import sessions "$dir/$f" --db "$dir/$f.db"
done
