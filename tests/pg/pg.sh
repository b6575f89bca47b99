#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test run and the benchmarks.
#   pg.sh start STATE [--no-fsync]   initialises a cluster on a free port of 127.0.0.1 and
#                                    writes its superuser URL to STATE/url
#   pg.sh stop STATE                 stops it and removes it
# initdb refuses root, so as root the cluster runs as the `postgres` system user. The cluster
# lives in its own folder under /tmp, never under STATE: the `postgres` user may not be able to
# reach the build folder (a clone under /root, say).
# --no-fsync (the test run, tests/store/CMakeLists.txt): no fsync, and a stop without a shutdown
# checkpoint. No test crashes PostgreSQL itself (the crash tests kill xuanjiang), and the
# cluster is thrown away after the run; every CREATE DATABASE of the API tests would otherwise
# wait on the disk. Benchmarks start it without: their writes must cost what they cost.
set -euo pipefail
cmd=$1 state=$2 durability=${3:-}
PGBIN=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
[ -x "$PGBIN/initdb" ] || PGBIN=/usr/lib/postgresql/15/bin
if [ "$(id -u)" = 0 ]; then AS="runuser -u postgres --"; else AS=""; fi
case "$cmd" in
  start)
    "$0" stop "$state" 2>/dev/null || true
    mkdir -p "$state"
    dir=$(mktemp -d /tmp/xj-pg.XXXXXX)
    echo "$dir" > "$state/cluster"
    settings="-c listen_addresses=127.0.0.1 -c max_connections=200"
    stop_mode=fast
    if [ "$durability" = --no-fsync ]; then
      settings+=" -c fsync=off -c full_page_writes=off"
      stop_mode=immediate
    fi
    echo "$stop_mode" > "$state/stop-mode"
    [ -z "$AS" ] || chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    $AS sh -c "umask 077; printf %s xjtestpw > '$dir/pwfile'"
    $AS "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale --auth-local=trust \
      --auth-host=scram-sha-256 --pwfile="$dir/pwfile" >/dev/null
    $AS "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-p $port -k $dir $settings" >/dev/null
    echo "postgresql://postgres:xjtestpw@127.0.0.1:$port/postgres" > "$state/url.tmp"
    mv "$state/url.tmp" "$state/url"
    ;;
  stop)
    if [ -f "$state/cluster" ]; then
      dir=$(cat "$state/cluster")
      mode=$(cat "$state/stop-mode" 2>/dev/null || echo fast)
      [ -d "$dir/data" ] && $AS "$PGBIN/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null 2>&1 || true
      # A test run leaves gigabytes in a hundred thousand files: removed in the background, so
      # that the run does not wait a minute for it.
      if [ -d "$dir" ] && mv "$dir" "$dir.gone" 2>/dev/null; then
        setsid nohup rm -rf "$dir.gone" >/dev/null 2>&1 < /dev/null &
      else
        rm -rf "$dir"
      fi
    fi
    rm -rf "$state"
    ;;
  *) echo "usage: pg.sh start STATE_DIR [--no-fsync] | pg.sh stop STATE_DIR" >&2; exit 2 ;;
esac
