#!/usr/bin/env bash
# Apache Airflow peer: Airflow 2.10 with the Amazon provider in its own venv, pinned by
# airflow-constraints.txt; AIRFLOW_HOME and its SQLite database live in the cache and are migrated
# once. Tests import our generated DAGs with DagBag through this python, with the env printed here:
#   {"python", "airflow", "home", "dagsFolder", "sqlAlchemyConn", "airflowVersion"}
source "$(dirname "$0")/lib.sh"
peer_begin airflow
AIRFLOW_VERSION=2.10.5
AMAZON_VERSION=9.2.0
constraints="$PEERS_ROOT/scripts/peers/airflow-constraints.txt"
venv="$PEERS_CACHE/airflow-venv"
home="$PEERS_CACHE/airflow-home"
pins="apache-airflow==$AIRFLOW_VERSION apache-airflow-providers-amazon==$AMAZON_VERSION constraints=$(sha1sum "$constraints" | cut -c1-12)"
python3 -c 'import sys; assert (3, 9) <= sys.version_info < (3, 13)' 2>/dev/null ||
  peer_die "Airflow $AIRFLOW_VERSION needs python3 3.9–3.12; found $(python3 --version 2>&1)"
peer_venv "$venv" "$pins" "apache-airflow==$AIRFLOW_VERSION" \
  "apache-airflow-providers-amazon==$AMAZON_VERSION" -c "$constraints"
export AIRFLOW_HOME="$home"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_FOLDER="$home/dags"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$home/airflow.db"
if ! peer_stamp_ok "$home/.migrated" "$pins"; then
  rm -rf "$home"
  mkdir -p "$home/dags"
  peer_log "airflow db migrate (AIRFLOW_HOME=$home)"
  "$venv/bin/airflow" db migrate >&2 || peer_die "airflow db migrate failed"
  "$venv/bin/python" -c 'from airflow.models import DagBag; import airflow.providers.amazon' >&2 ||
    peer_die "airflow installed but cannot import DagBag / the Amazon provider"
  printf '%s' "$pins" >"$home/.migrated"
fi
peer_json python "$venv/bin/python" airflow "$venv/bin/airflow" home "$home" dagsFolder "$home/dags" \
  sqlAlchemyConn "$AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" airflowVersion "$AIRFLOW_VERSION"
