"""PyIceberg + PyArrow doing what Engine does, for the benchmark (run with the venv of
scripts/peers/python.sh):

    python pyiceberg_case.py load   '{"warehouse": …, "source": ….csv}'
    python pyiceberg_case.py upsert '{"warehouse": …, "source": changes.csv}'

load: read the CSV with explicit types, keep the latest row per order_id (sort + first of each
run; PyArrow has no window functions), create the day-partitioned table in a SQLite catalog and
append. upsert: `Table.upsert(df, join_cols=["order_id"])` with the changes batch. No validation
rules (PyIceberg has none). Writes its figures as JSON to $BENCH_OUT.
"""

import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.partitioning import PartitionField, PartitionSpec
from pyiceberg.schema import Schema
from pyiceberg.transforms import DayTransform
from pyiceberg.types import DecimalType, IntegerType, LongType, NestedField, StringType, TimestamptzType

COLUMNS = [
    ("order_id", LongType(), pa.int64(), True),
    ("customer_id", LongType(), pa.int64(), True),
    ("email", StringType(), pa.string(), False),
    ("status", StringType(), pa.string(), False),
    ("channel", StringType(), pa.string(), False),
    ("country", StringType(), pa.string(), False),
    ("sku", StringType(), pa.string(), False),
    ("quantity", IntegerType(), pa.int32(), False),
    ("amount", DecimalType(12, 2), pa.decimal128(12, 2), False),
    ("discount", DecimalType(10, 2), pa.decimal128(10, 2), False),
    ("order_ts", TimestamptzType(), pa.timestamp("us", tz="UTC"), True),
    ("updated_at", TimestamptzType(), pa.timestamp("us", tz="UTC"), False),
]
ARROW_SCHEMA = pa.schema([pa.field(n, t, nullable=not req) for n, _, t, req in COLUMNS])


def catalog(warehouse):
    os.makedirs(warehouse, exist_ok=True)
    return SqlCatalog("bench", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")


def read_csv(path):
    opts = pacsv.ConvertOptions(column_types={n: t for n, _, t, _ in COLUMNS})
    table = pacsv.read_csv(path, convert_options=opts)
    return table.select([n for n, *_ in COLUMNS]).cast(ARROW_SCHEMA)


def latest_per_key(table):
    """One row per order_id, the one with the latest updated_at."""
    table = table.take(pc.sort_indices(table, sort_keys=[("order_id", "ascending"), ("updated_at", "descending")]))
    ids = table.column("order_id").combine_chunks()
    if len(ids) < 2:
        return table
    first = pa.concat_arrays([pa.array([True]), pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))])
    return table.filter(first)


def files_of(table):
    files = list(table.inspect.files().to_pylist())
    per_day = {}
    for f in files:
        key = json.dumps(f["partition"], default=str, sort_keys=True)
        per_day[key] = per_day.get(key, 0) + 1
    return len(files), (max(per_day.values()) if per_day else 0), len(per_day)


def load(args):
    cat = catalog(args["warehouse"])
    t0 = time.perf_counter()
    raw = read_csv(args["source"])
    t_read = time.perf_counter()
    batch = latest_per_key(raw)
    t_dedupe = time.perf_counter()
    cat.create_namespace_if_not_exists("bench")
    schema = Schema(*[NestedField(i + 1, n, it, required=req) for i, (n, it, _, req) in enumerate(COLUMNS)])
    spec = PartitionSpec(PartitionField(source_id=11, field_id=1000, transform=DayTransform(), name="order_ts_day"))
    table = cat.create_table("bench.orders", schema=schema, partition_spec=spec)
    table.append(batch)
    t_end = time.perf_counter()
    files, max_per_day, days = files_of(cat.load_table("bench.orders"))
    return {
        "ms": (t_end - t0) * 1000, "readMs": (t_read - t0) * 1000, "dedupeMs": (t_dedupe - t_read) * 1000,
        "appendMs": (t_end - t_dedupe) * 1000, "rowsRead": raw.num_rows, "rowsWritten": batch.num_rows,
        "filesWritten": files, "partitionsWritten": days, "maxFilesPerPartition": max_per_day,
    }


def upsert(args):
    cat = catalog(args["warehouse"])
    table = cat.load_table("bench.orders")
    files_before, _, _ = files_of(table)
    t0 = time.perf_counter()
    batch = read_csv(args["source"])
    res = table.upsert(batch, join_cols=["order_id"])
    ms = (time.perf_counter() - t0) * 1000
    files_after, _, _ = files_of(cat.load_table("bench.orders"))
    return {"ms": ms, "rowsUpdated": res.rows_updated, "rowsInserted": res.rows_inserted, "filesBefore": files_before, "filesAfter": files_after}


def main():
    case, raw = sys.argv[1], sys.argv[2]
    args = json.loads(raw)
    report = {"case": f"pyiceberg-{case}", **{"load": load, "upsert": upsert}[case](args)}
    import pyiceberg
    report["versions"] = {"pyiceberg": pyiceberg.__version__, "pyarrow": pa.__version__}
    with open(os.environ["BENCH_OUT"], "w") as f:
        json.dump(report, f, indent=2, default=str)


if __name__ == "__main__":
    main()
