import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Catalog, PartitionField, Schema } from "@engine/iceberg";
import { DuckDbSession } from "../../duckdb/session.js";
import { EngineError, ValidationFailedError } from "../../errors.js";
import { quoteIdent } from "../../internal/sql.js";
import { LoadError } from "../../load/errors.js";
import { planLoad } from "../../load/planner.js";
import { partitionFieldsFromSpec, schemaFromSpec } from "../../load/schema.js";
import { stageMemoryData } from "../../source/memory.js";
import { openSource, type SourceRead } from "../../source/read-sql.js";
import type { TableSpec } from "../../spec/table-spec.js";
import { s3PropertiesOf, type AwsClients } from "../clients.js";
import { deleteUrls, uploadFile } from "../toolkit/s3.js";
import { AthenaLoadCompiler } from "./athena-compiler.js";
import { athenaChecks, createStagingTableSql, dropStagingTableSql } from "./load-sql.js";
import { runAthenaQuery, type AthenaQueryResult } from "./run-query.js";
import { hiveTypeOfDuckDb } from "./trino-types.js";

/** Options of `runAthenaLoad`. */
export interface AthenaLoadOptions extends AwsClients {
  /** `s3://…` folder for staged source files; each load uses its own subfolder and removes it. */
  readonly stagingLocation: string;
  /** Database of the temporary staging table; default the target table's database. */
  readonly stagingDatabase?: string;
  /** Where new tables go (GlueCatalog warehouse) when `catalog` is not given. */
  readonly warehouse?: string;
  /** The Iceberg catalog Athena sees (a GlueCatalog); default one built from `aws` and `warehouse`. */
  readonly catalog?: Catalog;
  readonly workgroup?: string;
  /** Athena results folder, unless the workgroup sets one. */
  readonly outputLocation?: string;
  /** DuckDB session used to read source headers and schemas; default a new one (closed after). */
  readonly session?: DuckDbSession;
  readonly source?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** In-memory rows (array of objects or Arrow table) instead of files; staged as JSON lines. */
  readonly data?: unknown;
  readonly signal?: AbortSignal;
  /** Per query. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/** What an Athena load did. */
export interface AthenaLoadResult {
  readonly table: string;
  readonly loadId: string;
  readonly stagingTable: string;
  readonly stagedFiles: number;
  /** Every Athena statement run, in order, with its query id. */
  readonly queries: readonly { readonly sql: string; readonly queryId: string; readonly updateCount?: number }[];
  /** Rows written by the INSERT or MERGE, when Athena reports it. */
  readonly rowsWritten: number | undefined;
  readonly checks: readonly { readonly path: string; readonly label: string; readonly passed: boolean; readonly severity: string; readonly detail: string }[];
  readonly durationMs: number;
}

const safeName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9_]/g, "_");

/**
 * Runs one load on Athena: uploads the source files to a staging prefix, creates a temporary
 * external table over them, checks the batch (required columns, notNull, unique, rowCount),
 * writes the Iceberg table with INSERT / MERGE / DELETE + INSERT in Trino SQL, and always drops
 * the staging table and deletes the staged objects, also when something fails.
 *
 * ```ts
 * await runAthenaLoad(spec, { stagingLocation: "s3://lake/_staging", warehouse: "s3://lake/wh", outputLocation: "s3://athena-results/", aws: { region: "eu-west-1" } });
 * ```
 */
