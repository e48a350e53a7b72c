import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Table } from "apache-arrow";
import type { DuckDbSession } from "../../duckdb/session.js";
import { quoteString, stringList } from "../../internal/sql.js";
import { downloadFile, deleteUrls, list } from "../toolkit/s3.js";
import { runAthenaQuery, type AthenaQueryOptions } from "./run-query.js";

/** Options of `athenaUnload`. */
export interface AthenaUnloadOptions extends AthenaQueryOptions {
  /** An empty `s3://…/` folder UNLOAD writes to (Athena refuses a non-empty one). */
  readonly to: string;
  /** The DuckDB session that reads the Parquet files back. */
  readonly session: DuckDbSession;
  /** Delete the unloaded objects after reading them; default true. */
  readonly cleanup?: boolean;
  /** Local folder for the downloaded files; default a new temp folder, removed after. */
  readonly tempDir?: string;
}

/** The UNLOAD statement that writes a query's rows as Parquet files under a prefix. */
export function unloadSql(query: string, to: string): string {
  return `UNLOAD (${query.trim().replace(/;\s*$/, "")}) TO ${quoteString(to.endsWith("/") ? to : `${to}/`)} WITH (format = 'PARQUET', compression = 'SNAPPY')`;
}

/**
 * Runs a large query as `UNLOAD … WITH (format = 'PARQUET')`, downloads the files to a temp folder
 * and reads them with DuckDB into one Arrow table: no row-by-row GetQueryResults paging.
 */
export async function athenaUnload(query: string, o: AthenaUnloadOptions): Promise<{ queryId: string; files: number; table: Table }> {
  const r = await runAthenaQuery(unloadSql(query, o.to), { ...o, fetchRows: false });
  const clients = { ...(o.aws ? { aws: o.aws } : {}) };
  const { objects } = await list(o.to.endsWith("/") ? o.to : `${o.to}/`, clients);
  // UNLOAD names its files without an extension; skip folder markers and manifests.
  const files = objects.filter((x) => x.size > 0 && !x.key.endsWith("/") && !/(^|\/)_|manifest/i.test(x.key.slice(x.key.lastIndexOf("/") + 1)));
  const dir = o.tempDir ?? (await mkdtemp(path.join(tmpdir(), "engine-unload-")));
  try {
    const local: string[] = [];
    for (const [i, f] of files.entries()) {
      const file = path.join(dir, `${String(i).padStart(5, "0")}.parquet`);
      await downloadFile(f.url, file, clients);
      local.push(file);
    }
    const rows = local.length === 0 ? await o.session.query("SELECT 1 WHERE false") : await o.session.query(`SELECT * FROM read_parquet(${stringList(local)})`);
    return { queryId: r.queryId, files: local.length, table: rows.toArrow() };
  } finally {
    if (o.tempDir === undefined) await rm(dir, { recursive: true, force: true });
    if (o.cleanup !== false) await deleteUrls(files.map((f) => f.url), clients).catch(() => undefined);
  }
}
