#!/usr/bin/env bash
# Spark peer: PySpark in its own venv plus the Apache Iceberg Spark runtime jar from Maven Central.
# The tests start ONE long-lived server (test/peers/spark_server.py) per run from what this prints:
#   {"python": …, "runtimeJar": …, "server": …, "sparkVersion": …, "icebergVersion": …}
source "$(dirname "$0")/lib.sh"
peer_begin spark
SPARK_VERSION=3.5.8
ICEBERG_VERSION=1.10.1
peer_need_java
venv="$PEERS_CACHE/spark-venv"
peer_venv "$venv" "pyspark==$SPARK_VERSION pyarrow==21.0.0" "pyspark==$SPARK_VERSION" "pyarrow==21.0.0"
jar="$(peer_fetch_maven org.apache.iceberg iceberg-spark-runtime-3.5_2.12 "$ICEBERG_VERSION" "" "$PEERS_CACHE/jars")"
peer_json python "$venv/bin/python" runtimeJar "$jar" server "$PEERS_ROOT/test/peers/spark_server.py" \
  sparkVersion "$SPARK_VERSION" icebergVersion "$ICEBERG_VERSION"
