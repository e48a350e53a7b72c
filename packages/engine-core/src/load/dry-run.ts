// `engine plan`: what a load would do, computed in DuckDB over the staged batch and the
// table's metadata, writing nothing.

import type { Catalog } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { quoteIdent } from "../internal/sql.js";
import type { TableSpec, WriteMode } from "../spec/table-spec.js";
import { EXTRA_COLUMNS, RELATIONS } from "./duckdb-compiler.js";
import { findLoadInAncestry } from "./idempotency.js";
import { findMergeFiles } from "./merge.js";
import { hiveKeyColumn } from "./partition-sql.js";
import { stageBatch, StageClock, type StageOptions } from "./stage-batch.js";
import { compileWriteFilter } from "./write-filter.js";
import { createTargetView, type WriteContext } from "./write-context.js";
import { newFilePrefix } from "./run-load.js";

/** What a load would do. Counts are exact where DuckDB can tell without writing. */
export interface LoadPlanReport {
  readonly table: string;
  readonly mode: WriteMode;
  /** The engine that would run it (`auto` resolves to `local` here). */
  readonly engine: "local" | "athena" | "glue";
  readonly tableExists: boolean;
  readonly loadId: string;
  /** True when this load is already in the table (it would be skipped). */
  readonly alreadyLoaded: boolean;
  readonly sourceFiles: number;
  readonly rowsRead: number;
  readonly duplicatesDropped: number;
  /** Partition values the batch touches (`order_ts_month=2024-01`), sorted. */
  readonly partitionsTouched: readonly string[];
  readonly rowsToInsert?: number;
  readonly rowsToUpdate?: number;
  readonly rowsToDelete?: number;
  /** Live data files the commit would remove or rewrite (merge: files holding incoming keys). */
  readonly filesToReplace?: number;
  readonly columnsToAdd: readonly string[];
  readonly notes: readonly string[];
}

/** Stages the batch and reports what the load would do, without writing or committing anything. */
export async function dryRunLoad(session: DuckDbSession, catalog: Catalog, spec: TableSpec, options: StageOptions): Promise<LoadPlanReport> {
  const batch = await stageBatch(session, catalog, spec, { ...options, force: true }, new StageClock(options.onStage), newFilePrefix());
  try {
    const plan = batch.plan!;
    const notes: string[] = [];
    const engine = spec.engine === "auto" ? "local" : spec.engine;
    if (spec.engine === "athena" || spec.engine === "glue") notes.push(`engine ${spec.engine} is not available from this CLI yet; the local plan is shown`);
    const partitionsTouched: string[] = [];
    if (plan.partition) {
      const q = batch.compiler.writeQuery(plan, RELATIONS.input);
      const names = plan.partition.fields.map(hiveKeyColumn);
      const r = await session.query(`SELECT DISTINCT ${names.map((n) => `${quoteIdent(n)}::VARCHAR AS ${quoteIdent(n)}`).join(", ")} FROM (${q}) ORDER BY ALL`);
      for (const row of r.rowObjectsJson()) partitionsTouched.push(plan.partition.fields.map((f, i) => `${f.name}=${String(row[names[i]!])}`).join("/"));
    }
    const prior = findLoadInAncestry(batch.table, batch.loadId);
    const base = {
      table: spec.table, mode: spec.write.mode, engine, tableExists: batch.table !== undefined, loadId: batch.loadId, alreadyLoaded: prior !== undefined,
      sourceFiles: batch.source.files.length, rowsRead: batch.rowsRead, duplicatesDropped: batch.rowsRead - batch.inputRows, partitionsTouched,
      columnsToAdd: batch.schemaDiff.added.map((a) => a.name), notes,
    };
    const ctx: WriteContext = {
      session, plan, compiler: batch.compiler, table: batch.table, schema: batch.schema, specId: batch.table ? batch.table.spec().specId : 0, location: batch.location, dataPath: batch.dataPath,
    };
    const marked = plan.cast.deleteMarker ? `NOT ${quoteIdent(EXTRA_COLUMNS.delete)}` : "true";
    const count = async (sql: string): Promise<number> => Number((await session.query(sql)).columns[0]?.[0] ?? 0);
    if (!batch.table || spec.write.mode === "append") {
      return { ...base, rowsToInsert: await count(`SELECT count(*) FROM ${quoteIdent(RELATIONS.input)} WHERE ${marked}`), rowsToUpdate: 0, rowsToDelete: 0, filesToReplace: 0 };
    }
    if (spec.write.mode === "merge") {
      const files = await findMergeFiles(ctx);
      await createTargetView(session, batch.table, files.matched, batch.schema, RELATIONS.target);
      await session.run(batch.compiler.mergeStatement(plan));
      const r = await session.query(`SELECT ${quoteIdent(EXTRA_COLUMNS.action)} AS a, count(*) AS n FROM ${quoteIdent(RELATIONS.merged)} GROUP BY 1`);
      const by = Object.fromEntries(r.rowObjectsJson().map((x) => [String(x["a"]), Number(x["n"])]));
      const changed = await count(`SELECT count(DISTINCT ${quoteIdent(EXTRA_COLUMNS.file)}) FROM ${quoteIdent(RELATIONS.merged)} WHERE ${quoteIdent(EXTRA_COLUMNS.action)} IN ('update', 'delete')`);
      if ((by["stale"] ?? 0) > 0) notes.push(`${by["stale"]} incoming rows are older than the table's and would be ignored`);
      return { ...base, rowsToInsert: by["insert"] ?? 0, rowsToUpdate: by["update"] ?? 0, rowsToDelete: by["delete"] ?? 0, filesToReplace: changed };
    }
    const inserts = await count(`SELECT count(*) FROM ${quoteIdent(RELATIONS.input)}`);
    if (spec.write.filter) {
      const f = compileWriteFilter(spec.write.filter, batch.schema.fields);
      const tasks = await batch.table.newScan({ filter: f.expression }).planFiles();
      notes.push(`replaces rows where ${f.text}`);
      return { ...base, rowsToInsert: inserts, rowsToUpdate: 0, filesToReplace: tasks.length };
    }
    if (spec.write.mode === "overwrite") {
      const tasks = await batch.table.newScan().planFiles();
      return { ...base, rowsToInsert: inserts, rowsToUpdate: 0, rowsToDelete: tasks.reduce((n, t) => n + Number(t.file.recordCount), 0), filesToReplace: tasks.length };
    }
    notes.push("replace-partitions: every partition listed is replaced");
    return { ...base, rowsToInsert: inserts, rowsToUpdate: 0 };
  } finally {
    await batch.dispose();
  }
}
