"""One long-lived local Spark (with Apache Iceberg) that every Spark interop test of a run shares.

Started by test/peers/servers.ts with the python of scripts/peers/spark.sh:

    python spark_server.py --jar <iceberg-spark-runtime.jar> --warehouse <dir>

It starts ONE SparkSession (local[2]) whose Iceberg catalog `local` is a Hadoop catalog over
<warehouse>, serves JSON on 127.0.0.1 on a free port and prints `{"url": …}` as its first stdout
line once ready. It exits when its stdin closes (the test process that started it is gone).

    GET  /health                      -> {"ok": true, "spark": "3.5.x"}
    POST /sql      {sql}              -> {columns, types, rows}
    POST /load     {metadata, view}   -> registers the table at a metadata file (or table dir) as
                                         a temp view -> {view, columns, types}
    POST /checksum {table|metadata|sql} -> {count, checksum, columns}  (order-independent)
    POST /run      {code, args}       -> runs Python with `spark` and `args` in scope; returns the
                                         JSON-safe value of its `result` variable

Values are JSON-safe: bigint and decimal as strings, date as YYYY-MM-DD, timestamps as ISO 8601
with microseconds (a trailing Z for timestamptz), binary as base64, NaN/Infinity as strings.
"""

import argparse
import base64
import datetime
import decimal
import hashlib
import json
import math
import os
import queue
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MASK64 = (1 << 64) - 1


