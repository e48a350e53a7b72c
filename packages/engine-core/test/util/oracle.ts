import { DuckDBInstance } from "@duckdb/node-api";

/**
 * An independent DuckDB (its own instance, no code of ours) for computing expected results
 * straight from input files. Returns rows as JSON-friendly objects.
 */
export async function oracle(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run("SET TimeZone = 'UTC'");
  try {
    const r = await c.runAndReadAll(sql);
    return r.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
