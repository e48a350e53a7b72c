import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DuckDbSession, schemaMap, type Engine } from "@engine/core";
import { referencedFiles, type NestedField, type Table } from "@engine/iceberg";
import { PiiArgumentError } from "../errors.js";
import { readJournals, removeJournal, writeJournal, type Journal, type JournalTable } from "../internal/erasure-journal.js";
import { expireReferencing } from "../internal/expire-referencing.js";
import { stringList } from "../internal/parquet-sql.js";
import { ERASURE_ID_PROPERTY, localPathOf, rewriteWhere } from "../internal/rewrite-table.js";
import { scrubDeletedEntries } from "../internal/scrub-manifests.js";
import { quoteIdentifier, quoteString } from "../internal/sql.js";
import { integerBoundBytes, keyFilter, needleLabel, sqlLiteral, textNeedle, type Needle } from "../internal/subject-needles.js";
import { lineHoldsSubject, verifyFiles, walk, type DecodedCheck, type VerifyLocation } from "../internal/verify-files.js";
import { subjectKeyText, tokenize } from "../tokenize/tokenize.js";
import type { EraseOptions, ErasureCertificate, ErasureStage, SubjectTable, TableErasure } from "./erasure-types.js";
import { subjectTables } from "./subject-tables.js";

/** Where the engine quarantines rejected input (`<warehouse>/_engine/rejects/`). */
export function rejectsDir(warehouse: string): string {
  return path.join(warehouse, "_engine", "rejects");
}

interface Target {
  readonly spec: SubjectTable;
  table: Table;
  readonly column: NestedField;
  readonly literals: readonly string[];
  readonly texts: readonly string[];
  readonly keyFields: readonly NestedField[];
  readonly piiFields: readonly NestedField[];
}

function field(table: Table, name: string, what: string): NestedField {
  const f = table.schema().fields.find((x) => x.name === name);
  if (!f) throw new PiiArgumentError(`pii: erase: ${what}: expected a column of ${[...table.identifier.namespace, table.identifier.name].join(".")}, got ${JSON.stringify(name)}`);
  return f;
}

/**
 * Erases data subjects from every table that holds them and proves it: deletes their rows
 * copy-on-write (only files whose partitions or statistics may hold them are rewritten, delete
 * files applied), commits, drops the manifest entries that remembered the old files, expires the
 * snapshots that still reference them and deletes those files, removes the subject's lines from
 * quarantined rejects, then scans every file under the table locations and the rejects folder —
 * decoded and as raw bytes. Returns the erasure certificate; it says `erased` only when that scan
 * found nothing. A run that dies midway is finished by the next run with the same subjects.
 *
 * ```ts
 * const certificate = await eraseSubjects(engine, { subjects: [1234n], keyProvider: envKeyProvider() });
 * if (certificate.status !== "erased") throw new Error(JSON.stringify(certificate.verification.findings));
 * ```
 */
