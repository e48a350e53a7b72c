// DuckDB SQL over Iceberg Parquet files by field id that erasure and retention add to what
// engine-core exports (`schemaMap`, `fieldIdsValue`, `scanTasksSql`).

import { fieldIdsValue } from "@engine/core";
import type { DataFile, NestedField } from "@engine/iceberg";
import { quoteString } from "./sql.js";

/** Iceberg's reserved field id of `file_path` in position-delete files (spec: "Position Delete Files"). */
export const POS_FILE_PATH_ID = 2147483546;

export function stringList(values: readonly string[]): string {
  return `[${values.map(quoteString).join(", ")}]`;
}

/** The COPY that writes `query` to one Parquet file with field ids and returns its statistics. */
export function copyWithStatsSql(query: string, fields: readonly NestedField[], path: string): string {
  return `COPY (${query}) TO ${quoteString(path)} (FORMAT parquet, COMPRESSION zstd, FIELD_IDS {${fields.map(fieldIdsValue).join(", ")}}, RETURN_STATS)`;
}

/** A data file's partition and spec kept on a rewritten copy of it. */
export function keepPartition(rewritten: DataFile, original: DataFile): DataFile {
  return { ...rewritten, partition: original.partition, specId: original.specId };
}
