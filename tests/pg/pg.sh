#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test run: `pg.sh start DIR` initialises one in DIR on a
# free port of 127.0.0.1 and writes its superuser URL to DIR/url; `pg.sh stop DIR` stops it and
# removes DIR. initdb refuses root, so as root the cluster runs as the `postgres` system user.
set -euo pipefail
cmd=$1 dir=$2
PGBIN=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
[ -x "$PGBIN/initdb" ] || PGBIN=/usr/lib/postgresql/15/bin
if [ "$(id -u)" = 0 ]; then AS="runuser -u postgres --"; else AS=""; fi
case "$cmd" in
  start)
    "$0" stop "$dir" 2>/dev/null || true
    mkdir -p "$dir"
    [ -z "$AS" ] || chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    $AS sh -c "umask 077; printf %s xjtestpw > '$dir/pwfile'"
    $AS "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale --auth-local=trust \
      --auth-host=scram-sha-256 --pwfile="$dir/pwfile" >/dev/null
    $AS "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" >/dev/null
    echo "postgresql://postgres:xjtestpw@127.0.0.1:$port/postgres" > "$dir/url.tmp"
    chmod 644 "$dir/url.tmp"; mv "$dir/url.tmp" "$dir/url"
    ;;
  stop)
    [ -d "$dir/data" ] && $AS "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg.sh start|stop DIR" >&2; exit 2 ;;
esac
