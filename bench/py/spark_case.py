"""Spark local + Apache Iceberg doing what Engine does, for the benchmark (run with the venv of
scripts/peers/spark.sh; the session is configured like test/peers/spark_server.py):

    python spark_case.py load  '{"warehouse": …, "source": ….csv, "jar": …, "memory": "4g", "sql": {…}}'
    python spark_case.py merge '{"warehouse": …, "source": changes.csv, "jar": …, "sql": {…}}'

The load runs the Glue job script `engine gen glue` generates for the spec (compileGlueScript,
passed in by the runner from bench/src/spark-sql.ts): read, cast, latest-per-key dedupe, the three
rules, CREATE TABLE with days(order_ts) and INSERT INTO. The merge runs the MERGE INTO of the
Spark compiler the script is built on. `ms` is the work itself; session
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
        # The generated Glue job script, run as Glue runs it: main(argv) with the job's arguments.
        job = {}
        exec(compile(sql["glueScript"], "engine_glue_job.py", "exec"), job)
        result = job["main"](["--engine-catalog", "local", "--engine-source", args["source"]], spark=spark)
        report["ms"] = (time.perf_counter() - t0) * 1000
        report["job"] = {k: result.get(k) for k in ("status", "rowsRead", "rowsInput")}
        files, max_per_day, days = file_stats(spark)
        report.update({"filesWritten": files, "maxFilesPerPartition": max_per_day, "partitionsWritten": days,
                       "rowsWritten": spark.sql("SELECT count(*) AS n FROM local.bench.orders").collect()[0]["n"]})
    elif case == "merge":
        before, _, _ = file_stats(spark)
        if before == 0:
            raise SystemExit("bench: spark merge: local.bench.orders has no data files (did the Spark load fail?)")
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
