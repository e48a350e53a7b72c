#!/usr/bin/env bash
# Installs every peer (or those named as arguments), one after the other, with timings on stderr;
# prints {"<peer>": <what its script printed>, …} on stdout. Skip some for local work with
# ENGINE_SKIP_PEERS=spark,airflow (comma-separated names; "all" skips everything). Every peer is
# still attempted when one fails; the exit code is then 3 and the failures are listed at the end.
set -uo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
peers=("$@")
[ ${#peers[@]} -gt 0 ] || peers=(python spark iceberg-java rest-catalog moto airflow jupyter)
skip=",${ENGINE_SKIP_PEERS:-},"
out="{"
sep=""
failed=()
total_start=$SECONDS
for p in "${peers[@]}"; do
  [ -f "$dir/$p.sh" ] || { echo "peers: no such peer '$p' (scripts/peers/$p.sh)" >&2; failed+=("$p"); continue; }
  if [[ "$skip" == *",$p,"* || "$skip" == *",all,"* ]]; then
    echo "peers: skipping $p (ENGINE_SKIP_PEERS)" >&2
    continue
  fi
  start=$SECONDS
  if res="$(bash "$dir/$p.sh")"; then
    echo "peers: $p ready in $((SECONDS - start))s" >&2
    case "$res" in "{"*) ;; *) res="\"$res\"" ;; esac
    out="$out$sep\"$p\":$res"
    sep=","
  else
    echo "peers: $p FAILED after $((SECONDS - start))s" >&2
    failed+=("$p")
  fi
done
echo "$out}"
echo "peers: all done in $((SECONDS - total_start))s" >&2
if [ ${#failed[@]} -gt 0 ]; then
  echo "peers: failed: ${failed[*]} — see the messages above" >&2
  exit 3
fi
