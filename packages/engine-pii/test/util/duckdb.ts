import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/** An in-memory DuckDB connection and a `query` function returning JSON-friendly row objects. */
export interface TestDb {
  readonly connection: DuckDBConnection;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openTestDb(): Promise<TestDb> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  return {
    connection,
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
