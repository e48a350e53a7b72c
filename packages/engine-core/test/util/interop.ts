// Helpers of the Spark/PyIceberg interop proofs: inputs written by plain DuckDB, the checksum of
// test/util/checksum.ts computed by PyIceberg/PyArrow (the same canonical rows as Spark's
// `/checksum`, hashed by spark_server.py's own `row_hash`), and our query results put in the
// JSON-safe form Spark reports.
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { IcebergType, Schema } from "@engine/iceberg";
import { REPO_ROOT } from "../../../../test/util/peers.js";

/** Runs statements in a fresh in-memory DuckDB (not Engine's) and returns the last one's rows. */
export async function plainDuckDb(...sql: string[]): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const s of sql) rows = (await c.runAndReadAll(s)).getRowObjectsJson() as Record<string, unknown>[];
    return rows;
  } finally {
    c.closeSync();
  }
}

/**
 * Python (PyIceberg venv): `safe_rows(arrow_table)` gives the rows in Spark's JSON-safe form
 * (long/decimal as strings, dates ISO, timestamps ISO with microseconds and Z when zoned, binary
 * base64, uuid as text, time ISO with microseconds) and `checksum(arrow_table)` the count and the
 * checksum Spark's `/checksum` computes (spark_server.row_hash is imported, not copied).
 */
export const PY_SAFE_CHECKSUM = `
import base64, datetime, decimal, sys, uuid
import pyarrow as pa
sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, "test", "peers"))})
from spark_server import row_hash, MASK64, generic_json_safe
def _safe(v, t):
    if v is None: return None
    if pa.types.is_int64(t): return str(v)
    if pa.types.is_decimal(t): return format(v, "f")
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            return v.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
        return v.isoformat(timespec="microseconds")
    if pa.types.is_date(t): return v.isoformat()
    if pa.types.is_time(t): return v.isoformat(timespec="microseconds")
    if isinstance(v, uuid.UUID): return str(v)
    if isinstance(t, pa.ExtensionType) and "uuid" in str(t): return str(uuid.UUID(bytes=bytes(v))) if isinstance(v, (bytes, bytearray)) else str(v)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t): return base64.b64encode(bytes(v)).decode("ascii")
    if pa.types.is_list(t) or pa.types.is_large_list(t): return [_safe(x, t.value_type) for x in v]
    if pa.types.is_map(t): return {str(_safe(k, t.key_type)): _safe(x, t.item_type) for k, x in v}
    if pa.types.is_struct(t): return {t.field(i).name: _safe(v[t.field(i).name], t.field(i).type) for i in range(t.num_fields)}
    return generic_json_safe(v)
def safe_rows(tbl):
    cols = [(f.name, f.type, tbl.column(f.name).to_pylist()) for f in tbl.schema]
    return [{n: _safe(c[i], t) for n, t, c in cols} for i in range(tbl.num_rows)]
def checksum(tbl):
    total = 0
    rows = safe_rows(tbl)
    for r in rows: total = (total + row_hash(r)) & MASK64
    return {"count": len(rows), "checksum": format(total, "016x")}
`;

/** Spark's JSON-safe rendering of one column as DuckDB SQL (see `sparkSafeJsonSql`). */
function sparkSafe(e: string, t: IcebergType): string {
  switch (t.kind) {
    case "decimal": return `CAST(${e} AS VARCHAR)`;
    case "fixed": return `to_base64(${e})`;
    case "list": return `list_transform(${e}, x -> ${sparkSafe("x", t.element)})`;
    case "struct": return `CASE WHEN ${e} IS NULL THEN NULL ELSE struct_pack(${t.fields.map((f) => `"${f.name}" := ${sparkSafe(`${e}."${f.name}"`, f.type)}`).join(", ")}) END`;
    case "map": return `map_from_entries(list_transform(map_entries(${e}), x -> struct_pack(k := CAST(x.key AS VARCHAR), v := ${sparkSafe("x.value", t.value)})))`;
    case "primitive":
      switch (t.name) {
        case "long": return `CAST(${e} AS VARCHAR)`;
        case "date": return `CAST(${e} AS VARCHAR)`;
        case "timestamp": return `strftime(${e}, '%Y-%m-%dT%H:%M:%S.%f')`;
        case "timestamptz": return `strftime(${e} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%f') || 'Z'`;
        case "binary": return `to_base64(${e})`;
        case "uuid": return `CAST(${e} AS VARCHAR)`;
        case "time": return `strftime(TIMESTAMP '2000-01-01' + ${e}, '%H:%M:%S.%f')`;
        case "float": return `CAST(${e} AS DOUBLE)`;
        default: return e;
      }
  }
  return e;
}

/** SQL giving one JSON text per row (`j`) of `relation` in Spark's JSON-safe form; parse and checksum it. */
export function sparkSafeJsonSql(relation: string, schema: Schema, where = ""): string {
  return `SELECT CAST(to_json(struct_pack(${schema.fields.map((f) => `"${f.name}" := ${sparkSafe(`"${f.name}"`, f.type)}`).join(", ")})) AS VARCHAR) AS j FROM ${relation}${where ? ` WHERE ${where}` : ""}`;
}

/** Parses the `j` column of `sparkSafeJsonSql`'s rows. */
export function parseJsonRows(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => JSON.parse(String(r.j)) as Record<string, unknown>);
}