def build_session(jar: str, warehouse: str, memory: str):
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("engine-interop-tests")
        .config("spark.jars", jar)
        .config("spark.driver.memory", memory)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC -XX:+UseSerialGC")
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
        # Tables change under Spark's feet (our writer, the Java EqDeleteWriter): never cache.
        .config("spark.sql.catalog.local.cache-enabled", "false")
        # Path-based reads (`spark.read.format("iceberg").load(<metadata.json or table dir>)`) go
        # through Iceberg's `default_iceberg` catalog; a Hadoop one needs no metastore.
        .config("spark.sql.catalog.default_iceberg", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.default_iceberg.type", "hadoop")
        .config("spark.sql.catalog.default_iceberg.warehouse", os.path.join(warehouse, "_default_iceberg"))
        .config("spark.sql.catalog.default_iceberg.cache-enabled", "false")
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


# --- JSON-safe values ------------------------------------------------------------------------


def to_json_safe(value, dtype):
    """Converts one collected Spark value of Spark type `dtype` to a JSON-safe value."""
    from pyspark.sql import types as T

    if value is None:
        return None
    if isinstance(dtype, T.LongType):
        return str(value)
    if isinstance(dtype, T.DecimalType):
        return format(value, "f")
    if isinstance(dtype, (T.FloatType, T.DoubleType)):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(dtype, T.DateType):
        return value.isoformat()
    if isinstance(dtype, T.TimestampNTZType):
        return value.isoformat(timespec="microseconds")
    if isinstance(dtype, T.TimestampType):
        # The server runs with TZ=UTC and the session time zone UTC, so naive values are UTC.
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(dtype, T.BinaryType):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(dtype, T.ArrayType):
        return [to_json_safe(v, dtype.elementType) for v in value]
    if isinstance(dtype, T.MapType):
        return {str(to_json_safe(k, dtype.keyType)): to_json_safe(v, dtype.valueType) for k, v in value.items()}
    if isinstance(dtype, T.StructType):
        return {f.name: to_json_safe(value[i], f.dataType) for i, f in enumerate(dtype.fields)}
    return generic_json_safe(value)


def generic_json_safe(value):
    """JSON-safe form of a plain Python value (results of /run)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "asDict"):
        return {k: generic_json_safe(v) for k, v in value.asDict(recursive=False).items()}
    if isinstance(value, dict):
        return {str(k): generic_json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [generic_json_safe(v) for v in value]
    return str(value)


def frame_result(df, limit=None):
    fields = df.schema.fields
    rows = df.collect() if limit is None else df.limit(limit).collect()
    return {
        "columns": [f.name for f in fields],
        "types": [f.dataType.simpleString() for f in fields],
        "rows": [[to_json_safe(row[i], f.dataType) for i, f in enumerate(fields)] for row in rows],
    }


# --- order-independent checksum (mirrored by test/util/checksum.ts) ---------------------------


def js_number(x) -> str:
    """ECMAScript Number::toString of x, so both sides hash numbers the same way."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        x = float(x) if abs(x) > 2**53 else x
        if isinstance(x, int):
            return str(x)
    if x == 0:
        return "0"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    sign = "-" if x < 0 else ""
    t = decimal.Decimal(repr(abs(x))).normalize().as_tuple()
    digits = "".join(map(str, t.digits))
    k = len(digits)
    n = k + t.exponent
    if k <= n <= 21:
        s = digits + "0" * (n - k)
    elif 0 < n <= 21:
        s = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        s = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + s


def canon(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canon(v[k]) for k in sorted(v)) + "}"
    raise TypeError(f"cannot checksum {type(v).__name__}")


def row_hash(row: dict) -> int:
    return int.from_bytes(hashlib.sha256(canon(row).encode("utf-8")).digest()[:8], "big")


def checksum_frame(df):
    fields = df.schema.fields
    count = 0
    total = 0
    for row in df.toLocalIterator():
        safe = {f.name: to_json_safe(row[i], f.dataType) for i, f in enumerate(fields)}
        total = (total + row_hash(safe)) & MASK64
        count += 1
    return {"count": count, "checksum": format(total, "016x"), "columns": [f.name for f in fields]}


# --- HTTP ------------------------------------------------------------------------------------


class Peer:
    """Runs every Spark call on the main thread, the one whose SparkSession is active: PySpark
    pins each Python thread to its own JVM thread, where Spark's SQLConf.get would otherwise fall
    back to an empty conf (path-based Iceberg reads then fail to find their catalog)."""

    def __init__(self, spark):
        self.spark = spark
        self.jobs = queue.Queue()

    def submit(self, path, body):
        done = threading.Event()
        box = {}

        def job():
            try:
                box["value"] = self.handle(path, body)
            except BaseException as e:  # noqa: BLE001
                box["error"] = e
            finally:
                done.set()

        self.jobs.put(job)
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def serve_jobs(self):
        while True:
            self.jobs.get()()

    def relation(self, body):
        if body.get("table"):
            return self.spark.table(body["table"])
        if body.get("metadata"):
            return self.spark.read.format("iceberg").load(body["metadata"])
        if body.get("sql"):
            return self.spark.sql(body["sql"])
        raise ValueError("give one of: table, metadata, sql")

    def handle(self, path, body):
        if path == "/sql":
            return frame_result(self.spark.sql(body["sql"]), body.get("limit"))
        if path == "/load":
            df = self.spark.read.format("iceberg").load(body["metadata"])
            df.createOrReplaceTempView(body["view"])
            return {"view": body["view"], "columns": df.columns, "types": [f.dataType.simpleString() for f in df.schema.fields]}
        if path == "/checksum":
            return checksum_frame(self.relation(body))
        if path == "/run":
            scope = {"spark": self.spark, "args": body.get("args"), "result": None}
            exec(compile(body["code"], "<run>", "exec"), scope)
            return {"result": generic_json_safe(scope.get("result"))}
        raise KeyError(path)


def make_handler(peer, version):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet: the test log is stderr
            pass

        def reply(self, status, obj):
            data = json.dumps(obj).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/health":
                self.reply(200, {"ok": True, "spark": version})
            else:
                self.reply(404, {"error": f"no route GET {self.path}"})

        def do_POST(self):
            try:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
            except Exception as e:  # noqa: BLE001
                self.reply(400, {"error": f"bad JSON body: {e}"})
                return
            try:
                self.reply(200, peer.submit(self.path, body))
            except KeyError as e:
                if e.args and e.args[0] == self.path:
                    self.reply(404, {"error": f"no route POST {self.path}"})
                else:
                    self.fail(e)
            except Exception as e:  # noqa: BLE001
                self.fail(e)

        def fail(self, e):
            java = getattr(e, "java_exception", None)
            message = (str(java) if java is not None else None) or getattr(e, "desc", None) or str(e) or type(e).__name__
            self.reply(400, {"error": message.strip(), "type": type(e).__name__, "trace": traceback.format_exc()[-4000:]})

    return Handler


def exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(65536):
            pass
    finally:
        os._exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--warehouse", required=True)
    ap.add_argument("--memory", default=os.environ.get("ENGINE_SPARK_MEMORY", "1g"))
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--no-stdin-watch", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.warehouse, exist_ok=True)
    if not a.no_stdin_watch:
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    spark = build_session(a.jar, a.warehouse, a.memory)
    spark.sql("SELECT 1").collect()  # warm up the JVM before saying ready
    peer = Peer(spark)
    server = ThreadingHTTPServer(("127.0.0.1", a.port), make_handler(peer, spark.version))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    sys.stdout.write(json.dumps({"url": url, "warehouse": a.warehouse, "spark": spark.version, "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    try:
        peer.serve_jobs()
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
