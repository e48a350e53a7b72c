// The Athena load of a scheduled table as the statements its AthenaOperator tasks run, one
// statement per task (Athena's StartQueryExecution runs one query): create an external staging
// table over the source files already in S3, write the Iceberg table (DELETE + INSERT, INSERT or
// MERGE, compiled by engine-core's AthenaLoadCompiler), drop the staging table. The text is
// rendered by Airflow (AthenaOperator.template_ext), so run-dependent parts are Jinja.

import type { IcebergType } from "@engine/iceberg";
import { partitionFieldsFromSpec, planLoad, schemaFromSpec, type SourceRead, type TableSpec } from "@engine/core";
import { AthenaLoadCompiler, createStagingTableSql, dropStagingTableSql } from "@engine/core/aws";
import { GenError } from "../errors.js";

/** The statements of one Athena load, in the order the DAG runs them. */
export interface AthenaLoadStatements {
  /** CREATE EXTERNAL TABLE of the run's staging table over the source folder. */
  readonly stage: string;
  /** overwrite / replace-partitions: the DELETE that runs before the insert. */
  readonly delete?: string;
  /** The INSERT or MERGE into the Iceberg table. */
  readonly load: string;
  /** DROP TABLE of the staging table (metadata only; the source files stay). */
  readonly drop: string;
}

/** Options of `athenaLoadStatements`. */
export interface AthenaLoadSqlOptions {
  /** Database of the staging table; default the table's database. */
  readonly stagingDatabase?: string;
}

/** Whether a write mode deletes before it inserts (its DAG has a `delete` task). */
export function athenaWriteDeletes(spec: TableSpec): boolean {
  return spec.write.mode === "overwrite" || spec.write.mode === "replace-partitions";
}

const RUN = "__ENGINE_RUN_SUFFIX__";
const DATE = "__ENGINE_LOGICAL_DATE__";

