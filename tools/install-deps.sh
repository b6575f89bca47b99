#!/usr/bin/env bash
# Installs the Debian packages Xuanjiang needs to build, test and serve, and only those missing.
# Works as root or through sudo. Node.js/npm: Debian's own are installed only where `node` is
# missing, because a newer NodeSource node conflicts with Debian's npm package.
#
#   tools/install-deps.sh          build + test + demo set
#   tools/install-deps.sh --bench  also the benchmark-only tools (wrk, nginx, CBC)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpqxx-dev libpq-dev postgresql-15
  libsodium-dev libicu-dev libcli11-dev libspdlog-dev libfmt-dev
  libxlsxwriter-dev libqrencode-dev libminizip-dev libexpat1-dev libpoppler-cpp-dev
  libgtest-dev libgmock-dev
  clang-tidy
  chromium fonts-wqy-microhei
  python3 python3-yaml python3-icalendar python3-openpyxl
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk nginx coinor-cbc coinor-libcbc-dev)
fi
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=()
[[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
