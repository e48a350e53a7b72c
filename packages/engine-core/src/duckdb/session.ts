import { DuckDBInstance, type DuckDBConnection, type DuckDBType, type DuckDBValue } from "@duckdb/node-api";
import type { Table as ArrowTable } from "apache-arrow";
import { EngineError } from "../errors.js";
import { redactError, redactSql } from "../internal/redact-sql.js";
import { toArrowTable } from "./arrow.js";

/** Options of a DuckDB session; all optional, DuckDB's defaults otherwise. */
export interface DuckDbSessionOptions {
  /** DuckDB `memory_limit`, e.g. `"2GB"`. */
  readonly memoryLimit?: string;
  /** Spill folder for operators that exceed the memory limit. */
  readonly tempDirectory?: string;
  /** Worker threads. */
  readonly threads?: number;
}

/** A fully read (small) query result: column names, DuckDB types and values by column. */
export interface DuckDbRows {
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly DuckDBType[];
  /** Values by column, then row. */
  readonly columns: readonly (readonly DuckDBValue[])[];
  readonly rowCount: number;
  /** Plain row objects with DuckDB's JSON-friendly conversion (bigints as strings, etc.). */
  rowObjectsJson(): Record<string, unknown>[];
  /** The result as an Arrow table. */
  toArrow(): ArrowTable;
}

/** An error raised by DuckDB, with the SQL that failed kept in `context.sql`. */
export class DuckDbError extends EngineError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("DUCKDB_ERROR", message, options);
  }
}

/**
 * One in-process DuckDB database and connection. Bulk data stays inside DuckDB; only small
 * results (statistics, query answers) are read into JavaScript.
 *
 * ```ts
 * const db = await DuckDbSession.create({ memoryLimit: "2GB" });
 * try { const r = await db.query("select 42 as answer"); } finally { db.close(); }
 * ```
 */
export class DuckDbSession {
  private closed = false;
  private constructor(private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection) {}

  /** Opens an in-memory database with the given limits; the session time zone is UTC. */
  static async create(options: DuckDbSessionOptions = {}): Promise<DuckDbSession> {
    const config: Record<string, string> = {};
    if (options.memoryLimit !== undefined) config["memory_limit"] = options.memoryLimit;
    if (options.tempDirectory !== undefined) config["temp_directory"] = options.tempDirectory;
    if (options.threads !== undefined) config["threads"] = String(options.threads);
    const instance = await DuckDBInstance.create(":memory:", config);
    const connection = await instance.connect();
    const session = new DuckDbSession(instance, connection);
    // UTC makes timestamptz statistics and casts independent of the machine's zone.
    await session.run("SET TimeZone = 'UTC'");
    return session;
  }

  /** Runs statements for their effect (several may be separated by `;`). */
  async run(sql: string): Promise<void> {
    this.assertOpen();
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw wrap(error, sql);
    }
  }

  /** Runs one statement with optional positional parameters and reads the whole (small) result. */
  async query(sql: string, params?: readonly DuckDBValue[]): Promise<DuckDbRows> {
    this.assertOpen();
    try {
      if (params === undefined || params.length === 0) {
        const reader = await this.connection.runAndReadAll(sql);
        return materialize(reader.columnNames(), reader.columnTypes(), reader.getColumns());
      }
      const prepared = await this.connection.prepare(sql);
      try {
        prepared.bind([...params]);
        const reader = await prepared.runAndReadAll();
        return materialize(reader.columnNames(), reader.columnTypes(), reader.getColumns());
      } finally {
        prepared.destroySync();
      }
    } catch (error) {
      throw wrap(error, sql);
    }
  }

  /** Closes the connection and the database; later calls fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new DuckDbError("duckdb: session is closed");
  }
}

function materialize(names: string[], types: DuckDBType[], columns: DuckDBValue[][]): DuckDbRows {
  const rowCount = columns[0]?.length ?? 0;
  return {
    columnNames: names,
    columnTypes: types,
    columns,
    rowCount,
    rowObjectsJson() {
      const out: Record<string, unknown>[] = [];
      for (let r = 0; r < rowCount; r++) {
        const row: Record<string, unknown> = {};
        names.forEach((n, c) => { row[n] = jsonValue(columns[c]![r]!); });
        out.push(row);
      }
      return out;
    },
    toArrow() {
      return toArrowTable(names, types, columns);
    },
  };
}

function jsonValue(v: DuckDBValue): unknown {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Object && "items" in v && Array.isArray((v as { items: unknown }).items)) {
    return (v as { items: DuckDBValue[] }).items.map(jsonValue);
  }
  if (v instanceof Object && "entries" in v) {
    const entries = (v as { entries: unknown }).entries;
    if (Array.isArray(entries)) return (entries as { key: DuckDBValue; value: DuckDBValue }[]).map((e) => ({ key: jsonValue(e.key), value: jsonValue(e.value) }));
    return Object.fromEntries(Object.entries(entries as Record<string, DuckDBValue>).map(([k, x]) => [k, jsonValue(x)]));
  }
  return String(v);
}

function wrap(error: unknown, sql: string): DuckDbError {
  // DuckDB quotes the query in its messages: key-derived literals must not travel on (redact-sql.ts).
  const message = redactSql(error instanceof Error ? error.message : String(error));
  return new DuckDbError(`duckdb: ${message}`, { context: { sql: redactSql(sql) }, cause: redactError(error) });
}