export async function eraseSubjects(engine: Engine, options: EraseOptions): Promise<ErasureCertificate> {
  const now = options.now ?? Date.now;
  const started = now();
  if (options.subjects.length === 0) throw new PiiArgumentError("pii: erase: subjects: expected at least one subject, got none");
  const graceMs = options.graceMs ?? 0;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new PiiArgumentError(`pii: erase: graceMs: expected a duration >= 0, got ${String(graceMs)}`);
  const key = options.keyProvider ? await options.keyProvider.getKey() : undefined;
  const texts = [...new Set(options.subjects.map(subjectKeyText))];
  const tokens = key ? texts.map((t) => tokenize(t, key)) : [];
  const hashes = [...new Set(key ? tokens : texts.map((t) => createHash("sha256").update(`engine.pii.subject:${t}`, "utf8").digest("hex")))].sort();
  const erasureId = createHash("sha256").update(hashes.join("\n")).digest("hex").slice(0, 16);
  const warehouse = engine.warehouse;
  const stage = async (s: ErasureStage, table?: string): Promise<void> => {
    await options.onStage?.({ stage: s, erasureId, ...(table !== undefined ? { table } : {}) });
  };

  const journals = await readJournals(warehouse);
  const previous = journals.find((j) => j.erasureId === erasureId);
  const otherPending = journals.filter((j) => j.erasureId !== erasureId).map((j) => ({ erasureId: j.erasureId, startedAt: j.startedAt, stage: journalStage(j) }));
  const resumed = previous ? { startedAt: previous.startedAt, stage: journalStage(previous) } : undefined;
  const journal: Journal = previous ?? { erasureId, startedAt: new Date(started).toISOString(), subjectHashes: hashes, graceMs, tables: {} };

  const specs = options.tables ?? (await subjectTables(engine));
  const session = await DuckDbSession.create();
  try {
    // Resolve the targets and what identifies the subject in each.
    const targets: Target[] = [];
    for (const spec of specs) {
      const table = await engine.catalog.loadTable(identifier(spec.table));
      const column = field(table, spec.column, "column");
      if (spec.match === "token" && !key) throw new PiiArgumentError(`pii: erase: ${spec.table} matches subjects by token: expected a keyProvider, got none`);
      const values = spec.match === "token" ? tokens : texts;
      targets.push({
        spec, table, column, texts: values, literals: values.map((v) => sqlLiteral(column.type, v)),
        keyFields: (spec.keyColumns ?? []).map((c) => field(table, c, "keyColumns")),
        piiFields: (spec.piiColumns ?? []).map((c) => field(table, c, "piiColumns")),
      });
    }

    // The subject's PII values, read from every Parquet file still on disk (old snapshots too, so a resumed run finds them).
    const piiValues = new Set<string>();
    for (const t of targets) for (const v of await subjectPiiValues(session, t)) piiValues.add(v);
    const needles: Needle[] = [...[...piiValues].map(textNeedle), ...tokens.map(textNeedle), ...texts.map(textNeedle)];
    const locations = targets.map((t) => verifyLocation(t, texts, [...piiValues]));
    const verifyInput = { session, locations, rejectsDirs: [rejectsDir(warehouse)], needles, lineTokens: [...texts, ...tokens] };
    const before = await verifyFiles(verifyInput);

    // 1–2: rewrite and commit, then drop DELETED manifest entries (their bounds).
    for (const t of targets) {
      const jt: JournalTable = journal.tables[t.spec.table] ??= {
        stage: "planned", snapshotBefore: t.table.currentSnapshot()?.snapshotId.toString() ?? null,
        snapshotsBefore: t.table.snapshots().map((s) => s.snapshotId.toString()), removedPaths: [], filesRewritten: [], deleteFilesRemoved: [], rowsErased: 0,
      };
      await writeJournal(warehouse, journal);
      await stage("planned", t.spec.table);
      const r = await rewriteWhere({
        session, table: t.table, match: `${quoteIdentifier(t.column.name)} IN (${t.literals.join(", ")})`, matchFields: [t.column],
        filter: keyFilter(t.column.name, t.column.type, t.texts), tag: { property: ERASURE_ID_PROPERTY, value: erasureId }, filePrefix: `erased-${erasureId}`,
      });
      jt.removedPaths.push(...r.removedPaths);
      jt.filesRewritten.push(...r.filesRewritten);
      jt.deleteFilesRemoved.push(...r.deleteFilesRemoved);
      jt.rowsErased += r.rowsRemoved;
      if (r.snapshotId !== undefined) jt.erasureSnapshotId = r.snapshotId.toString();
      t.table = await scrubDeletedEntries(r.table, erasureId);
      if (jt.stage === "planned") jt.stage = "committed";
      await writeJournal(warehouse, journal);
      await stage("committed", t.spec.table);
    }
    const rejectsRewritten = await eraseRejects(rejectsDir(warehouse), needles, [...texts, ...tokens]);

    const expireAfterMs = Date.parse(journal.startedAt) + graceMs;
    const expired = new Map<string, { snapshots: string[]; files: string[]; blocking: string[] }>();
    if (now() < expireAfterMs) {
      journal.expireAfter = new Date(expireAfterMs).toISOString();
      await writeJournal(warehouse, journal);
    } else {
      // 3: expire what still references the old files, delete them and older orphans.
      for (const t of targets) {
        const jt = journal.tables[t.spec.table]!;
        const holds = async (location: string): Promise<boolean> => holdsSubject(session, t, location);
        const r = await expireReferencing(t.table, new Set(jt.removedPaths), holds, Date.parse(journal.startedAt));
        t.table = r.table;
        expired.set(t.spec.table, { snapshots: r.expired.map(String), files: [...r.filesRemoved], blocking: [...r.blockingRefs] });
        jt.stage = "expired";
        await writeJournal(warehouse, journal);
        await stage("expired", t.spec.table);
      }
    }

    // 4: verify.
    let verification = await verifyFiles(verifyInput);
    if (verification.outcome !== "clean" && expired.size > 0) {
      // A killed earlier attempt can leave files it wrote but never committed (a rewritten
      // manifest holds the subject's bounds). Being unreferenced and newer than the journal they
      // escape the orphan sweep; any unreferenced file that holds the subject goes, then verify again.
      const removed = await removeUnreferencedFindings(targets, verification.findings.map((f) => f.file));
      for (const [table, files] of removed) expired.get(table)?.files.push(...files);
      if (removed.size > 0) verification = await verifyFiles(verifyInput);
    }
    await stage("verified");
    const blocked = [...expired.values()].some((e) => e.blocking.length > 0);
    const status: ErasureCertificate["status"] = expired.size === 0 && targets.length > 0 ? "pending-expiry"
      : verification.outcome === "clean" && !blocked ? "erased" : "failed";
    if (status === "erased") await removeJournal(warehouse, erasureId);

    const tables: TableErasure[] = targets.map((t) => {
      const jt = journal.tables[t.spec.table]!;
      const e = expired.get(t.spec.table);
      return {
        table: t.spec.table, column: t.spec.column, match: t.spec.match ?? "value", location: t.table.location(),
        snapshotBefore: jt.snapshotBefore, snapshotsBefore: jt.snapshotsBefore,
        snapshotAfter: t.table.currentSnapshot()?.snapshotId.toString() ?? null,
        snapshotsAfter: t.table.snapshots().map((s) => s.snapshotId.toString()),
        snapshotsExpired: e?.snapshots ?? [], rowsErased: jt.rowsErased, filesRewritten: jt.filesRewritten,
        deleteFilesRemoved: jt.deleteFilesRemoved, filesRemoved: e?.files ?? [], blockingRefs: e?.blocking ?? [],
      };
    });
    return {
      kind: "engine.pii.erasure-certificate",
      version: 1,
      erasureId,
      status,
      subjects: { algorithm: key ? "hmac-sha256" : "sha256", ...(options.keyProvider ? { keyId: options.keyProvider.id } : {}), hashes },
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(now()).toISOString(),
      ...(resumed ? { resumed } : {}),
      graceMs,
      ...(journal.expireAfter !== undefined && status === "pending-expiry" ? { expireAfter: journal.expireAfter } : {}),
      tables,
      rejectsRewritten,
      before: { findings: before.findings.length, files: new Set(before.findings.map((f) => f.file)).size },
      verification,
      otherPending,
    };
  } finally {
    session.close();
  }
}