export async function runAthenaLoad(spec: TableSpec, options: AthenaLoadOptions): Promise<AthenaLoadResult> {
  const started = performance.now();
  if (spec.namespace.length !== 1) throw new LoadError(`load: athena: table ${spec.table}: expected database.table (Glue has one namespace level)`, { code: "INVALID_NAME" });
  const database = spec.namespace[0]!;
  const session = options.session ?? (await DuckDbSession.create());
  const ownSession = options.session === undefined;
  const memory = options.data !== undefined ? await stageMemoryData(options.data) : undefined;
  const loadId = randomUUID().replaceAll("-", "").slice(0, 12);
  const stagingName = `engine_stg_${safeName(spec.name)}_${loadId}`;
  const stagingDb = options.stagingDatabase ?? database;
  const stagingPrefix = `${options.stagingLocation.replace(/\/+$/, "")}/${stagingName}/`;
  const queries: { sql: string; queryId: string; updateCount?: number }[] = [];
  const staged: string[] = [];
  let tableCreated = false;
  let source: SourceRead | undefined;
  const ctx = {
    ...(options.athena ? { client: options.athena } : {}), ...(options.aws ? { aws: options.aws } : {}),
    ...(options.workgroup ? { workgroup: options.workgroup } : {}), ...(options.outputLocation ? { outputLocation: options.outputLocation } : {}),
    database: stagingDb, ...(options.signal ? { signal: options.signal } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  };
  const run = async (sql: string, fetchRows = false): Promise<AthenaQueryResult> => {
    const r = await runAthenaQuery(sql, { ...ctx, fetchRows });
    queries.push({ sql, queryId: r.queryId, ...(r.updateCount !== undefined ? { updateCount: r.updateCount } : {}) });
    return r;
  };
  const firstRow = (r: AthenaQueryResult): (string | null)[] => {
    const row = r.table.get(0);
    return row ? r.table.schema.fields.map((f) => { const v = row[f.name]; return v === null || v === undefined ? null : String(v); }) : [];
  };
  try {
    const format = memory ? "json" : spec.source.format;
    if (format !== "csv" && format !== "json" && format !== "parquet") {
      throw new LoadError(`load: athena: source format ${format} cannot be staged for Athena (expected csv, json or parquet)`, { code: "NOT_SUPPORTED" });
    }
    source = await openSource(session, memory ? { format: "json", path: memory.file, options: {} } : spec.source, {
      ...(options.source !== undefined && !memory ? { override: options.source } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(spec.file ? { specFile: spec.file } : {}),
    });
    const described = await session.query(`DESCRIBE SELECT * FROM ${source.sql}`);
    const names = (described.columns[0] ?? []).map(String);
    const types = (described.columns[1] ?? []).map(String);
    const columns = source.columns.map((c) => ({ name: c, type: hiveTypeOfDuckDb(types[names.indexOf(c)] ?? "VARCHAR") }));

    // Catalog: the table Athena writes must exist as an Iceberg table first.
    const catalog = options.catalog ?? (await defaultCatalog(options));
    const id = { namespace: [database], name: spec.name };
    const existing = (await catalog.tableExists(id)) ? await catalog.loadTable(id) : undefined;
    const schema: Schema = existing ? existing.schema() : schemaFromSpec(spec);
    const partitionFields: readonly PartitionField[] = existing ? existing.spec().fields : partitionFieldsFromSpec(spec, schema);

    let inputColumns = source.columns;
    if (spec.transform) {
      await session.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent("source")} AS SELECT * FROM ${source.sql}`);
      const d = await session.query(`DESCRIBE SELECT * FROM (${spec.transform.sql.trim().replace(/;\s*$/, "")})`);
      inputColumns = (d.columns[0] ?? []).map(String);
    }
    const staging = `${quoteIdent(stagingDb)}.${quoteIdent(stagingName)}`;
    const plan = planLoad(spec, { source: { ...source, sql: staging }, inputColumns, schema, partitionFields, dataPath: "", filePrefix: loadId });
    const compiled = new AthenaLoadCompiler({
      table: [database, spec.name], ...(spec.key ? { key: spec.key } : {}),
      ...(spec.dedupe ? { keep: spec.dedupe.keep, ...(spec.dedupe.orderBy ? { orderBy: spec.dedupe.orderBy } : {}) } : {}),
      ...(spec.write.filter ? { filter: spec.write.filter } : {}), ...(spec.write.deleteMarker ? { deleteMarker: spec.write.deleteMarker } : {}),
    }).compile(plan);
    const { checks } = athenaChecks(spec.validate, compiled.finalQuery);

    for (const [i, f] of source.files.entries()) {
      const url = `${stagingPrefix}${String(i).padStart(5, "0")}-${path.basename(f.path)}`;
      staged.push(url);
      await uploadFile(f.path, url, options);
    }
    const csv = spec.source.options as { header?: boolean; delimiter?: string; delim?: string; sep?: string; quote?: string; escape?: string };
    await run(createStagingTableSql({
      database: stagingDb, name: stagingName, location: stagingPrefix, format, columns,
      ...(format === "csv" ? { csv: { ...(csv.header === false ? { header: false } : {}), ...((csv.delimiter ?? csv.delim ?? csv.sep) ? { delimiter: (csv.delimiter ?? csv.delim ?? csv.sep)! } : {}), ...(csv.quote ? { quote: csv.quote } : {}), ...(csv.escape ? { escape: csv.escape } : {}) } } : {}),
    }));
    tableCreated = true;

    if (compiled.requiredCheck) {
      const row = firstRow(await run(compiled.requiredCheck, true));
      const required = plan.cast.columns.filter((c) => c.required);
      required.forEach((c, i) => {
        const n = Number(row[i] ?? 0);
        if (n > 0) throw new LoadError(`load: column ${c.name} is required but ${n} row${n === 1 ? " has" : "s have"} no value`, { code: "REQUIRED_NULL", context: { column: c.name, rows: n } });
      });
    }
    const results = [];
    for (const check of checks) {
      const verdict = check.judge(firstRow(await run(check.sql, true)));
      results.push({ path: check.path, label: check.label, severity: check.severity, ...verdict });
    }
    const failed = results.filter((r) => !r.passed && r.severity === "error");
    if (failed.length > 0) {
      throw new ValidationFailedError(`validate: ${spec.table}: ${failed.map((f) => `${f.path} ${f.label}: ${f.detail}`).join("; ")}`, { context: { table: spec.table, failed } });
    }
    if (!existing) {
      // A new table is created as Iceberg metadata in the catalog (exact types and partition spec), then written by Athena.
      if (!(await catalog.namespaceExists([database]))) await catalog.createNamespace([database]);
      await catalog.createTable(id, { schema, partitionFields, properties: { ...spec.properties } });
    }
    let rowsWritten: number | undefined;
    for (const sql of compiled.statements) {
      const r = await run(sql);
      if (/^(INSERT|MERGE)/.test(sql)) rowsWritten = r.updateCount;
    }
    return {
      table: spec.table, loadId, stagingTable: `${stagingDb}.${stagingName}`, stagedFiles: staged.length, queries, rowsWritten, checks: results,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    // Cleanup runs whatever happened, without the caller's signal: an aborted load must still clean up.
    const cleanup: unknown[] = [];
    if (tableCreated) {
      await runAthenaQuery(dropStagingTableSql(stagingDb, stagingName), { ...ctx, signal: undefined as never, fetchRows: false })
        .then((r) => queries.push({ sql: r.sql, queryId: r.queryId }))
        .catch((e: unknown) => cleanup.push(e));
    }
    if (staged.length > 0) await deleteUrls(staged, options).catch((e: unknown) => cleanup.push(e));
    await source?.dispose?.().catch(() => undefined);
    await memory?.dispose();
    if (ownSession) session.close();
    if (cleanup.length > 0) console.warn(`load: athena: cleanup of ${stagingName} failed: ${cleanup.map((e) => (e as Error).message).join("; ")}`);
  }
}

async function defaultCatalog(o: AthenaLoadOptions): Promise<Catalog> {
  if (!o.warehouse) throw new EngineError("MISSING_OPTION", "load: athena: expected `catalog` or `warehouse` (where new tables go), got neither");
  const { GlueCatalog } = await import("@engine/iceberg/catalog/glue");
  return new GlueCatalog({
    warehouse: o.warehouse, ...(o.aws?.region ? { region: o.aws.region } : {}), ...(o.aws?.endpoint ? { endpoint: o.aws.endpoint } : {}),
    properties: s3PropertiesOf(o.aws), ...(o.glue ? { client: o.glue } : {}),
  });
}
