#!/usr/bin/env bash
# Apache Iceberg REST catalog peer: the upstream test fixture (org.apache.iceberg:iceberg-open-api,
# classifier test-fixtures, class org.apache.iceberg.rest.RESTCatalogServer) with its runtime
# classpath, shared with iceberg-java.sh. The tests start it through our thin main
# org.apache.iceberg.rest.LocalRESTCatalogServer (test/peers/java), which serves the same servlet
# on 127.0.0.1 and a free port. Prints {"java", "classpath", "mainClass", "icebergVersion"}.
source "$(dirname "$0")/lib.sh"
out="$(bash "$(dirname "$0")/iceberg-java.sh")" || exit $?
PEER_NAME=rest-catalog
java="$(printf '%s' "$out" | sed -E 's/.*"java":"([^"]*)".*/\1/')"
cp="$(printf '%s' "$out" | sed -E 's/.*"classpath":"([^"]*)".*/\1/')"
ver="$(printf '%s' "$out" | sed -E 's/.*"icebergVersion":"([^"]*)".*/\1/')"
case "$cp" in *iceberg-open-api-*-test-fixtures.jar*) ;; *) peer_die "the REST fixture jar is missing from the classpath" ;; esac
peer_json java "$java" classpath "$cp" mainClass org.apache.iceberg.rest.LocalRESTCatalogServer icebergVersion "$ver"