/** Replaces the sentinels by Jinja and protects any other Jinja-like text with {% raw %}. */
function jinja(sql: string): string {
  const parts = sql.split(new RegExp(`(${RUN}|${DATE})`));
  return parts.map((p) => (p === RUN ? "{{ ts_nodash | lower }}" : p === DATE ? "{{ ds }}" : /\{[{%#]/.test(p) ? `{% raw %}${p}{% endraw %}` : p)).join("");
}

function hiveType(t: IcebergType): string {
  switch (t.kind) {
    case "decimal": return `decimal(${t.precision},${t.scale})`;
    case "fixed": return "binary";
    case "list": return `array<${hiveType(t.element)}>`;
    case "map": return `map<${hiveType(t.key)},${hiveType(t.value)}>`;
    case "struct": return `struct<${t.fields.map((f) => `${f.name}:${hiveType(f.type)}`).join(",")}>`;
    case "primitive":
      switch (t.name) {
        case "boolean": return "boolean";
        case "int": return "int";
        case "long": return "bigint";
        case "float": return "float";
        case "double": return "double";
        case "date": return "date";
        case "binary": return "binary";
        case "string": case "uuid": return "string";
        default: return t.name.startsWith("timestamp") ? "timestamp" : "string";
      }
  }
  return "string";
}

/** The source folder the staging table reads: the path up to its last `/` when it names files or a glob. */
function sourceLocation(spec: TableSpec, fail: (what: string) => never): string {
  const p = spec.source.path;
  if (!p || !p.startsWith("s3://")) fail(`source.path ${p ?? "(none)"}: the athena engine reads sources already in S3 (s3://…)`);
  const other = [...p!.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((n) => n !== "date");
  if (other.length > 0) fail(`source.path placeholder {${other[0]}} (only {date}, the run's logical date, is filled on athena)`);
  const withDate = p!.replaceAll("{date}", DATE);
  const last = withDate.slice(withDate.lastIndexOf("/") + 1);
  const folder = withDate.endsWith("/") ? withDate : /[*?[.]/.test(last) ? withDate.slice(0, withDate.lastIndexOf("/") + 1) : `${withDate}/`;
  if (/[*?[]/.test(folder)) fail(`source.path ${p}: a glob above the file name cannot be an Athena table LOCATION`);
  return folder;
}

/**
 * The Athena statements that load `spec` in a scheduled run, compiled from the same load plan as
 * the local engine. The staging table is `<db>.engine_stg_<table>_<ts_nodash>` of the run.
 */
export function athenaLoadStatements(spec: TableSpec, options: AthenaLoadSqlOptions = {}): AthenaLoadStatements {
  const fail = (what: string): never => {
    throw new GenError("GEN_ATHENA_UNSUPPORTED", `gen: spec ${spec.table}: ${what} is not supported by the athena engine`, { context: { table: spec.table } });
  };
  if (spec.namespace.length !== 1) fail("a namespace of more than one level (Glue databases have one)");
  const format = spec.source.format;
  if (format !== "csv" && format !== "json" && format !== "parquet") return fail(`source.format ${format}`);
  if (spec.source.onError?.action === "quarantine") fail("source.onError: quarantine");
  const database = spec.namespace[0]!;
  const stagingDb = options.stagingDatabase ?? database;
  const stagingName = `engine_stg_${spec.name.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_${RUN}`;
  const location = sourceLocation(spec, fail);

  const schema = schemaFromSpec(spec);
  const partitionFields = partitionFieldsFromSpec(spec, schema);
  // The source's columns are only known at run time: stage the ones the spec reads.
  const typeOf = new Map<string, IcebergType>();
  for (const c of spec.columns) {
    const from = c.from ?? c.name;
    const field = schema.fields.find((f) => f.name === c.name);
    if (field && !typeOf.has(from)) typeOf.set(from, field.type);
  }
  const sourceColumns = [...new Set([
    ...spec.columns.map((c) => c.from ?? c.name).filter((c) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(c)),
    ...(spec.write.deleteMarker ? [spec.write.deleteMarker.column] : []),
  ])];
  const relation = `"${stagingDb}"."${stagingName}"`;
  const source = { format, files: [], sql: relation, columns: sourceColumns, dialect: { delimiter: ",", quote: '"' } } as unknown as SourceRead;
  const plan = planLoad(spec, { source, inputColumns: sourceColumns, schema, partitionFields, dataPath: "", filePrefix: "" });
  const compiled = new AthenaLoadCompiler({
    table: [database, spec.name], ...(spec.key ? { key: spec.key } : {}),
    ...(spec.dedupe ? { keep: spec.dedupe.keep, ...(spec.dedupe.orderBy ? { orderBy: spec.dedupe.orderBy } : {}) } : {}),
    ...(spec.write.filter ? { filter: spec.write.filter } : {}), ...(spec.write.deleteMarker ? { deleteMarker: spec.write.deleteMarker } : {}),
  }).compile(plan);
  const statements = [...compiled.statements];
  const deletes = athenaWriteDeletes(spec);
  if (statements.length !== (deletes ? 2 : 1)) fail(`write.mode ${spec.write.mode} compiled to ${statements.length} statements`);

  const csv = spec.source.options as { header?: boolean; delimiter?: string; delim?: string; sep?: string; quote?: string; escape?: string };
  const delimiter = csv.delimiter ?? csv.delim ?? csv.sep;
  const stage = createStagingTableSql({
    database: stagingDb, name: stagingName, location, format,
    columns: sourceColumns.map((name) => ({ name, type: format === "parquet" ? hiveType(typeOf.get(name) ?? { kind: "primitive", name: "string" } as IcebergType) : "string" })),
    ...(format === "csv" ? { csv: { ...(csv.header === false ? { header: false } : {}), ...(delimiter ? { delimiter } : {}), ...(csv.quote ? { quote: csv.quote } : {}), ...(csv.escape ? { escape: csv.escape } : {}) } } : {}),
  });
  return {
    stage: `${jinja(stage)}\n`,
    ...(deletes ? { delete: `${jinja(statements[0]!)}\n` } : {}),
    load: `${jinja(statements[statements.length - 1]!)}\n`,
    drop: `${jinja(dropStagingTableSql(stagingDb, stagingName))}\n`,
  };
}
