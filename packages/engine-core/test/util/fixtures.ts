import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

const HEADER = "order_id,customer_id,email,amount,order_ts,updated_at";

/**
 * Writes `files` CSV files of orders into `dir`. Keys repeat across files with distinct
 * `updated_at` (so latest/first have one answer), and some rows repeat exactly.
 * Timestamps straddle 1970 and several days so day partitions include negative values.
 */
export async function writeOrdersCsv(dir: string, options: { files?: number; rowsPerFile?: number } = {}): Promise<string[]> {
  const files = options.files ?? 3;
  const rows = options.rowsPerFile ?? 120;
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (let f = 0; f < files; f++) {
    const lines = [HEADER];
    for (let i = 0; i < rows; i++) {
      const id = (i * 7 + f * 13) % 150; // overlaps across files
      const day = (id % 9) - 2; // days -2..6 around the epoch base below
      const base = day < 0 ? Date.UTC(1969, 11, 31 + day + 1, 5) : Date.UTC(2024, 0, 1 + day, 13);
      const ts = new Date(base + (id % 5) * 3_600_000).toISOString().replace("T", " ").replace("Z", "+00");
      const upd = new Date(Date.UTC(2024, 1, 1) + f * 86_400_000 + i * 1000).toISOString().replace("T", " ").replace("Z", "+00");
      const email = id % 11 === 0 ? "" : `user${id}@example.com`;
      const amount = ((id * 37) % 10000 / 100).toFixed(2);
      lines.push(`${id},${id % 17},${email},${amount},${ts},${upd}`);
      if (i % 25 === 0) lines.push(lines[lines.length - 1]!); // an exact duplicate within the file
    }
    const file = path.join(dir, `part-${f}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    out.push(file);
  }
  return out;
}

/** A spec object for the orders CSV fixture. */
export function ordersSpec(pathGlob: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    table: "sales.orders",
    source: { format: "csv", path: pathGlob, options: { header: true } },
    columns: [
      { name: "order_id", type: "long", required: true },
      { name: "customer_id", type: "long" },
      { name: "email", type: "string" },
      { name: "amount", type: "decimal(12,2)" },
      { name: "order_ts", type: "timestamptz" },
      { name: "updated_at", type: "timestamptz" },
    ],
    ...extra,
  };
}

/** The typed CSV read an independent oracle uses for the orders fixture. */
export function ordersCsvRead(glob: string): string {
  return `read_csv('${glob}', header = true, columns = {'order_id': 'BIGINT', 'customer_id': 'BIGINT', 'email': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'order_ts': 'TIMESTAMPTZ', 'updated_at': 'TIMESTAMPTZ'})`;
}
