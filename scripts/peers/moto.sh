#!/usr/bin/env bash
# moto peer: the moto server (S3, Glue, Athena mocks) in its own venv, with boto3/botocore, whose
# service models also validate the requests we generate. The tests start ONE server per run
# (test/peers/moto_server.py). Prints {"python", "server", "motoVersion"}.
source "$(dirname "$0")/lib.sh"
peer_begin moto
MOTO_VERSION=5.2.5
venv="$PEERS_CACHE/moto-venv"
# Not moto[server]: that extra pulls docker, cfn-lint and friends for services we never call.
# The server itself needs flask + flask-cors; s3/glue extras add their parsers; athena needs none.
reqs="moto[s3,glue]==$MOTO_VERSION flask==3.1.3 flask-cors==6.0.5 boto3==1.44.5 botocore==1.44.5"
peer_venv "$venv" "$reqs" $reqs
peer_json python "$venv/bin/python" server "$PEERS_ROOT/test/peers/moto_server.py" motoVersion "$MOTO_VERSION"
