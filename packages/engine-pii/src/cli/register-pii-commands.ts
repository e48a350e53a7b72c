// `engine pii scan|erase|retention`, added to engine-core's commander program (engine-core's CLI
// imports this lazily when argv[0] is "pii").

import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { DuckDbSession, Engine, loadSpec, openSource, parseDuration, type TableSpec } from "@engine/core";
import type { ColumnSuggestion } from "../classify/column-suggestion.js";
import { scanRelation } from "../classify/scan-relation.js";
import { eraseSubjects } from "../erase/erase-subjects.js";
import type { ErasureCertificate } from "../erase/erasure-types.js";
import { subjectTables } from "../erase/subject-tables.js";
import { PiiArgumentError, PiiError } from "../errors.js";
import type { RetentionReport } from "../retention/retention-types.js";
import { runRetention } from "../retention/run-retention.js";
import { envKeyProvider } from "../tokenize/env-key-provider.js";

/** Where the `pii` commands print. */
export interface PiiCliIo {
  stdout(text: string): void;
}

const KEY_VAR = "ENGINE_PII_KEY";
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const json = (value: unknown): string => `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;

async function withEngine<T>(warehouse: string | undefined, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open(warehouse === undefined ? {} : { warehouse });
  try {
    return await work(engine);
  } finally {
    engine.close();
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new PiiArgumentError(`pii: ${flag}: expected a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

