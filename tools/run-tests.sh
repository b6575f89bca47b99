#!/usr/bin/env bash
# The test step of `make test`: every test of the dev build, then the unit, store (SQLite), API
# (SQLite) and fuzz tests of the asan-ubsan build (ctest --preset asan-ubsan: the selection and
# the sanitizer options live in CMakePresets.json). Both runs always happen; at the end both CTest
# summaries are printed together, and the exit status is non-zero when either run failed.
#
#   tools/run-tests.sh [JOBS]     from the top of the repository, after both builds
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
names=()

# run NAME CTEST-ARGS...: one CTest run, its output shown as it comes and kept for the summary.
run() {
  local name=$1
  shift
  names+=("$name")
  echo
  echo "==== $name: ctest $* ===="
  local start=$SECONDS
  ctest "$@" -j "$jobs" 2>&1 | tee "$logs/${#names[@]}.log"
  local rc=${PIPESTATUS[0]}
  echo "$((SECONDS - start))" > "$logs/${#names[@]}.seconds"
  [ "$rc" -eq 0 ] || status=1
}

rm -f build/dev/api-fuzz-*.txt build/asan-ubsan/api-fuzz-*.txt
run "dev build, every test" --preset dev
run "asan-ubsan build, unit + store + api (SQLite) + fuzz" --preset asan-ubsan

echo
echo "==== make test: summary ===="
for i in "${!names[@]}"; do
  log="$logs/$((i + 1)).log"
  line=$(grep -E '^[0-9]+% tests passed' "$log" || echo "no CTest summary (see above)")
  printf '%-55s %s (%s s)\n' "${names[$i]}:" "$line" "$(cat "$logs/$((i + 1)).seconds")"
  sed -n '/^The following tests FAILED:/,/^Errors while running CTest/p' "$log" |
    grep -vE '^(The following tests FAILED:|Errors while running CTest)' || true
done
# The API fuzzer's own summary lines (requests, routes, roles, 5xx, crashes), per build and engine.
for f in build/dev/api-fuzz-*.txt build/asan-ubsan/api-fuzz-*.txt; do
  [ -f "$f" ] && printf '%-55s %s\n' "${f%%/api-fuzz-*}:" "$(cat "$f")"
done
exit $status
