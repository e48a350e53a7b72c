#!/usr/bin/env bash
# postgres peer: Debian's PostgreSQL server binaries (initdb, pg_ctl, postgres), installed with
# apt-get when absent. Tests start a throwaway cluster with scripts/peers/postgres-start.sh.
# Prints {"bin": "<folder holding initdb and pg_ctl>", "version": "<major>"}.
source "$(dirname "$0")/lib.sh"
peer_begin postgres

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

if ! bin="$(find_bin)"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    peer_log "installing Debian's postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || peer_die "apt-get update failed"
    # The server package only: no cluster is created by the tests through Debian's wrappers.
    apt-get install -y -qq --no-install-recommends postgresql >&2 || peer_die "apt-get install postgresql failed"
  else
    peer_die "PostgreSQL server binaries not found — install Debian's postgresql (apt-get install postgresql) to run the postgres tests"
  fi
  bin="$(find_bin)" || peer_die "postgresql installed, but no /usr/lib/postgresql/*/bin/initdb was found"
fi
peer_json bin "$bin" version "$(basename "$(dirname "$bin")")"
