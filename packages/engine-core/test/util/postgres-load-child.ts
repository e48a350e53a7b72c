// Runs one postgres load in its own process so that the parent can read this process's peak RSS.
// argv: <warehouse> <spec JSON>; prints one JSON line { result, maxRssMb, ms }.
import { Engine } from "../../src/engine/engine.js";

const [warehouse, specJson] = process.argv.slice(2);
const started = performance.now();
const engine = await Engine.open({ warehouse: warehouse!, duckdb: { memoryLimit: "1GB", threads: 2 } });
try {
  const result = await engine.load(JSON.parse(specJson!) as object);
  const ms = Math.round(performance.now() - started);
  // process.resourceUsage().maxRSS is in kilobytes.
  console.log(JSON.stringify({ result: { status: result.status, rowsRead: result.rowsRead, rowsWritten: result.rowsWritten, filesWritten: result.filesWritten, snapshotId: String(result.snapshotId), stages: result.stages }, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ms }));
} finally {
  engine.close();
}
