#!/usr/bin/env bash
# Jupyter peer: nbconvert + jupyter_client in their own venv, and the tslab TypeScript kernel from
# npm (pinned by scripts/peers/tslab/package-lock.json) installed into .cache/peers/tslab, its
# kernelspec registered in the venv (sys-prefix, so `jupyter kernelspec list` there shows it). Tests run notebooks headless with
# `jupyter nbconvert --execute`. Prints {"python", "jupyter", "tslab", "kernel"}.
source "$(dirname "$0")/lib.sh"
peer_begin jupyter
peer_need node "install Node.js 20+ to run the tslab kernel"
peer_need npm "install npm (ships with Node.js) to install the tslab kernel"
venv="$PEERS_CACHE/jupyter-venv"
tslab="$PEERS_CACHE/tslab"
reqs="nbconvert==7.16.6 nbclient==0.11.0 nbformat==5.11.1 jupyter_client==8.10.0 jupyter_core==5.9.1"
peer_venv "$venv" "$reqs" $reqs
lock="$PEERS_ROOT/scripts/peers/tslab/package-lock.json"
pins="$(sha1sum "$lock" | cut -c1-12) venv=$reqs"
if ! peer_stamp_ok "$tslab/.engine-peer-stamp" "$pins" || [ ! -x "$tslab/node_modules/.bin/tslab" ]; then
  peer_log "npm ci tslab into $tslab"
  rm -rf "$tslab"
  mkdir -p "$tslab"
  cp "$PEERS_ROOT/scripts/peers/tslab/package.json" "$lock" "$tslab/"
  (cd "$tslab" && npm ci --no-audit --no-fund --loglevel=error >&2) || peer_die "npm ci of tslab failed (is the npm registry reachable?)"
  # What `tslab install --sys-prefix` writes, without the IPython its install.py imports.
  spec="$tslab/kernelspec/tslab"
  mkdir -p "$spec"
  printf '{"argv": ["%s", "kernel", "--config-path", "{connection_file}"], "display_name": "TypeScript", "language": "typescript"}\n' \
    "$tslab/node_modules/.bin/tslab" >"$spec/kernel.json"
  JUPYTER_PLATFORM_DIRS=1 "$venv/bin/jupyter" kernelspec install --sys-prefix --name tslab "$spec" >&2 ||
    peer_die "jupyter kernelspec install of tslab failed"
  specs="$(JUPYTER_PLATFORM_DIRS=1 "$venv/bin/jupyter" kernelspec list 2>/dev/null)"
  echo "$specs" >&2
  case "$specs" in *"tslab "*) ;; *) peer_die "the tslab kernelspec is not visible to jupyter kernelspec list" ;; esac
  printf '%s' "$pins" >"$tslab/.engine-peer-stamp"
fi
peer_json python "$venv/bin/python" jupyter "$venv/bin/jupyter" tslab "$tslab/node_modules/.bin/tslab" kernel tslab