function identifier(name: string): { namespace: string[]; name: string } {
  const parts = name.split(".");
  return { namespace: parts.slice(0, -1), name: parts[parts.length - 1]! };
}

function journalStage(j: Journal): string {
  const stages = Object.values(j.tables).map((t) => t.stage);
  if (stages.length === 0) return "planned";
  // The furthest stage any table reached: "committed" means a rewrite is in and old snapshots may still hold the subject.
  return stages.every((s) => s === "expired") ? "expired" : stages.some((s) => s !== "planned") ? "committed" : "planned";
}

async function parquetFiles(t: Target): Promise<string[]> {
  const out: string[] = [];
  for await (const f of walk(localPathOf(t.table, t.table.location()))) if (f.endsWith(".parquet")) out.push(f);
  return out;
}

async function hasField(session: DuckDbSession, file: string, id: number): Promise<boolean> {
  const r = await session.query(`SELECT count(*) FROM parquet_schema(${quoteString(file)}) WHERE field_id = ${id}`);
  return Number(r.columns[0]?.[0] ?? 0) > 0;
}

async function subjectPiiValues(session: DuckDbSession, t: Target): Promise<string[]> {
  const cols = t.piiFields.filter((f) => f.type.kind === "primitive" && f.type.name === "string");
  if (cols.length === 0 || t.literals.length === 0) return [];
  const files: string[] = [];
  for (const f of await parquetFiles(t)) if (await hasField(session, f, t.column.id)) files.push(f);
  if (files.length === 0) return [];
  const match = `${quoteIdentifier(t.column.name)} IN (${t.literals.join(", ")})`;
  const r = await session.query(
    `SELECT DISTINCT v FROM (SELECT unnest([${cols.map((c) => quoteIdentifier(c.name)).join(", ")}]) AS v FROM read_parquet(${stringList(files)}, schema = ${schemaMap([t.column, ...cols])}) WHERE ${match}) WHERE v IS NOT NULL AND length(v) >= 4`,
  );
  return (r.columns[0] ?? []).map(String);
}