/** The text table `engine pii scan` prints. */
function formatSuggestions(target: string, suggestions: readonly ColumnSuggestion[]): string {
  if (suggestions.length === 0) return `no PII suggested for ${target}\n`;
  const rows = [
    ["column", "kind", "grade", "confidence", "matches/sampled"],
    ...suggestions.map((s) => [s.column, s.kind, String(s.grade), s.confidence.toFixed(2), `${s.matches}/${s.sampled}`]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")}\n`;
}

async function scanSpec(spec: TableSpec, sample: number): Promise<ColumnSuggestion[]> {
  if (spec.source.format === "memory") {
    throw new PiiArgumentError(`pii: scan: ${spec.table}: expected a spec whose source is read from files, got source.format memory (scan the table instead)`);
  }
  const session = await DuckDbSession.create();
  try {
    const read = await openSource(session, spec.source, spec.file === undefined ? {} : { specFile: spec.file });
    try {
      const query = async (sql: string): Promise<Record<string, unknown>[]> => (await session.query(sql)).rowObjectsJson();
      return await scanRelation(query, { relation: read.sql }, { sampleRows: sample, sampleSize: sample, columns: read.columns });
    } finally {
      await read.dispose?.();
    }
  } finally {
    session.close();
  }
}

function readSubjects(options: { subject?: string[]; subjectsFile?: string }): string[] {
  const fromFile = options.subjectsFile === undefined ? [] : readFileSync(options.subjectsFile, "utf8").split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const subjects = [...new Set([...(options.subject ?? []), ...fromFile])];
  if (subjects.length === 0) throw new PiiArgumentError("pii: erase: expected --subject <id> or --subjects-file <file>, got none");
  return subjects;
}

function formatCertificate(cert: ErasureCertificate): string {
  const lines = [`erasure ${cert.erasureId}: ${cert.status} (${cert.subjects.hashes.length} subject${cert.subjects.hashes.length === 1 ? "" : "s"})`];
  for (const t of cert.tables) {
    lines.push(`  ${t.table}: ${t.rowsErased} rows erased, ${t.filesRewritten.length} files rewritten, ${t.snapshotsExpired.length} snapshots expired, ${t.filesRemoved.length} files removed${t.blockingRefs.length > 0 ? `; kept alive by refs ${t.blockingRefs.join(", ")}` : ""}`);
  }
  if (cert.rejectsRewritten.length > 0) lines.push(`  rejects: ${cert.rejectsRewritten.length} files rewritten`);
  if (cert.expireAfter !== undefined) lines.push(`  old snapshots expire after ${cert.expireAfter}: run the same erasure again then`);
  lines.push(`  verified: ${cert.verification.filesScanned} files scanned, ${cert.verification.findings.length} findings (before: ${cert.before.findings})`);
  return `${lines.join("\n")}\n`;
}

function formatRetention(report: RetentionReport): string {
  const lines = [`retention: ${report.status} (now ${report.now})`];
  for (const t of report.tables) {
    lines.push(`  ${t.table}: ${t.rowsDeleted} rows with ${t.column} before ${t.cutoff} deleted (retention ${t.retention}), ${t.filesRewritten.length} files rewritten, ${t.snapshotsExpired.length} snapshots expired; verified ${t.verification.outcome} (${t.verification.parquetFilesDecoded} files)${t.blockingRefs.length > 0 ? `; kept alive by refs ${t.blockingRefs.join(", ")}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Every spec file under a folder (YAML or JSON) that has `pii.retention`. */
function retentionSpecs(target: string): TableSpec[] {
  if (!isDir(target)) {
    if (!isFile(target)) throw new PiiArgumentError(`pii: retention: expected a spec file or a folder of specs, got ${JSON.stringify(target)}`);
    return [loadSpec(target, { params: "defer" })];
  }
  const files = (readdirSync(target, { recursive: true }) as string[])
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort()
    .map((f) => path.join(target, f));
  const specs = files.map((f) => loadSpec(f, { params: "defer" })).filter((s) => s.pii?.retention !== undefined);
  if (specs.length === 0) throw new PiiArgumentError(`pii: retention: ${target}: expected specs with pii.retention, got none`);
  return specs;
}

/**
 * Adds `pii scan`, `pii erase` and `pii retention` to a commander program. The tokenization key
 * comes from `ENGINE_PII_KEY` (hex or base64, at least 32 bytes).
 *
 * ```ts
 * registerPiiCommands(program, { stdout: (t) => process.stdout.write(t) });
 * // engine pii erase --subject 1234 --certificate erasure.json
 * ```
 */
export function registerPiiCommands(program: Command, io: PiiCliIo = { stdout: (t) => void process.stdout.write(t) }): Command {
  const pii = program.command("pii").description("find, separate, erase and expire personal data");

  pii
    .command("scan")
    .description("sample a spec's source or a table and suggest PII tags for its columns")
    .argument("<spec|table>", "a spec file (its source is sampled) or a table name ns.table")
    .option("--warehouse <dir>", "warehouse folder or URL (default ./warehouse)")
    .option("--sample <rows>", "rows to sample", "10000")
    .option("--json", "print the suggestions as JSON")
    .action(async (target: string, options: { warehouse?: string; sample: string; json?: boolean }) => {
      const sample = positiveInt("scan: --sample", options.sample);
      const suggestions = isFile(target)
        ? await scanSpec(loadSpec(target, { params: "defer" }), sample)
        : await withEngine(options.warehouse, async (engine) => {
          const known = await engine.tables();
          const name = known.find((t) => t.toLowerCase() === target.toLowerCase());
          if (name === undefined) throw new PiiArgumentError(`pii: scan: expected a spec file or a table of the warehouse, got ${JSON.stringify(target)}`);
          const query = async (sql: string): Promise<Record<string, unknown>[]> => (await engine.query(sql)).rows();
          return scanRelation(query, { table: name }, { sampleRows: sample, sampleSize: sample });
        });
      io.stdout(options.json ? json(suggestions) : formatSuggestions(target, suggestions));
    });

  pii
    .command("erase")
    .description("erase data subjects from every table that holds them and write the erasure certificate")
    .option("--subject <id...>", "a subject key (repeatable)", (v: string, prev?: string[]) => collect(v, prev))
    .option("--subjects-file <file>", "a file of subject keys, one per line")
    .option("--table <ns.table>", "only this table (repeatable; default every table that holds subjects)", (v: string, prev?: string[]) => collect(v, prev))
    .option("--column <name>", "the subject column of tables without the engine.pii.subject-column property")
    .option("--grace <duration>", 'keep old snapshots this long before expiring them, e.g. "7d" (default 0)')
    .option("--certificate <file>", "write the erasure certificate (JSON) to <file>")
    .option("--warehouse <dir>", "warehouse folder or URL (default ./warehouse)")
    .option("--json", "print the certificate as JSON")
    .action(async (options: { subject?: string[]; subjectsFile?: string; table?: string[]; column?: string; grace?: string; certificate?: string; warehouse?: string; json?: boolean }) => {
      const subjects = readSubjects(options);
      const graceMs = options.grace === undefined ? 0 : parseDuration(options.grace);
      if (graceMs === undefined) throw new PiiArgumentError(`pii: erase: --grace: expected a duration such as "7d", got ${JSON.stringify(options.grace)}`);
      const cert = await withEngine(options.warehouse, async (engine) => {
        let tables = await subjectTables(engine, options.column === undefined ? {} : { column: options.column });
        if (options.table !== undefined) {
          const wanted = options.table;
          for (const w of wanted) {
            if (!tables.some((t) => t.table.toLowerCase() === w.toLowerCase())) {
              throw new PiiArgumentError(`pii: erase: --table ${w}: expected a table that holds data subjects (property engine.pii.subject-column, or a column named by --column), got none by that name`);
            }
          }
          tables = tables.filter((t) => wanted.some((w) => w.toLowerCase() === t.table.toLowerCase()));
        }
        if (tables.length === 0) throw new PiiArgumentError("pii: erase: expected tables that hold data subjects (property engine.pii.subject-column, or --column), got none");
        const keyProvider = envKeyProvider(KEY_VAR);
        const keyGiven = (process.env[KEY_VAR] ?? "").trim() !== "";
        // Token-matched tables need the key: let the provider say what is wrong with it.
        if (!keyGiven && tables.some((t) => t.match === "token")) await keyProvider.getKey();
        return eraseSubjects(engine, { subjects, tables, graceMs, ...(keyGiven ? { keyProvider } : {}) });
      });
      if (options.certificate !== undefined) writeFileSync(options.certificate, json(cert));
      io.stdout(options.json ? json(cert) : formatCertificate(cert));
      const ok = cert.status === "erased" || (cert.status === "pending-expiry" && graceMs > 0);
      if (!ok) {
        throw new PiiError("PII_ERASURE_INCOMPLETE", `pii: erase: expected status erased, got ${cert.status} (${cert.verification.findings.length} findings; see the certificate)`, {
          context: { erasureId: cert.erasureId, status: cert.status },
        });
      }
    });

  pii
    .command("retention")
    .description("delete rows older than each spec's pii.retention, expire the snapshots that kept them and verify")
    .argument("<spec|dir>", "a spec file or a folder of specs (those with pii.retention)")
    .option("--now <time>", "count the retention back from this time (ISO 8601; default now)")
    .option("--report <file>", "write the retention report (JSON) to <file>")
    .option("--warehouse <dir>", "warehouse folder or URL (default ./warehouse)")
    .option("--json", "print the report as JSON")
    .action(async (target: string, options: { now?: string; report?: string; warehouse?: string; json?: boolean }) => {
      const specs = retentionSpecs(target);
      const report = await withEngine(options.warehouse, (engine) => runRetention(engine, specs, options.now === undefined ? {} : { now: options.now }));
      if (options.report !== undefined) writeFileSync(options.report, json(report));
      io.stdout(options.json ? json(report) : formatRetention(report));
      if (report.status !== "purged") {
        throw new PiiError("PII_RETENTION_INCOMPLETE", `pii: retention: expected status purged, got ${report.status} (see the report)`, { context: { status: report.status } });
      }
    });

  return pii;
}
