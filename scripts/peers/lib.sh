# Shared helpers for scripts/peers/*.sh — sourced, never run.
#
# Each peer script installs one real peer (a tool we did not write) into the ignored cache
# `<repo>/.cache/peers/` (or $ENGINE_PEER_CACHE), once: a stamp file holding the pinned versions
# marks a finished install, so reruns take well under a second. What the tests need is printed on
# stdout (JSON, or a bare path for python.sh); every log line goes to stderr. Missing tools stop
# the script with exit code 3 and a message naming what to install.

set -euo pipefail

PEERS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEERS_CACHE="${ENGINE_PEER_CACHE:-$PEERS_ROOT/.cache/peers}"
PEER_NAME="peers"

# peer_begin NAME — names the log lines and takes the peer's install lock, so that test workers
# racing to install the same peer wait for each other instead of both writing one venv.
peer_begin() {
  PEER_NAME="$1"
  mkdir -p "$PEERS_CACHE/locks"
  exec 9>"$PEERS_CACHE/locks/$PEER_NAME.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 3600 9 || peer_die "timed out waiting for another install of $PEER_NAME"
  fi
}

peer_log() { echo "peers[$PEER_NAME]: $*" >&2; }

peer_die() {
  echo "peers[$PEER_NAME]: $*" >&2
  exit 3
}

# peer_need COMMAND WHY — fails with a message saying what to install when COMMAND is missing.
peer_need() {
  command -v "$1" >/dev/null 2>&1 || peer_die "$1 not found — $2"
}

# peer_need_java — a JDK 17 (java and, with "javac", the compiler).
peer_need_java() {
  peer_need java "install a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless) to run the $PEER_NAME interop tests"
  local v
  v="$(java -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/')"
  [ "${v:-0}" -ge 11 ] 2>/dev/null || peer_die "java $v found, but the $PEER_NAME peer needs Java 11 or newer (17 recommended)"
  if [ "${1:-}" = javac ]; then
    peer_need javac "install a JDK 17 with its compiler (Debian: apt-get install openjdk-17-jdk-headless) to build the $PEER_NAME drivers"
  fi
}

peer_need_python() {
  peer_need python3 "install Python 3.10+ with venv (Debian: apt-get install python3 python3-venv) to run the $PEER_NAME interop tests"
  python3 -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 10)' 2>/dev/null ||
    peer_die "python3 must be 3.10+ with the venv and ensurepip modules (Debian: apt-get install python3-venv)"
}

# peer_stamp_ok FILE CONTENT — true when FILE exists and holds exactly CONTENT.
peer_stamp_ok() {
  [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]
}

# peer_venv DIR STAMP_CONTENT PIP_ARGS... — (re)creates the venv DIR with PIP_ARGS installed,
# unless its stamp already names the same pins.
peer_venv() {
  local dir="$1" pins="$2"
  shift 2
  local stamp="$dir/${PEER_STAMP_FILE:-.engine-peer-stamp}"
  if peer_stamp_ok "$stamp" "$pins"; then return 0; fi
  peer_need_python
  peer_log "creating $dir"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  python3 -m venv "$dir" >&2
  "$dir/bin/python" -m pip install --disable-pip-version-check --no-input -q "$@" >&2 ||
    peer_die "pip install failed for: $* (is PyPI reachable?)"
  printf '%s' "$pins" >"$stamp"
}

# peer_fetch_maven GROUP ARTIFACT VERSION [CLASSIFIER] DEST_DIR — downloads one jar from Maven
# Central (sha1-checked) and prints its path. Used where one self-contained jar is all we need.
peer_fetch_maven() {
  local g="$1" a="$2" v="$3" c="${4:-}" dest="$5"
  local file="$a-$v${c:+-$c}.jar"
  local url="${ENGINE_MAVEN_REPO:-https://repo1.maven.org/maven2}/${g//.//}/$a/$v/$file"
  if [ ! -s "$dest/$file" ]; then
    peer_need curl "install curl to download $file from Maven Central"
    mkdir -p "$dest"
    peer_log "downloading $url"
    curl -fsSL --retry 3 -o "$dest/$file.part" "$url" || peer_die "could not download $url"
    local want got
    want="$(curl -fsSL --retry 3 "$url.sha1" | cut -c1-40)" || peer_die "could not download $url.sha1"
    got="$(sha1sum "$dest/$file.part" | cut -c1-40)"
    [ "$want" = "$got" ] || peer_die "checksum mismatch for $file (got $got, want $want)"
    mv "$dest/$file.part" "$dest/$file"
  fi
  echo "$dest/$file"
}

# peer_json KEY VALUE ... — prints a flat JSON object of strings.
peer_json() {
  local out="{" sep="" k v
  while [ $# -gt 1 ]; do
    k="$1" v="$2"
    shift 2
    v="${v//\\/\\\\}"
    v="${v//\"/\\\"}"
    out="$out$sep\"$k\":\"$v\""
    sep=","
  done
  echo "$out}"
}