async function holdsSubject(session: DuckDbSession, t: Target, location: string): Promise<boolean> {
  const file = localPathOf(t.table, location);
  if (!file.endsWith(".parquet") || !(await hasField(session, file, t.column.id))) return false;
  const r = await session.query(`SELECT count(*) FROM read_parquet(${stringList([file])}, schema = ${schemaMap([t.column])}) WHERE ${quoteIdentifier(t.column.name)} IN (${t.literals.join(", ")})`);
  return Number(r.columns[0]?.[0] ?? 0) > 0;
}

function verifyLocation(t: Target, keyTexts: readonly string[], piiValues: readonly string[]): VerifyLocation {
  const checks: DecodedCheck[] = [
    { field: t.column, literals: t.literals, labels: t.texts.map(needleLabel) },
    ...t.keyFields.map((f) => ({ field: f, literals: keyTexts.map((k) => sqlLiteral(f.type, k)), labels: keyTexts.map(needleLabel) })),
    ...t.piiFields.map((f) => ({ field: f, literals: piiValues.map((v) => sqlLiteral(f.type, v)), labels: piiValues.map(needleLabel) })),
  ];
  const boundBytes = new Map<number, { label: string; bytes: Uint8Array }[]>();
  const addBounds = (f: NestedField, values: readonly string[]): void => {
    const list = values.map((v) => ({ label: needleLabel(v), bytes: integerBoundBytes(f.type, v) ?? Buffer.from(v, "utf8") }));
    boundBytes.set(f.id, [...(boundBytes.get(f.id) ?? []), ...list]);
  };
  addBounds(t.column, t.texts);
  for (const f of t.keyFields) addBounds(f, keyTexts);
  return { dir: localPathOf(t.table, t.table.location()), checks, boundBytes };
}

/** Removes the subject's lines from every quarantine file; returns the files changed. */
async function eraseRejects(dir: string, needles: readonly Needle[], tokens: readonly string[]): Promise<string[]> {
  const changed: string[] = [];
  for await (const file of walk(dir)) {
    const text = await readFile(file, "utf8");
    const lines = text.split("\n");
    const kept = lines.filter((l) => lineHoldsSubject(l, needles, tokens) === undefined);
    if (kept.length === lines.length) continue;
    await writeFile(file, kept.join("\n"));
    changed.push(file);
  }
  return changed;
}

/** Deletes the files among `found` that lie under a target table and that no metadata references; returns them per table. */
async function removeUnreferencedFindings(targets: readonly Target[], found: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const files = [...new Set(found)];
  for (const t of targets) {
    const root = localPathOf(t.table, t.table.location()).replace(/\/+$/, "") + path.sep;
    const referenced = new Set([...(await referencedFiles(t.table))].map((p) => localPathOf(t.table, p)));
    const orphans = files.filter((f) => f.startsWith(root) && !referenced.has(f));
    for (const f of orphans) await rm(f, { force: true });
    if (orphans.length > 0) out.set(t.spec.table, orphans);
  }
  return out;
}
