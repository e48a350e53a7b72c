#!/usr/bin/env bash
# Apache Iceberg Java peer: the library's jars (core, data, parquet, the REST catalog test fixture
# and their runtime deps, resolved by Maven from iceberg-java.pom.xml into the cache's own local
# repository) and the small drivers in test/peers/java compiled with javac. Prints
#   {"java": …, "classpath": "<classes>:<jars>", "classes": …, "icebergVersion": …}
# Run a driver with: java -cp "$classpath" EqDeleteWriter '<json>'
source "$(dirname "$0")/lib.sh"
peer_begin iceberg-java
ICEBERG_VERSION=1.10.1
peer_need_java javac
pom="$PEERS_ROOT/scripts/peers/iceberg-java.pom.xml"
src="$PEERS_ROOT/test/peers/java"
dir="$PEERS_CACHE/iceberg-java"
cpfile="$dir/classpath.txt"
pins="iceberg=$ICEBERG_VERSION pom=$(sha1sum "$pom" | cut -c1-12)"
if ! peer_stamp_ok "$dir/.jars-stamp" "$pins" || [ ! -s "$cpfile" ]; then
  peer_need mvn "install Maven 3 (Debian: apt-get install maven) to fetch the Apache Iceberg jars"
  mkdir -p "$dir"
  peer_log "resolving Apache Iceberg $ICEBERG_VERSION jars with Maven"
  mvn -B -q -f "$pom" -Dmaven.repo.local="$PEERS_CACHE/m2" dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$cpfile" >&2 ||
    peer_die "mvn could not resolve $pom (is Maven Central reachable?)"
  printf '%s' "$pins" >"$dir/.jars-stamp"
fi
jars="$(cat "$cpfile")"
# Recompile when a driver's source changes.
srcsum="$(cat "$src"/*.java | sha1sum | cut -c1-12)"
if ! peer_stamp_ok "$dir/.classes-stamp" "$srcsum"; then
  peer_log "compiling $src/*.java"
  rm -rf "$dir/classes"
  mkdir -p "$dir/classes"
  javac -nowarn -encoding UTF-8 -d "$dir/classes" -cp "$jars" "$src"/*.java >&2 ||
    peer_die "javac failed on $src"
  printf '%s' "$srcsum" >"$dir/.classes-stamp"
fi
peer_json java "$(command -v java)" classpath "$dir/classes:$jars" classes "$dir/classes" \
  icebergVersion "$ICEBERG_VERSION"
