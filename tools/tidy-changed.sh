#!/usr/bin/env bash
# Runs clang-tidy (the repository's .clang-tidy, warnings as errors) on the sources under src/
# that changed since a base commit, and fails on any finding. CTest runs it (label lint), so
# `make test` fails on a finding in what a change touched; a whole-tree run takes ~10 minutes on
# 2 cores, a change's files a minute or two.
#
#   tools/tidy-changed.sh [-p BUILD_DIR] [-j JOBS] [BASE]   files changed between BASE and HEAD
#   tools/tidy-changed.sh [-p BUILD_DIR] [-j JOBS] --all    every source under src/
#
# BASE defaults to $XJ_TIDY_BASE, else to the commit recorded in tools/tidy-base: every source
# changed since it must be clean (sources untouched since may still have findings: `--all`
# lists them). CI runs on a clean clone of main, where a merge-base with main would be HEAD
# itself; a recorded commit of main stays an ancestor however the branches land (merged or
# rebased). After a clean `--all` run, record HEAD there to keep the checked set small:
#   git rev-parse HEAD > tools/tidy-base
# A base that is not in the history (a shallow clone) checks every source, saying so.
#
# Checked: the .cpp files under src/ that changed (not deleted) and are in the build's
# compile_commands.json, and the own .cpp of each changed .hpp (x.hpp: x.cpp); headers are
# checked through the sources that include them (HeaderFilterRegex in .clang-tidy), so a header
# every file includes does not turn a change into a whole-tree run. Untracked files are not.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/dev"
jobs=2
all=0
base=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -p) build=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --all) all=1; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    -*) echo "tidy-changed: unknown option $1" >&2; exit 2 ;;
    *) base=$1; shift ;;
  esac
done

tidy=$(command -v clang-tidy || true)
if [[ -z "$tidy" ]]; then
  echo "tidy-changed: clang-tidy is not installed (tools/install-deps.sh installs it)" >&2
  exit 2
fi
db="$build/compile_commands.json"
if [[ ! -f "$db" ]]; then
  echo "tidy-changed: no $db (configure the build first: cmake --preset dev)" >&2
  exit 2
fi
cd "$root"

sources_in_db() {  # the src/**/*.cpp files the build compiles, relative to the root
  python3 - "$db" "$root" <<'EOF'
import json, os, sys
db, root = sys.argv[1], sys.argv[2]
seen = set()
for entry in json.load(open(db)):
    path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    rel = os.path.relpath(path, root)
    if rel.startswith("src/") and rel.endswith(".cpp") and rel not in seen:
        seen.add(rel)
        print(rel)
EOF
}

mapfile -t known < <(sources_in_db | sort)
if [[ $all -eq 0 ]]; then
  base=${base:-${XJ_TIDY_BASE:-$(tr -d ' \n' < tools/tidy-base)}}
  if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    echo "tidy-changed: base $base is not in this history: checking every source"
    all=1
  fi
fi
if [[ $all -eq 1 ]]; then
  files=("${known[@]}")
  echo "tidy-changed: every source under src/ (${#files[@]} files)"
else
  mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" HEAD -- src)
  wanted=()
  for f in "${changed[@]}"; do
    case "$f" in
      *.cpp) wanted+=("$f") ;;
      *.hpp) wanted+=("${f%.hpp}.cpp") ;;  # the header's own source, if it has one
    esac
  done
  # printf of an empty array still prints one empty line: dropped on both sides.
  mapfile -t files < <(printf '%s\n' "${wanted[@]}" | sed '/^$/d' | sort -u |
    comm -12 - <(printf '%s\n' "${known[@]}" | sed '/^$/d'))
  echo "tidy-changed: ${#files[@]} source(s) changed since $(git rev-parse --short "$base")"
fi
[[ ${#files[@]} -eq 0 ]] && exit 0
printf '  %s\n' "${files[@]}"

# One clang-tidy per file, $jobs at a time; the findings of all, then one verdict.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
printf '%s\n' "${files[@]}" |
  xargs -P "$jobs" -I{} sh -c '"$1" -p "$2" --quiet "$4" > "$3/$(echo "$4" | tr / _).log" 2>&1' \
    _ "$tidy" "$build" "$tmp" {} || status=1
cat "$tmp"/*.log | grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' || true
if [[ $status -ne 0 ]]; then
  echo "tidy-changed: clang-tidy found problems (above); fix them or, for a false positive, say why in a NOLINT comment" >&2
  exit 1
fi
echo "tidy-changed: clean"
