// The step between DuckDB's COPY and the DataFiles: each written file is brought to the Parquet
// mapping Iceberg's Java writer uses where DuckDB's differs in a way readers notice, and its
// RETURN_STATS row is updated to what the file now is.

import { allFields, type IcebergType, type NestedField } from "@engine/iceberg";
import { readFooter, writeFooter, schemaLeaves, compressedColumnSizes } from "../internal/parquet/footer.js";
import { conformFooter } from "../internal/parquet/iceberg-footer.js";
import { transcodeFixed } from "../internal/parquet/fixed-transcode.js";
import { leafColumns, type CopyStatsRow } from "./data-files.js";

/**
 * Makes the Parquet files of `rows` (DuckDB's `COPY … RETURN_STATS` output, local paths) what
 * Iceberg expects, before they are uploaded or named in a commit, and returns the rows updated:
 *
 * - `int` columns (nested ones too) become bare INT32: DuckDB annotates them INT(32), which
 *   Iceberg Java 1.10's vectorized reader fails on after an int→long promotion (see
 *   `conformFooter`). Only the footer is rewritten; `file_size_bytes` follows.
 * - When the schema has a fixed[L] column, each file is transcoded so fixed columns are
 *   FIXED_LEN_BYTE_ARRAY(L) (see `transcodeFixed`); column sizes then come from the new file
 *   and fixed bounds (outside lists and maps) are the exact values, as hex.
 *
 * ```ts
 * const stats = await conformParquetFiles(copyRows, schema.fields);
 * const files = dataFilesFromStats(stats, { fields: schema.fields, partition: [], specId: 0 });
 * ```
 */
export async function conformParquetFiles(rows: readonly CopyStatsRow[], fields: readonly NestedField[]): Promise<CopyStatsRow[]> {
  // Every type by field id, nested fields, list elements and map keys/values included.
  const types = new Map<number, IcebergType>([...allFields({ schemaId: 0, fields })].map(([id, f]) => [id, f.type]));
  const fixed = [...types.values()].some((t) => t.kind === "fixed");
  const leaves = [...leafColumns(fields)];
  const keyById = new Map(leaves.map(([key, leaf]) => [leaf.id, key]));
  const fixedIdByKey = new Map(leaves.filter(([, leaf]) => leaf.type.kind === "fixed").map(([key, leaf]) => [key, leaf.id]));
  const out: CopyStatsRow[] = [];
  for (const row of rows) {
    const bounds = fixed ? await transcodeFixed(row.filename, types) : undefined;
    const footer = await readFooter(row.filename);
    const changed = conformFooter(footer.metadata, types);
    if (!changed && !bounds) {
      out.push(row);
      continue;
    }
    const size = changed ? await writeFooter(row.filename, footer, footer.metadata) : footer.start + footer.length + 8;
    if (!bounds) {
      out.push({ ...row, file_size_bytes: String(size) });
      continue;
    }
    // The transcoded file: column sizes from its footer, fixed bounds from its values.
    const sizes = new Map<string, bigint>();
    const compressed = compressedColumnSizes(footer.metadata);
    schemaLeaves(footer.metadata).forEach((leaf, i) => {
      const key = leaf.fieldId === undefined ? undefined : keyById.get(leaf.fieldId);
      if (key !== undefined) sizes.set(key, compressed[i] ?? 0n);
    });
    const stats = (row.column_statistics ?? []).map((col) => {
      const stat = new Map(col.value.map((e) => [e.key, e.value]));
      const size = sizes.get(col.key);
      if (size !== undefined) stat.set("column_size_bytes", String(size));
      const id = fixedIdByKey.get(col.key);
      if (id !== undefined) {
        const b = bounds.get(id);
        stat.set("min", b ? hex(b.lower) : null);
        stat.set("max", b ? hex(b.upper) : null);
      }
      return { key: col.key, value: [...stat].map(([key, value]) => ({ key, value })) };
    });
    out.push({ ...row, file_size_bytes: String(size), column_statistics: stats });
  }
  return out;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
