#!/usr/bin/env bash
# Server-mode load: nginx → 1 or 2 xuanjiang processes, PostgreSQL or SQLite, a read/write mix.
#   bench/load/run.sh [SECONDS]    BIN=… another build; MIX=writes only records sessions;
#                                  CONNECTIONS=… wrk's connections (32)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-60}
BIN=${BIN:-$PWD/build/dev/src/cli/xuanjiang}  # BIN=… measures another build
WORK=$(mktemp -d /tmp/xj-bench-load.XXXXXX); chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  tests/pg/pg.sh stop "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

tests/pg/pg.sh start "$WORK/pg"
PGURL=$(cat "$WORK/pg/url")

run_case() {  # label db processes
  local label=$1 db=$2 n=$3 ports=() upstream=""
  for _ in $(seq "$n"); do
    local port; port=$(free_port)
    "$BIN" serve --db "$db" --port "$port" --threads 4 --stop-after 600 2>/dev/null &
    PIDS+=($!); ports+=("$port"); upstream+="server 127.0.0.1:$port; "
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$p/api/v1/health" >/dev/null && break; sleep 0.1; done
  done
  local nport; nport=$(free_port)
  local slug; slug=$(tr -c 'a-z0-9\n' '-' <<<"$label")
  mkdir -p "$WORK/nginx-$slug"
  cat >"$WORK/nginx-$slug/nginx.conf" <<NGINX
daemon off; worker_processes 1; pid $WORK/nginx-$slug/nginx.pid; error_log $WORK/nginx-$slug/error.log;
events { worker_connections 1024; }
http { access_log off;
  client_body_temp_path $WORK/nginx-$slug/b; proxy_temp_path $WORK/nginx-$slug/p;
  fastcgi_temp_path $WORK/nginx-$slug/f; uwsgi_temp_path $WORK/nginx-$slug/u; scgi_temp_path $WORK/nginx-$slug/s;
  upstream xj { $upstream keepalive 32; }
  server { listen 127.0.0.1:$nport;
    location / { proxy_pass http://xj; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NGINX
  nginx -c "$WORK/nginx-$slug/nginx.conf" -p "$WORK/nginx-$slug/" -e "$WORK/nginx-$slug/error.log" &
  local npid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/api/v1/health" >/dev/null && break; sleep 0.1; done
  local token; token=$("$BIN" token create admin --db "$db" --name load)
  local base="http://127.0.0.1:$nport"
  local ids
  ids=$(curl -sS -f -H "Authorization: Bearer $token" "$base/api/v1/sessions?page_size=1&q=" |
        python3 -c 'import json,sys;s=json.load(sys.stdin)["items"][0];print(s["id"],s["host_organisation_id"],s["campaign_id"],s["lecturer_ids"][0],s["region_code"],s["date"])')
  read -r max host campaign lecturer region date <<<"$ids"
  local out
  out=$(XJ_TOKEN=$token XJ_SESSIONS=$max XJ_HOST_ORG=$host XJ_CAMPAIGN=$campaign \
        XJ_LECTURER=$lecturer XJ_REGION=$region XJ_DATE=$date XJ_MIX=${MIX:-} \
        wrk -t"$(( ${CONNECTIONS:-32} < 2 ? 1 : 2 ))" -c"${CONNECTIONS:-32}" -d"${DURATION}s" --latency -s bench/load/mix.lua "$base")
  printf '| %s | %s | %s | %s | %s |\n' "$label" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(errors=$(awk '/Non-2xx/ {print $NF} /Socket errors/ {print}' <<<"$out" | tr '\n' ' '); echo "${errors:-0}")"
  kill -TERM "$npid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  PIDS=()
  sleep 1
}

echo "| setup | requests/s | p50 | p99 | non-2xx / errors |"
echo "| --- | --- | --- | --- | --- |"
for n in 1 2; do
  psql -X -q "$PGURL" -c "CREATE DATABASE load$n"
  "$BIN" init --db "${PGURL%/*}/load$n" --demo --demo-sessions 20000 --photos "$WORK/photos" >/dev/null
  run_case "postgresql, $n process(es)" "${PGURL%/*}/load$n" "$n"
done
"$BIN" init --db "$WORK/load.db" --demo --demo-sessions 20000 >/dev/null
run_case "sqlite, 1 process" "$WORK/load.db" 1
echo
echo "command: MIX=${MIX:-} bench/load/run.sh $DURATION on $(nproc) cores shared by wrk, nginx, PostgreSQL and the servers"
