#!/usr/bin/env bash
# Creates (once) the cached virtualenv that holds the Python peers the interop tests ask:
# PyIceberg and PyArrow. Prints the venv's python path on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${ENGINE_PEER_CACHE:-$root/.cache/peers}"
venv="$cache/py"
stamp="$venv/.engine-peers-v1"
reqs="pyiceberg[sql-sqlite]==0.10.0 pyarrow==21.0.0"
if [ ! -f "$stamp" ]; then
  command -v python3 >/dev/null || { echo "peers: python3 is required for the interop tests" >&2; exit 3; }
  mkdir -p "$cache"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --disable-pip-version-check -q $reqs >&2
  echo "$reqs" > "$stamp"
fi
echo "$venv/bin/python"
