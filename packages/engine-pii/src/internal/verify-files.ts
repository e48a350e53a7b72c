// Verification: every file under the affected table locations and the quarantine folder is
// checked for the subject. Compressed Parquet pages hide bytes, so Parquet files are also decoded
// by DuckDB (by field id) and Avro manifests by the Avro reader (their bounds are single-value
// bytes keyed by field id); uncompressed artifacts (metadata JSON, rejects NDJSON) are scanned
// as raw bytes, NDJSON line by line as well.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { schemaMap, type DuckDbSession } from "@engine/core";
import { readAvroFile, type NestedField } from "@engine/iceberg";
import type { ErasureFinding, ErasureVerification } from "../erase/erasure-types.js";
import { stringList } from "./parquet-sql.js";
import { quoteIdentifier, quoteString } from "./sql.js";
import { containsBytes, needleLabel, type Needle } from "./subject-needles.js";

/** A column checked by value in decoded Parquet files: rows whose value is one of `literals`. */
export interface DecodedCheck {
  readonly field: NestedField;
  /** DuckDB literals in the field's type. */
  readonly literals: readonly string[];
  /** The labels of those literals, in the same order, for findings. */
  readonly labels: readonly string[];
}

/** A folder to verify and the columns its Parquet files are checked on. */
export interface VerifyLocation {
  readonly dir: string;
  readonly checks: readonly DecodedCheck[];
  /** Field id → single-value bytes that must not be a bound of that field in any manifest. */
  readonly boundBytes: ReadonlyMap<number, readonly { readonly label: string; readonly bytes: Uint8Array }[]>;
}

export interface VerifyInput {
  readonly session: DuckDbSession;
  readonly locations: readonly VerifyLocation[];
  /** Quarantine folder(s) scanned line by line. */
  readonly rejectsDirs: readonly string[];
  readonly needles: readonly Needle[];
  /** Whole-token texts a rejected line must not contain (subject keys, tokens). */
  readonly lineTokens: readonly string[];
}

export async function* walk(dir: string): AsyncIterable<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Whether one rejected (quarantined) line holds the subject: a needle as text, or a key as a whole token. */
export function lineHoldsSubject(line: string, needles: readonly Needle[], tokens: readonly string[]): string | undefined {
  if (line.trim() === "") return undefined;
  let text = line;
  try {
    // Rejects are {file, line, raw, reason}: only the rejected input itself can hold the subject
    // (a line number 42 is not subject 42).
    const parsed = JSON.parse(line) as unknown;
    if (parsed !== null && typeof parsed === "object" && typeof (parsed as { raw?: unknown }).raw === "string") text = (parsed as { raw: string }).raw;
  } catch {
    // not JSON: the whole line
  }
  return textHoldsSubject(text, needles, tokens);
}

function textHoldsSubject(line: string, needles: readonly Needle[], tokens: readonly string[]): string | undefined {
  for (const n of needles) if (n.bytes.length > 0 && line.includes(n.text)) return n.label;
  if (tokens.length === 0) return undefined;
  const words = new Set(line.split(/[^\p{L}\p{N}@._+-]+/u));
  for (const t of tokens) if (words.has(t)) return needleLabel(t);
  return undefined;
}

function walkAvro(value: unknown, visit: (v: unknown, key: number | undefined) => void, key?: number): void {
  if (value instanceof Uint8Array || typeof value === "string") { visit(value, key); return; }
  if (Array.isArray(value)) { for (const v of value) walkAvro(v, visit); return; }
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    // Iceberg maps (bounds, counts) are arrays of {key, value} records.
    if (typeof o["key"] === "number" && "value" in o) { walkAvro(o["value"], visit, o["key"]); return; }
    for (const v of Object.values(o)) walkAvro(v, visit);
  }
}

