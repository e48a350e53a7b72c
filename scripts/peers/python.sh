#!/usr/bin/env bash
# PyIceberg + PyArrow peer: creates (once) the cached virtualenv the interop tests ask for
# PyIceberg and PyArrow. Prints the venv's python path on stdout (a bare path, not JSON: older
# callers read it as is).
source "$(dirname "$0")/lib.sh"
peer_begin python
venv="$PEERS_CACHE/py"
reqs="pyiceberg[sql-sqlite,pyiceberg-core]==0.10.0 pyarrow==21.0.0"
PEER_STAMP_FILE=.engine-peers-v2 peer_venv "$venv" "$reqs" $reqs
echo "$venv/bin/python"
