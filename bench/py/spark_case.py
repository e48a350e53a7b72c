"""Spark local + Apache Iceberg doing what Engine does, for the benchmark (run with the venv of
scripts/peers/spark.sh; the session is configured like test/peers/spark_server.py):

    python spark_case.py load  '{"warehouse": …, "source": ….csv, "jar": …, "memory": "4g", "sql": {…}}'
    python spark_case.py merge '{"warehouse": …, "source": changes.csv, "jar": …, "sql": {…}}'

The SQL comes from the runner (bench/src/spark-sql.ts): CREATE TABLE with days(order_ts), the
cast and the latest-per-key dedupe (row_number() subquery, as the Spark compiler writes it),
INSERT INTO for the load and MERGE INTO for the merge. `ms` is the work itself; session
start-up is reported apart (`startMs`). Writes its figures as JSON to $BENCH_OUT.
"""

import json
import os
import sys
import time

T_START = time.perf_counter()


def session(jar, warehouse, memory):
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("engine-bench")
        .config("spark.jars", jar)
        .config("spark.driver.memory", memory)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", os.path.join(warehouse, "_spark_sql_warehouse"))
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.catalog.local", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.local.type", "hadoop")
        .config("spark.sql.catalog.local.warehouse", warehouse)
        .getOrCreate()
    )


def file_stats(spark):
    rows = spark.sql("SELECT partition, count(*) AS n FROM local.bench.orders.files GROUP BY partition").collect()
    return sum(r["n"] for r in rows), (max(r["n"] for r in rows) if rows else 0), len(rows)


def main():
    case, raw = sys.argv[1], sys.argv[2]
    args = json.loads(raw)
    spark = session(args["jar"], args["warehouse"], args.get("memory", "4g"))
    spark.sparkContext.setLogLevel("ERROR")
    start_ms = (time.perf_counter() - T_START) * 1000
    sql = args["sql"]
    report = {"case": f"spark-{case}", "startMs": start_ms, "versions": {"spark": spark.version}}
    # The source as strings; the statements cast (like the Glue script's cast step).
    spark.read.option("header", "true").csv(args["source"]).createOrReplaceTempView("source")
    t0 = time.perf_counter()
    if case == "load":
        spark.sql("CREATE NAMESPACE IF NOT EXISTS local.bench")
        spark.sql(sql["create"])
        spark.sql(sql["load"])
        report["ms"] = (time.perf_counter() - t0) * 1000
        files, max_per_day, days = file_stats(spark)
        report.update({"filesWritten": files, "maxFilesPerPartition": max_per_day, "partitionsWritten": days,
                       "rowsWritten": spark.sql("SELECT count(*) AS n FROM local.bench.orders").collect()[0]["n"]})
    elif case == "merge":
        before, _, _ = file_stats(spark)
        spark.sql(sql["merge"])
        report["ms"] = (time.perf_counter() - t0) * 1000
        after, _, _ = file_stats(spark)
        summary = spark.sql("SELECT summary FROM local.bench.orders.snapshots ORDER BY committed_at DESC LIMIT 1").collect()[0]["summary"]
        report.update({"filesBefore": before, "filesAfter": after, "summary": dict(summary)})
    else:
        raise SystemExit(f"bench: spark case: expected load or merge, got {case}")
    with open(os.environ["BENCH_OUT"], "w") as f:
        json.dump(report, f, indent=2, default=str)
    spark.stop()


if __name__ == "__main__":
    main()