async function decodeParquet(session: DuckDbSession, file: string, checks: readonly DecodedCheck[]): Promise<ErasureFinding[]> {
  const ids = await session.query(`SELECT field_id FROM parquet_schema(${quoteString(file)}) WHERE field_id IS NOT NULL`);
  const present = new Set((ids.columns[0] ?? []).map((v) => Number(v)));
  const usable = checks.filter((c) => present.has(c.field.id) && c.literals.length > 0);
  if (usable.length === 0) return [];
  const fields = [...new Map(usable.map((c) => [c.field.id, c.field])).values()];
  const selects = usable.flatMap((c, i) => c.literals.map((lit, j) => `count(*) FILTER (WHERE ${quoteIdentifier(c.field.name)} = ${lit}) AS "c${i}_${j}"`));
  const r = await session.query(`SELECT ${selects.join(", ")} FROM read_parquet(${stringList([file])}, schema = ${schemaMap(fields)})`);
  const row = r.rowObjectsJson()[0] ?? {};
  const out: ErasureFinding[] = [];
  usable.forEach((c, i) => c.labels.forEach((label, j) => {
    const n = Number(row[`c${i}_${j}`] ?? 0);
    if (n > 0) out.push({ file, how: "rows", needle: label, detail: `${n} row(s) with ${c.field.name} = the subject's value` });
  }));
  return out;
}

/** Scans every file; returns what was found where. */
export async function verifyFiles(input: VerifyInput): Promise<ErasureVerification> {
  const findings: ErasureFinding[] = [];
  let filesScanned = 0;
  let parquetFilesDecoded = 0;
  let avroFilesDecoded = 0;
  const rawNeedles = input.needles.flatMap((n) => n.bytes.map((b) => ({ label: n.label, bytes: b })));
  const rawScan = (file: string, bytes: Uint8Array): void => {
    const seen = new Set<string>();
    for (const n of rawNeedles) {
      if (seen.has(n.label) || !containsBytes(bytes, n.bytes)) continue;
      seen.add(n.label);
      findings.push({ file, how: "bytes", needle: n.label });
    }
  };
  for (const loc of input.locations) {
    for await (const file of walk(loc.dir)) {
      filesScanned++;
      let bytes: Uint8Array = await readFile(file);
      if (file.endsWith(".gz")) bytes = gunzipSync(bytes);
      rawScan(file, bytes);
      if (file.endsWith(".parquet")) {
        parquetFilesDecoded++;
        findings.push(...(await decodeParquet(input.session, file, loc.checks)));
      } else if (file.endsWith(".avro")) {
        let records: unknown[];
        try {
          records = readAvroFile(bytes, { file }).records;
        } catch (error) {
          findings.push({ file, how: "avro", needle: "-", detail: `not decodable: ${error instanceof Error ? error.message : String(error)}` });
          continue;
        }
        avroFilesDecoded++;
        const hit = new Set<string>();
        walkAvro(records, (v, key) => {
          const b = typeof v === "string" ? Buffer.from(v, "utf8") : (v as Uint8Array);
          for (const n of rawNeedles) if (!hit.has(n.label) && containsBytes(b, n.bytes)) hit.add(n.label);
          if (key !== undefined && v instanceof Uint8Array) {
            for (const bb of loc.boundBytes.get(key) ?? []) if (Buffer.from(v).equals(Buffer.from(bb.bytes))) hit.add(bb.label);
          }
        });
        for (const label of hit) findings.push({ file, how: "avro", needle: label, detail: "decoded manifest value or bound" });
      }
    }
  }
  for (const dir of input.rejectsDirs) {
    for await (const file of walk(dir)) {
      filesScanned++;
      const bytes = await readFile(file);
      rawScan(file, bytes);
      const lines = bytes.toString("utf8").split("\n");
      lines.forEach((line, i) => {
        const label = lineHoldsSubject(line, input.needles, input.lineTokens);
        if (label !== undefined) findings.push({ file, how: "json-lines", needle: label, detail: `line ${i + 1}` });
      });
    }
  }
  return { outcome: findings.length === 0 ? "clean" : "found", filesScanned, parquetFilesDecoded, avroFilesDecoded, findings };
}
