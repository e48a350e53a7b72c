import { randomUUID } from "node:crypto";
import type { AthenaClient, ColumnInfo, QueryExecution } from "@aws-sdk/client-athena";
import type { Table } from "apache-arrow";
import { athenaClientOf, loadAthenaSdk, type AwsOptions } from "../clients.js";
import { AthenaQueryError } from "./errors.js";
import { getQueryResultsRequest, startQueryExecutionRequest, type AthenaQueryContext } from "./requests.js";
import { athenaRowsToArrow, type AthenaColumn } from "./result-types.js";

/** Options of `runAthenaQuery`. */
export interface AthenaQueryOptions extends AthenaQueryContext {
  readonly client?: AthenaClient;
  /** Used when no client is given. */
  readonly aws?: AwsOptions;
  /** Aborting stops the query (StopQueryExecution) and rejects with AthenaQueryError. */
  readonly signal?: AbortSignal;
  /** Stops the query and rejects after this long; default: no limit. */
  readonly timeoutMs?: number;
  /** First poll delay; it grows 1.5× per poll up to `maxPollMs`. Default 250 ms. */
  readonly pollMs?: number;
  /** Default 5000 ms. */
  readonly maxPollMs?: number;
  /** Rows per GetQueryResults page (1..1000). Default 1000. */
  readonly pageSize?: number;
  /** Skip fetching rows (DDL, INSERT, UNLOAD): the result table is empty. */
  readonly fetchRows?: boolean;
}

/** What a finished query returned. */
export interface AthenaQueryResult {
  readonly queryId: string;
  readonly sql: string;
  /** The rows, typed from ResultSetMetadata.ColumnInfo. */
  readonly table: Table;
  readonly statementType: string | undefined;
  /** Rows changed by INSERT/MERGE/DELETE/UPDATE, when Athena reports it. */
  readonly updateCount: number | undefined;
  readonly outputLocation: string | undefined;
  readonly dataScannedBytes: number | undefined;
  readonly engineExecutionTimeMs: number | undefined;
  /** Polls of GetQueryExecution until the query finished. */
  readonly polls: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener("abort", onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal!.reason); };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Whether the first row of a SELECT's first page repeats the column labels (Athena puts them there). */
export function isHeaderRow(row: readonly (string | null | undefined)[], columns: readonly ColumnInfo[]): boolean {
  return columns.length > 0 && row.length === columns.length && columns.every((c, i) => row[i] === (c.Label ?? c.Name));
}

/**
 * Runs one SQL statement on Athena: StartQueryExecution, GetQueryExecution polled with
 * exponential backoff, then every page of GetQueryResults into an Arrow table typed from the
 * column metadata. Abort or timeout stop the query (StopQueryExecution) first; failures throw
 * AthenaQueryError with the query id and Athena's StateChangeReason.
 *
 * ```ts
 * const r = await runAthenaQuery("SELECT count(*) AS n FROM sales.orders", { workgroup: "etl", outputLocation: "s3://athena-results/" });
 * console.log(r.queryId, r.table.getChild("n")?.get(0));
 * ```
 */
