import type { KeyProvider } from "../tokenize/key-provider.js";

/** A data subject's key as the subject column holds it: text, or an integer. */
export type SubjectKey = string | bigint | number;

/**
 * One table that holds data subjects and how to find them: rows whose `column` equals the
 * subject key (`match: "value"`, default) or the subject's token (`match: "token"`, the main and
 * vault tables `separationSpecs` derives); `piiColumns` are checked by value during verification.
 */
export interface SubjectTable {
  /** `namespace.table` in the engine's catalog. */
  readonly table: string;
  readonly column: string;
  readonly match?: "value" | "token";
  /** String columns whose values of the subject's rows are searched for after the erasure. */
  readonly piiColumns?: readonly string[];
  /** Other columns that hold the subject key itself (a vault keeps it beside the token), checked by value after the erasure. */
  readonly keyColumns?: readonly string[];
}

/** The stages an erasure goes through, in order, as reported to `onStage`. */
export type ErasureStage = "planned" | "committed" | "expired" | "verified";

/** What `onStage` receives. */
export interface ErasureStageEvent {
  readonly stage: ErasureStage;
  readonly erasureId: string;
  /** The table the stage finished for; absent for run-wide stages (`verified`). */
  readonly table?: string;
}

/** Options of `eraseSubjects`. */
export interface EraseOptions {
  /** The subjects to erase (one or a batch). */
  readonly subjects: readonly SubjectKey[];
  /** The tables to erase from; default: every catalog table `subjectTables` finds. */
  readonly tables?: readonly SubjectTable[];
  /** Needed for tables matched by token, and to hash subjects in the certificate with the key (else SHA-256). */
  readonly keyProvider?: KeyProvider;
  /**
   * Keep the snapshots that still reference the subject's old files this long (ms) before expiring
   * them; default 0 (erasure means gone). With a grace period the certificate says
   * `pending-expiry` until a later run with the same subjects finishes the job.
   */
  readonly graceMs?: number;
  /** Called after each stage; an `await`ed callback pauses the erasure (tests use it to crash it). */
  readonly onStage?: (event: ErasureStageEvent) => void | Promise<void>;
  /** The clock (default `Date.now`). */
  readonly now?: () => number;
}

/** Per table: what the erasure did. */
export interface TableErasure {
  readonly table: string;
  readonly column: string;
  readonly match: "value" | "token";
  readonly location: string;
  /** The current snapshot before the erasure and every snapshot id the table had then. */
  readonly snapshotBefore: string | null;
  readonly snapshotsBefore: readonly string[];
  /** The current snapshot after it and every snapshot id left. */
  readonly snapshotAfter: string | null;
  readonly snapshotsAfter: readonly string[];
  /** Snapshots removed because they referenced the subject's old files. */
  readonly snapshotsExpired: readonly string[];
  /** Rows of the subject removed from live data (0 on a resumed run whose rewrite was already committed). */
  readonly rowsErased: number;
  /** Old data file → its rewrite (null: dropped, nothing else was in it). */
  readonly filesRewritten: readonly { readonly from: string; readonly to: string | null }[];
  /** Delete files dropped because they only applied to rewritten files. */
  readonly deleteFilesRemoved: readonly string[];
  /** Every file deleted from storage (old data, delete files, manifests, manifest lists, orphans). */
  readonly filesRemoved: readonly string[];
  /** Refs other than `main` that keep old snapshots alive (erasure cannot finish while they exist). */
  readonly blockingRefs: readonly string[];
}

/** One place verification still found the subject. */
export interface ErasureFinding {
  readonly file: string;
  /** How it was found: decoded rows (DuckDB), decoded Avro values, or raw bytes. */
  readonly how: "rows" | "avro" | "bytes" | "json-lines";
  /** Which needle matched, as a hashed label (never the value). */
  readonly needle: string;
  readonly detail?: string;
}

/** What verification saw. */
export interface ErasureVerification {
  /** `clean`: nothing found; `found`: the subject is still somewhere (see findings). */
  readonly outcome: "clean" | "found";
  readonly filesScanned: number;
  readonly parquetFilesDecoded: number;
  readonly avroFilesDecoded: number;
  readonly findings: readonly ErasureFinding[];
}

/**
 * The erasure certificate: JSON a data-protection officer can file. It names subjects only by
 * hash, and says `erased` only when verification scanned every file and found nothing.
 */
export interface ErasureCertificate {
  readonly kind: "engine.pii.erasure-certificate";
  readonly version: 1;
  readonly erasureId: string;
  /** `erased`: verified clean; `pending-expiry`: rewritten, old snapshots kept for the grace period; `failed`: verification found the subject. */
  readonly status: "erased" | "pending-expiry" | "failed";
  readonly subjects: { readonly algorithm: "hmac-sha256" | "sha256"; readonly keyId?: string; readonly hashes: readonly string[] };
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Set when this run finished an erasure an earlier run left unfinished (crash or grace period). */
  readonly resumed?: { readonly startedAt: string; readonly stage: string };
  readonly graceMs: number;
  readonly expireAfter?: string;
  readonly tables: readonly TableErasure[];
  /** Quarantine (rejects) files the subject's lines were removed from. */
  readonly rejectsRewritten: readonly string[];
  /** Before: where the subject was found (the same scan as verification). */
  readonly before: { readonly findings: number; readonly files: number };
  readonly verification: ErasureVerification;
  /** Other erasures still unfinished in this warehouse (their subject hashes), for the operator. */
  readonly otherPending: readonly { readonly erasureId: string; readonly startedAt: string; readonly stage: string }[];
}
