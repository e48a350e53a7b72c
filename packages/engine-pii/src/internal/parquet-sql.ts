// DuckDB SQL over Iceberg Parquet files by field id. engine-core has the same helpers
// (`schemaMap`, `fieldIdsValue`, `scanTasksSql`) but does not export them from its barrel yet;
// these few lines are the subset erasure needs (one data file at a time, deletes applied).

import { duckDbType } from "@engine/core";
import type { DataFile, FileScanTask, IcebergType, NestedField } from "@engine/iceberg";
import { FileContent } from "@engine/iceberg";
import { quoteIdentifier, quoteString } from "./sql.js";

/** Iceberg's reserved field ids of position-delete files (spec: "Position Delete Files"). */
export const POS_FILE_PATH_ID = 2147483546;
export const POS_POS_ID = 2147483545;

export const FILE_COLUMN = "__engine_pii_file";
export const ROW_COLUMN = "__engine_pii_pos";

/** `read_parquet(..., schema = MAP {...})` argument for top-level fields. */
export function schemaMap(fields: readonly NestedField[]): string {
  return `MAP {${fields.map((f) => `${f.id}: {name: ${quoteString(f.name)}, type: ${quoteString(duckDbType(f.type))}, default_value: NULL}`).join(", ")}}`;
}

/** DuckDB's `FIELD_IDS` value for one column. */
export function fieldIdsValue(field: NestedField): string {
  return `${quoteString(field.name)}: ${nestedIds(field.id, field.type)}`;
}

function nestedIds(id: number, type: IcebergType): string {
  switch (type.kind) {
    case "list": return `{__duckdb_field_id: ${id}, element: ${nestedIds(type.elementId, type.element)}}`;
    case "map": return `{__duckdb_field_id: ${id}, key: ${nestedIds(type.keyId, type.key)}, value: ${nestedIds(type.valueId, type.value)}}`;
    case "struct": return `{__duckdb_field_id: ${id}, ${type.fields.map(fieldIdsValue).join(", ")}}`;
    default: return String(id);
  }
}

export function stringList(values: readonly string[]): string {
  return `[${values.map(quoteString).join(", ")}]`;
}

/**
 * A SELECT of the live rows of one data file: columns read by field id, minus its position
 * deletes (by the file's path as recorded and the row number) and its equality deletes.
 * `local` maps a table location to the path DuckDB reads.
 */
export function liveRowsSql(task: FileScanTask, fields: readonly NestedField[], local: (location: string) => string): string {
  const cols = fields.map((f) => `d.${quoteIdentifier(f.name)}`).join(", ");
  const read = `SELECT *, filename AS ${quoteIdentifier(FILE_COLUMN)} FROM read_parquet(${stringList([local(task.file.filePath)])}, schema = ${schemaMap(fields)}, filename = true, file_row_number = true)`;
  const where: string[] = [];
  const pos = task.deletes.filter((d) => d.file.content === FileContent.PositionDeletes).map((d) => local(d.file.filePath));
  if (pos.length > 0) {
    const posRead = `read_parquet(${stringList(pos)}, schema = MAP {${POS_FILE_PATH_ID}: {name: 'file_path', type: 'VARCHAR', default_value: NULL}, ${POS_POS_ID}: {name: 'pos', type: 'BIGINT', default_value: NULL}})`;
    where.push(`NOT EXISTS (SELECT 1 FROM ${posRead} AS p WHERE p.file_path = ${quoteString(task.file.filePath)} AND p.pos = d.file_row_number)`);
  }
  for (const del of task.deletes.filter((d) => d.file.content === FileContent.EqualityDeletes)) {
    const eq = (del.file.equalityIds ?? []).map((id) => fields.find((f) => f.id === id)).filter((f): f is NestedField => f !== undefined);
    if (eq.length === 0) continue;
    const cond = eq.map((f) => `e.${quoteIdentifier(f.name)} IS NOT DISTINCT FROM d.${quoteIdentifier(f.name)}`).join(" AND ");
    where.push(`NOT EXISTS (SELECT 1 FROM read_parquet(${stringList([local(del.file.filePath)])}, schema = ${schemaMap(eq)}) AS e WHERE ${cond})`);
  }
  return `SELECT ${cols} FROM (${read}) AS d${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}`;
}

/** The COPY that writes `query` to one Parquet file with field ids and returns its statistics. */
export function copyWithStatsSql(query: string, fields: readonly NestedField[], path: string): string {
  return `COPY (${query}) TO ${quoteString(path)} (FORMAT parquet, COMPRESSION zstd, FIELD_IDS {${fields.map(fieldIdsValue).join(", ")}}, RETURN_STATS)`;
}

/** A data file's partition and spec kept on a rewritten copy of it. */
export function keepPartition(rewritten: DataFile, original: DataFile): DataFile {
  return { ...rewritten, partition: original.partition, specId: original.specId };
}
