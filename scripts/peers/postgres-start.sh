#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests: initdb into DIR (a fresh folder, created),
# trust auth for the superuser "engine", listening on 127.0.0.1:PORT (a free port when not given)
# and a socket inside DIR. As root, the cluster runs as the "postgres" user (created if absent),
# since postgres refuses to run as root. Prints {"url", "port", "dir", "bin"}; stop it with
#   scripts/peers/postgres-start.sh --stop DIR
source "$(dirname "$0")/lib.sh"
PEER_NAME=postgres
bin="$(bash "$(dirname "$0")/postgres.sh" | sed -E 's/.*"bin":"([^"]+)".*/\1/')" || exit 3

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
  dir="${2:?usage: postgres-start.sh --stop DIR}"
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  exit 0
fi

dir="${1:?usage: postgres-start.sh DIR [PORT]}"
port="${2:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}"
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
fi
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_owner "$bin/initdb" -D "$dir/data" -U engine --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; peer_die "initdb failed"; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >&2 ||
  { cat "$dir/server.log" >&2; peer_die "pg_ctl start failed"; }
peer_json url "postgres://engine@127.0.0.1:$port/postgres" port "$port" dir "$dir" bin "$bin"
