// The fixed Python part of every generated Glue load script (see glue-script.ts): it runs the
// statements `compileGlueScript` puts into `PLAN`. Kept free of backticks (Python builds them
// with chr(96)) so it can live in this raw template literal unchanged.

/** The runtime; `PLAN = None  # @@PLAN@@` is replaced with the compiled plan. */
export const GLUE_SCRIPT_RUNTIME = String.raw`import argparse
import hashlib
import json
import re
import sys

PLAN = None  # @@PLAN@@

TICK = chr(96)
ARGS = ["engine-catalog", "engine-table", "engine-source", "engine-logical-date", "engine-params", "engine-warehouse", "engine-force"]


class LoadError(Exception):
    """The load failed; nothing was committed to the table."""


class ValidationFailed(LoadError):
    """A validation rule with severity error failed."""


def quote(name):
    return TICK + name.replace(TICK, TICK + TICK) + TICK


def sql_string(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def parse_args(argv):
    """Job arguments: Glue's getResolvedOptions when awsglue is importable, else argparse."""
    present = [name for name in ARGS if "--" + name in argv]
    try:
        from awsglue.utils import getResolvedOptions
    except ImportError:
        getResolvedOptions = None
    if getResolvedOptions is not None:
        got = getResolvedOptions(["script"] + list(argv), present)
        return {name: got.get(name, got.get(name.replace("-", "_"))) for name in present}
    parser = argparse.ArgumentParser(description="Engine load of " + PLAN["table"])
    for name in ARGS:
        parser.add_argument("--" + name, dest=name)
    known, _ = parser.parse_known_args(list(argv))
    return {k: v for k, v in vars(known).items() if v is not None}


def fill_params(text, params):
    def one(m):
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        if m.group(1) not in params:
            raise LoadError("load: source path " + text + ": no value for {" + m.group(1) + "} (pass --engine-logical-date or --engine-params)")
        return params[m.group(1)]
    return re.sub(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}", one, text)


class SessionConf:
    """Sets session configuration for the load and restores it afterwards (the session may be shared)."""

    def __init__(self, spark):
        self.spark = spark
        self.saved = {}

    def set(self, key, value):
        if key not in self.saved:
            self.saved[key] = self.spark.conf.get(key, None)
        self.spark.conf.set(key, value)

    def restore(self):
        for key, value in self.saved.items():
            if value is None:
                self.spark.conf.unset(key)
            else:
                self.spark.conf.set(key, value)


class CommitProperties:
    """Adds snapshot summary properties to every Iceberg commit made in this thread (SQL writes
    included) through Iceberg's CommitMetadata, and the session conf newer Iceberg versions read."""

    def __init__(self, spark, conf, properties):
        self.spark = spark
        self.conf = conf
        self.properties = properties
        self.local = None

    def __enter__(self):
        for key, value in self.properties.items():
            self.conf.set("spark.sql.iceberg.snapshot-property." + key, value)
        jvm = self.spark.sparkContext._jvm
        try:
            loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
            field = jvm.java.lang.Class.forName("org.apache.iceberg.spark.CommitMetadata", True, loader).getDeclaredField("COMMIT_PROPERTIES")
            field.setAccessible(True)
            self.local = field.get(None)
            props = jvm.java.util.HashMap()
            for key, value in self.properties.items():
                props.put(key, value)
            self.local.set(props)
        except Exception as e:  # noqa: BLE001
            print("engine: snapshot properties through session conf only (" + str(e).splitlines()[0] + ")")
            self.local = None
        return self

    def __exit__(self, *exc):
        if self.local is not None:
            self.local.remove()
        return False


def read_source(spark, path):
    src = PLAN["source"]
    reader = spark.read
    if src["schema"] is not None:
        reader = reader.schema(src["schema"])
    if src["format"] == "csv":
        # Every column is read as text (no inference); the cast step gives the spec's types and
        # fails naming the column when a value does not cast, as the local engine does.
        options = dict(src["options"])
        options.update({"inferSchema": "false", "mode": "FAILFAST"})
        return reader.options(**options).csv(path)
    if src["format"] == "json":
        return reader.option("mode", "FAILFAST").json(path)
    return reader.parquet(path)


def with_source_columns(df):
    """Adds source columns the spec reads but the source lacks as NULL; fails on required ones."""
    from pyspark.sql.functions import lit

    have = {c.lower() for c in df.columns}
    for col in PLAN["source"]["columns"]:
        if col["name"].lower() in have:
            continue
        if col["required"]:
            raise LoadError("load: required column " + col["name"] + " is missing from the source (found: " + ", ".join(df.columns) + ")")
        df = df.withColumn(col["name"], lit(None).cast("string"))
    return df


def table_exists(spark, target):
    try:
        spark.sql("DESCRIBE TABLE " + target).collect()
        return True
    except Exception as e:  # noqa: BLE001
        if "TABLE_OR_VIEW_NOT_FOUND" in str(e) or "not found" in str(e).lower() or "NoSuchTable" in str(e):
            return False
        raise


def current_snapshot(spark, target):
    rows = spark.sql("SELECT snapshot_id FROM " + target + ".history WHERE is_current_ancestor ORDER BY made_current_at DESC LIMIT 1").collect()
    return rows[0][0] if rows else None


def loaded_before(spark, target, load_id):
    q = ("SELECT s.snapshot_id FROM " + target + ".history AS h JOIN " + target + ".snapshots AS s ON h.snapshot_id = s.snapshot_id "
         "WHERE h.is_current_ancestor AND s.summary[" + sql_string(PLAN["loadIdProperty"]) + "] = " + sql_string(load_id))
    rows = spark.sql(q).collect()
    return rows[0][0] if rows else None


def spark_compat(spark, conf, sql):
    """Spark 3.3 (Glue 4.0) has no usable timestamp_ntz: Iceberg maps timestamp to Spark's timestamp there."""
    major, minor = (int(x) for x in spark.version.split(".")[:2])
    if (major, minor) >= (3, 4) or sql is None:
        return sql
    conf.set("spark.sql.iceberg.handle-timestamp-without-timezone", "true")
    conf.set("spark.sql.iceberg.use-timestamp-without-timezone-in-new-tables", "true")
    return sql.replace(" timestamp_ntz", " timestamp")


def check_columns(columns):
    """The columns rule: the staged source's column names against the spec's (case-insensitive)."""
    failures = []
    for rule in PLAN["columnRules"]:
        got = [c.lower() for c in columns]
        want = [c.lower() for c in rule["expected"]]
        missing = [c for c in rule["expected"] if c.lower() not in got]
        passed = got == want if rule["mode"] == "exact" else not missing
        name = rule["path"] + " columns(" + rule["mode"] + ")"
        message = name + ": expected the columns " + ", ".join(rule["expected"]) + ", got " + ", ".join(columns)
        if passed:
            print("engine: validate " + name + ": passed")
        elif rule["severity"] == "error":
            failures.append(message)
        else:
            print("engine: WARN validate " + message)
    if failures:
        raise ValidationFailed("validate: " + "; ".join(failures))


def run_checks(spark, phase, target):
    failures = []
    for check in PLAN["checks"]:
        if check["phase"] != phase:
            continue
        name = check["path"] + " " + check["label"]
        if check.get("skipped"):
            print("engine: validate " + name + ": skipped (" + check["skipped"] + ")")
            continue
        row = spark.sql(check["sql"].replace("{target}", target)).collect()[0]
        failed = int(row["failed"] or 0)
        message = name + ": expected " + check["expected"] + ", found " + str(row["observed"])
        if failed == 0:
            print("engine: validate " + name + ": passed")
        elif check["severity"] == "error":
            failures.append(message)
        else:
            print("engine: WARN validate " + message)
    if failures:
        raise ValidationFailed("validate: " + "; ".join(failures))


def check_cast(spark):
    cast = PLAN["cast"]
    if cast["failures"] is not None:
        row = spark.sql(cast["failures"]).collect()[0]
        for i, col in enumerate(cast["failureColumns"]):
            n = int(row["c" + str(i)] or 0)
            if n > 0:
                raise LoadError("load: column " + col["name"] + ": cannot cast " + json.dumps(row["e" + str(i)]) + " to " + col["type"] + " (" + str(n) + " row" + ("" if n == 1 else "s") + ")")
    if cast["required"] is not None:
        row = spark.sql(cast["required"]).collect()[0].asDict()
        for name, n in row.items():
            if n:
                raise LoadError("load: column " + name + " is required but " + str(n) + (" row has" if n == 1 else " rows have") + " no value")


def run_load(spark, args):
    catalog = args.get("engine-catalog") or PLAN["catalog"]
    table = args.get("engine-table") or PLAN["table"]
    parts = table.split(".")
    namespace = ".".join(quote(p) for p in parts[:-1])
    target = quote(catalog) + "." + namespace + "." + quote(parts[-1])
    conf = SessionConf(spark)
    cached = []
    try:
        if args.get("engine-warehouse") and spark.conf.get("spark.sql.catalog." + catalog, None) is None:
            conf.set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog")
            conf.set("spark.sql.catalog." + catalog + ".type", "hadoop")
            conf.set("spark.sql.catalog." + catalog + ".warehouse", args["engine-warehouse"])
        conf.set("spark.sql.session.timeZone", "UTC")
        params = json.loads(args.get("engine-params") or "{}")
        if args.get("engine-logical-date"):
            params.setdefault("date", args["engine-logical-date"])
        path = args.get("engine-source") or (PLAN["source"]["path"] and fill_params(PLAN["source"]["path"], params))
        if not path:
            raise LoadError("load: no source path (the spec has none; pass --engine-source)")

        df = read_source(spark, path)
        files = sorted(df.inputFiles())
        if not files:
            raise LoadError("load: no files match " + path)
        load_id = hashlib.sha256(json.dumps({"spec": PLAN["specHash"], "files": files, "params": params}, sort_keys=True).encode("utf-8")).hexdigest()
        exists = table_exists(spark, target)
        if exists and args.get("engine-force", "false").lower() != "true":
            prior = loaded_before(spark, target, load_id)
            if prior is not None:
                print("engine: load " + load_id[:12] + " is already in " + table + " (snapshot " + str(prior) + "); pass --engine-force true to load again")
                return {"status": "skipped", "table": table, "loadId": load_id, "snapshotId": prior}

        check_columns(df.columns)
        for part in (PLAN["cast"], PLAN["existing"] or {}):
            for key in ("sql", "failures", "empty"):
                if key in part:
                    part[key] = spark_compat(spark, conf, part[key])
        PLAN["create"] = spark_compat(spark, conf, PLAN["create"])
        for check in PLAN["checks"]:
            check["sql"] = spark_compat(spark, conf, check.get("sql"))
        if PLAN["transform"] is None:
            with_source_columns(df).createOrReplaceTempView("source")
        else:
            df.createOrReplaceTempView("source")
            with_source_columns(spark.sql(PLAN["transform"])).createOrReplaceTempView("__engine_transformed")
        rows = spark.sql(PLAN["cast"]["sql"]).cache()
        cached.append(rows)
        rows.createOrReplaceTempView("__engine_rows")
        check_cast(spark)
        rows_read = rows.count()
        if PLAN["existing"] is not None:
            existing = PLAN["existing"]["table"].replace("{target}", target) if exists else PLAN["existing"]["empty"]
            spark.sql(existing).createOrReplaceTempView("__engine_existing")
        batch = spark.sql(PLAN["input"]).cache()
        cached.append(batch)
        batch.createOrReplaceTempView("__engine_input")
        rows_input = batch.count()
        # The batch is cached now: the cast rows' cache only takes the memory the write needs.
        rows.unpersist()
        cached.remove(rows)
        run_checks(spark, "pre", target)

        write = PLAN["write"]
        if write["duplicateKeys"] is not None:
            dup = spark.sql(write["duplicateKeys"]).collect()
            if dup:
                raise LoadError("load: merge: key " + dup[0]["k"] + " appears " + str(dup[0]["n"]) + " times in the batch; a merge needs one row per key")
        if not exists:
            spark.sql("CREATE NAMESPACE IF NOT EXISTS " + quote(catalog) + "." + namespace)
            spark.sql(PLAN["create"].replace("{target}", target))
        before = current_snapshot(spark, target)
        if write["mode"] == "overwrite":
            conf.set("spark.sql.sources.partitionOverwriteMode", "static")
        elif write["mode"] == "replace-partitions":
            conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
        with CommitProperties(spark, conf, {PLAN["loadIdProperty"]: load_id}):
            spark.sql(write["sql"].replace("{target}", target))
        try:
            run_checks(spark, "post", target)
        except ValidationFailed:
            if before is not None:
                spark.sql("CALL " + quote(catalog) + ".system.rollback_to_snapshot(" + sql_string(".".join(parts[:-1]) + "." + parts[-1]) + ", " + str(before) + ")")
            elif not exists:
                spark.sql("DROP TABLE IF EXISTS " + target)
            raise
        after = current_snapshot(spark, target)
        return {"status": "committed" if after != before else "unchanged", "table": table, "loadId": load_id, "snapshotId": after, "rowsRead": rows_read, "rowsInput": rows_input}
    finally:
        for frame in cached:
            frame.unpersist()
        for view in ["__engine_input", "__engine_existing", "__engine_rows", "__engine_transformed", "source"]:
            spark.catalog.dropTempView(view)
        conf.restore()


def main(argv=None, spark=None):
    """Runs the load; with an existing session (spark=...) it is used and left running."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    own = spark is None
    if own:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName("engine-load-" + PLAN["table"]).getOrCreate()
    try:
        result = run_load(spark, args)
        print("engine: " + json.dumps(result, default=str))
        return result
    finally:
        if own:
            spark.stop()


if __name__ == "__main__":
    main()
`;
