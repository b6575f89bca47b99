#!/usr/bin/env bash
# The API fuzzer for longer than `make test` runs it: rounds over every route and role, each
# round with new random choices, until the time is up; prints every finding and the summary.
#   tests/fuzz/api_fuzz.sh --seconds 600 [--seed N] [--only 'POST /api/v1/sessions']
#   XJ_API_ENGINE=postgresql tests/fuzz/api_fuzz.sh --seconds 600   (a throwaway cluster)
# Needs the built server (build/dev, or XJ_BIN). Exit status 1 when something failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export XJ_BIN=${XJ_BIN:-$root/build/dev/src/cli/xuanjiang}
if [[ "${XJ_API_ENGINE:-sqlite}" == "postgresql" && -z "${XJ_TEST_POSTGRES_URL_FILE:-}" ]]; then
  state=$(mktemp -d /tmp/xj-fuzz-pg.XXXXXX)
  trap '"$root/tests/pg/pg.sh" stop "$state"; rm -rf "$state"' EXIT
  "$root/tests/pg/pg.sh" start "$state"
  export XJ_TEST_POSTGRES_URL_FILE=$state/url
fi
python3 "$root/tests/api/api_fuzz.py" "$@"
