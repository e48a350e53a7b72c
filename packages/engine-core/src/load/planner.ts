import type { IcebergType, NestedField, PartitionField, Schema } from "@engine/iceberg";
import { transformResultType } from "@engine/iceberg";
import { SpecError } from "../errors.js";
import type { TableSpec } from "../spec/table-spec.js";
import type { SourceRead } from "../source/read-sql.js";
import { LoadError } from "./errors.js";
import { hiveKeyColumn, keyedByHex } from "./partition-sql.js";
import { freezeNode, type CastColumn, type LoadPlan, type PartitionFieldPlan } from "./plan.js";

/** Inputs of `planLoad` beyond the spec. */
export interface PlanInputs {
  readonly source: SourceRead;
  /** Columns visible to the cast step: the transform's output, or the source's columns. */
  readonly inputColumns: readonly string[];
  /** The table's schema (existing table) or the schema the spec gives a new table. */
  readonly schema: Schema;
  readonly partitionFields: readonly PartitionField[];
  readonly dataPath: string;
  readonly filePrefix: string;
}

const DEFAULT_TARGET_FILE_SIZE = 256 * 1024 * 1024;

/** Builds the immutable load plan of a spec. Spec columns map to the schema by name; the schema's field ids win. */
export function planLoad(spec: TableSpec, inputs: PlanInputs): LoadPlan {
  const inputByLower = new Map(inputs.inputColumns.map((c) => [c.toLowerCase(), c]));
  for (const c of spec.columns) {
    if (!inputs.schema.fields.some((f) => f.name === c.name)) {
      throw new LoadError(`load: column ${c.name} is in the spec but not in table ${spec.table} (set schemaEvolution: evolve to add it)`, { code: "SCHEMA_MISMATCH", context: { column: c.name } });
    }
  }
  const columns: CastColumn[] = inputs.schema.fields.map((field) => {
    const col = spec.columns.find((c) => c.name === field.name);
    const wanted = col?.from ?? field.name;
    const actual = inputByLower.get(wanted.toLowerCase());
    const isExpression = col?.from !== undefined && actual === undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(col.from);
    const from = actual ?? (isExpression ? col!.from : undefined);
    if (from === undefined && field.required) {
      throw new LoadError(`load: required column ${field.name} is missing from the source (found: ${inputs.inputColumns.join(", ")})`, { code: "MISSING_COLUMN", context: { column: field.name } });
    }
    return { name: field.name, fieldId: field.id, type: field.type, required: field.required, isExpression, ...(from !== undefined ? { from } : {}) };
  });
  const names = columns.map((c) => c.name);
  const checkColumn = (name: string, where: string): string => {
    if (!names.includes(name)) throw new SpecError(`spec: ${where}: column ${name} is not a column of the table (expected one of ${names.join(", ")})`);
    return name;
  };
  let deleteMarker: { from: string; value: string } | undefined;
  if (spec.write.deleteMarker) {
    const from = inputByLower.get(spec.write.deleteMarker.column.toLowerCase());
    if (from === undefined) {
      throw new LoadError(`load: write.deleteMarker: column ${spec.write.deleteMarker.column} is not in the source (found: ${inputs.inputColumns.join(", ")})`, { code: "MISSING_COLUMN", context: { column: spec.write.deleteMarker.column } });
    }
    deleteMarker = { from, value: String(spec.write.deleteMarker.value) };
  }
  if (spec.write.filter) for (const key of Object.keys(spec.write.filter)) checkColumn(/^\s*(?:year|month|day)\s*\(\s*(\w+)\s*\)\s*$/.exec(key)?.[1] ?? key, `write.filter.${key}`);
  const partition: PartitionFieldPlan[] = inputs.partitionFields.map((pf) => {
    const source = inputs.schema.fields.find((f) => f.id === pf.sourceId);
    if (!source) throw new LoadError(`load: partition field ${pf.name} refers to missing field id ${pf.sourceId}`);
    if (pf.transform.kind !== "identity" && names.includes(pf.name)) {
      throw new SpecError(`spec: partition: the partition field name ${pf.name} is also a column name`);
    }
    const field: PartitionFieldPlan = {
      name: pf.name, fieldId: pf.fieldId, sourceColumn: source.name, sourceId: source.id, sourceType: source.type,
      transform: pf.transform, resultType: transformResultType(pf.transform, source.type) as IcebergType,
    };
    if (field.transform.kind === "identity" && source.type.kind === "fixed") {
      // Spec: a fixed partition value is Avro `fixed` in the manifest. Iceberg Java (1.10 and
      // earlier) writes and reads it with a length prefix instead (apache/iceberg#17501), so
      // it cannot read a spec-conformant manifest of such a table.
      throw new LoadError(
        `load: partition ${pf.name}: identity partitions on fixed[L] columns are not supported (Iceberg Java misreads spec-conformant manifests of them, apache/iceberg#17501); use bucket(N, ${source.name}), or a binary column`,
        { code: "NOT_SUPPORTED", context: { partition: pf.name, column: source.name } },
      );
    }
    if (keyedByHex(field) && names.includes(hiveKeyColumn(field))) {
      throw new SpecError(`spec: partition: ${pf.name} is keyed by the hex of its bytes in a column named ${hiveKeyColumn(field)}, which is also a column name`);
    }
    return field;
  });
  const plan: LoadPlan = {
    kind: "load",
    table: spec.table,
    stage: { kind: "stage", format: inputs.source.format, relation: inputs.source.sql, columns: inputs.source.columns },
    ...(spec.transform ? { transform: { kind: "transform" as const, sql: spec.transform.sql } } : {}),
    cast: { kind: "cast", columns, ...(deleteMarker ? { deleteMarker } : {}) },
    ...(spec.dedupe
      ? {
        dedupe: {
          kind: "dedupe" as const,
          keep: spec.dedupe.keep,
          key: (spec.key ?? []).map((k, i) => checkColumn(k, `key[${i}]`)),
          orderBy: (spec.dedupe.orderBy ?? []).map((k, i) => checkColumn(k, `dedupe.orderBy[${i}]`)),
          allColumns: names,
          against: spec.dedupe.against === "table",
        },
      }
      : {}),
    ...(partition.length > 0 ? { partition: { kind: "partition" as const, fields: partition } } : {}),
    write: {
      kind: "write",
      mode: spec.write.mode,
      dataPath: inputs.dataPath,
      filePrefix: inputs.filePrefix,
      fields: inputs.schema.fields as NestedField[],
      targetFileSizeBytes: spec.write.targetFileSizeBytes ?? DEFAULT_TARGET_FILE_SIZE,
      rowGroupSize: typeof spec.write.options["rowGroupSize"] === "number" ? spec.write.options["rowGroupSize"] : 122_880,
      key: (spec.key ?? []).map((k, i) => checkColumn(k, `key[${i}]`)),
      mergeOrderBy: spec.write.mode === "merge" && spec.dedupe?.keep === "latest" ? (spec.dedupe.orderBy ?? []).map((k, i) => checkColumn(k, `dedupe.orderBy[${i}]`)) : [],
      ...(spec.write.filter ? { filter: spec.write.filter } : {}),
    },
  };
  if (plan.dedupe && (plan.dedupe.keep !== "exact" || plan.dedupe.against) && plan.dedupe.key.length === 0) {
    throw new SpecError(`spec: dedupe: keep ${plan.dedupe.keep}${plan.dedupe.against ? " against table" : ""} needs a key`);
  }
  if (plan.write.mode === "merge" && plan.write.key.length === 0) throw new SpecError("spec: write.mode: merge needs a key");
  return freezeNode(plan);
}
