import type { Transform } from "@engine/iceberg";
import type { IcebergType } from "@engine/iceberg";

/**
 * DuckDB expressions for Iceberg partition transforms. Values are chosen so Hive folder names
 * read well: `day` gives a DATE (`order_ts_day=2024-01-05`), `month` `YYYY-MM`, `year` `YYYY`,
 * `hour` `YYYY-MM-DD-HH` (Iceberg's human strings); `partitionValueFromKey` turns them back
 * into the Iceberg ints (days/months/years/hours since 1970, floor semantics for negatives).
 */
export function partitionExpression(transform: Transform, column: string, sourceType: IcebergType): string {
  const ts = sourceType.kind === "primitive" && (sourceType.name === "timestamptz" || sourceType.name === "timestamptz_ns")
    ? `(${column} AT TIME ZONE 'UTC')`
    : column;
  switch (transform.kind) {
    case "identity": return isBinaryData(sourceType) ? `hex(${column})` : column;
    case "year": return `lpad(CAST(year(${ts}) AS VARCHAR), 4, '0')`;
    case "month": return `strftime(${ts}, '%Y-%m')`;
    case "day": return `CAST(${ts} AS DATE)`;
    case "hour": return `strftime(${ts}, '%Y-%m-%d-%H')`;
    case "truncate": {
      const w = transform.width;
      if (sourceType.kind === "primitive" && (sourceType.name === "int" || sourceType.name === "long")) {
        // Spec: truncate(W, v) = v - (((v % W) + W) % W), i.e. floor to a multiple of W.
        return `(${column} - (((${column} % ${w}) + ${w}) % ${w}))`;
      }
      if (sourceType.kind === "primitive" && sourceType.name === "string") return `left(${column}, ${w})`;
      if (sourceType.kind === "decimal") {
        const s = sourceType.scale;
        const unscaled = `CAST(${column} * ${10n ** BigInt(s)} AS HUGEINT)`;
        return `CAST((${unscaled} - (((${unscaled} % ${w}) + ${w}) % ${w})) / ${10n ** BigInt(s)} AS DECIMAL(${sourceType.precision},${s}))`;
      }
      throw new Error(`load: truncate on ${JSON.stringify(sourceType)} is not supported by the DuckDB compiler yet`);
    }
    case "void": return "NULL";
    case "bucket":
      throw new Error("load: bucket partitions are not supported by the DuckDB compiler yet");
  }
  throw new Error(`load: unknown transform ${JSON.stringify(transform)}`);
}

/** binary and fixed[L]: bytes that need not be valid UTF-8. */
function isBinaryData(type: IcebergType): boolean {
  return type.kind === "fixed" || (type.kind === "primitive" && type.name === "binary");
}

/**
 * An identity partition on binary data is keyed by the hex of the value, in a derived column:
 * DuckDB names Hive folders after the value's text and cannot for bytes that are not UTF-8.
 */
export function keyedByHex(field: { readonly transform: Transform; readonly sourceType: IcebergType }): boolean {
  return field.transform.kind === "identity" && isBinaryData(field.sourceType);
}

/**
 * The column of the write's query whose value names a partition field's Hive folder: the source
 * column for identity fields, else the derived value (named after the field, `<name>_hex` for an
 * identity field keyed by hex).
 */
export function hiveKeyColumn(field: { readonly name: string; readonly sourceColumn: string; readonly transform: Transform; readonly sourceType: IcebergType }): string {
  if (keyedByHex(field)) return `${field.name}_hex`;
  return field.transform.kind === "identity" ? field.sourceColumn : field.name;
}