export async function runAthenaQuery(sql: string, options: AthenaQueryOptions = {}): Promise<AthenaQueryResult> {
  const sdk = await loadAthenaSdk();
  const client = await athenaClientOf({ ...(options.client ? { athena: options.client } : {}), ...(options.aws ? { aws: options.aws } : {}) });
  const { signal } = options;
  if (signal?.aborted) throw new AthenaQueryError(`athena: query aborted before it started`, { state: "ABORTED", sql, cause: signal.reason });
  let queryId: string;
  try {
    const started = await client.send(new sdk.StartQueryExecutionCommand(startQueryExecutionRequest(sql, { clientRequestToken: randomUUID(), ...options })), signal ? { abortSignal: signal } : {});
    queryId = started.QueryExecutionId!;
  } catch (e) {
    throw new AthenaQueryError(`athena: StartQueryExecution failed: ${(e as Error)?.name}: ${(e as Error)?.message}`, { state: "START_FAILED", sql, cause: e });
  }
  const deadline = options.timeoutMs !== undefined ? Date.now() + options.timeoutMs : Infinity;
  const stop = async (state: "TIMEOUT" | "ABORTED", message: string, cause?: unknown): Promise<never> => {
    // Best effort: the query may have finished meanwhile; our own abort must not cancel the stop call.
    await client.send(new sdk.StopQueryExecutionCommand({ QueryExecutionId: queryId })).catch(() => undefined);
    throw new AthenaQueryError(message, { queryId, state, sql, ...(cause !== undefined ? { cause } : {}) });
  };
  let delay = options.pollMs ?? 250;
  const maxDelay = options.maxPollMs ?? 5000;
  let polls = 0;
  let execution: QueryExecution | undefined;
  for (;;) {
    if (signal?.aborted) return stop("ABORTED", `athena: query ${queryId} aborted; stopped it`, signal.reason);
    if (Date.now() >= deadline) return stop("TIMEOUT", `athena: query ${queryId}: expected it to finish within ${options.timeoutMs} ms, got still running; stopped it`);
    try {
      execution = (await client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: queryId }))).QueryExecution;
    } catch (e) {
      throw new AthenaQueryError(`athena: GetQueryExecution ${queryId} failed: ${(e as Error)?.message}`, { queryId, state: "UNKNOWN", sql, cause: e });
    }
    polls++;
    const state = execution?.Status?.State;
    if (state === "SUCCEEDED") break;
    if (state === "FAILED" || state === "CANCELLED") {
      const reason = execution?.Status?.StateChangeReason;
      const err = execution?.Status?.AthenaError;
      throw new AthenaQueryError(`athena: query ${queryId} ${state === "FAILED" ? "failed" : "was cancelled"}: ${reason ?? "no reason given"}`, {
        queryId, state, sql, ...(reason ? { reason } : {}),
        ...(err?.ErrorType !== undefined ? { errorType: err.ErrorType } : {}), ...(err?.ErrorCategory !== undefined ? { errorCategory: err.ErrorCategory } : {}),
      });
    }
    const wait = Math.min(delay, Math.max(0, deadline - Date.now()));
    try {
      await sleep(wait, signal);
    } catch (reason) {
      return stop("ABORTED", `athena: query ${queryId} aborted; stopped it`, reason);
    }
    delay = Math.min(maxDelay, delay * 1.5);
  }

  let columns: ColumnInfo[] = [];
  const rows: (string | undefined)[][] = [];
  let updateCount: number | undefined;
  if (options.fetchRows !== false) {
    let token: string | undefined;
    let first = true;
    do {
      if (signal?.aborted) throw new AthenaQueryError(`athena: query ${queryId} aborted while reading results`, { queryId, state: "ABORTED", sql, cause: signal.reason });
      const page = await client.send(new sdk.GetQueryResultsCommand(getQueryResultsRequest(queryId, token, options.pageSize)));
      if (first) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      if (page.UpdateCount !== undefined) updateCount = Number(page.UpdateCount);
      const pageRows = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue));
      if (first && execution?.StatementType === "DML" && pageRows[0] && isHeaderRow(pageRows[0], columns)) pageRows.shift();
      rows.push(...pageRows);
      token = page.NextToken || undefined;
      first = false;
    } while (token);
  }
  const stats = execution?.Statistics;
  return {
    queryId,
    sql,
    table: athenaRowsToArrow(columns.map((c): AthenaColumn => ({ Name: c.Name ?? "", Type: c.Type ?? "varchar", ...(c.Precision !== undefined ? { Precision: c.Precision } : {}), ...(c.Scale !== undefined ? { Scale: c.Scale } : {}) })), rows),
    statementType: execution?.StatementType,
    updateCount,
    outputLocation: execution?.ResultConfiguration?.OutputLocation,
    dataScannedBytes: stats?.DataScannedInBytes,
    engineExecutionTimeMs: stats?.EngineExecutionTimeInMillis,
    polls,
  };
}
