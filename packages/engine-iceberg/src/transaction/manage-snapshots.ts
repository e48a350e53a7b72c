import { InvalidChangeError } from "../errors.js";
import type { Table } from "../table/table.js";
import { commitMetadataChange } from "./metadata-commit.js";
import type { TableRequirement, TableUpdate } from "./updates.js";

type RefOp =
  | { kind: "create"; name: string; type: "branch" | "tag"; snapshotId: bigint | undefined }
  | { kind: "remove"; name: string; type: "branch" | "tag" }
  | { kind: "set"; name: string; snapshotId: bigint };

/**
 * Creates and removes tags and branches, and moves branches (e.g. a rollback of `main`).
 *
 * ```ts
 * await table.manageSnapshots().createTag("v1", snapshotId).commit();
 * ```
 */
export class ManageSnapshots {
  private readonly ops: RefOp[] = [];

  constructor(private readonly table: Table) {}

  /** Tags a snapshot; the name must be new. */
  createTag(name: string, snapshotId: bigint): this {
    this.ops.push({ kind: "create", name, type: "tag", snapshotId });
    return this;
  }

  /** Removes a tag. */
  removeTag(name: string): this {
    this.ops.push({ kind: "remove", name, type: "tag" });
    return this;
  }

  /** Creates a branch at a snapshot (default: the current one); the name must be new. */
  createBranch(name: string, snapshotId?: bigint): this {
    this.ops.push({ kind: "create", name, type: "branch", snapshotId });
    return this;
  }

  /** Removes a branch other than `main`. */
  removeBranch(name: string): this {
    if (name === "main") throw new InvalidChangeError("snapshots: removeBranch: expected a branch other than main, got main");
    this.ops.push({ kind: "remove", name, type: "branch" });
    return this;
  }

  /** Points a branch (default `main`) at a snapshot of the table, e.g. to roll back. */
  setBranchSnapshot(snapshotId: bigint, branch = "main"): this {
    this.ops.push({ kind: "set", name: branch, snapshotId });
    return this;
  }

  /** Commits the changes; returns the updated table. */
  async commit(): Promise<Table> {
    return commitMetadataChange(this.table, "manage-snapshots", (base) => {
      const requirements: TableRequirement[] = [];
      const updates: TableUpdate[] = [];
      const refs = { ...base.metadata.refs };
      // One requirement per ref: its state in the base, before any of this change's ops.
      const seen = new Set<string>();
      const assertRef = (name: string): void => {
        if (seen.has(name)) return;
        seen.add(name);
        requirements.push({ type: "assert-ref-snapshot-id", ref: name, snapshotId: base.metadata.refs[name]?.snapshotId ?? null });
      };
      for (const op of this.ops) {
        const cur = refs[op.name];
        if (op.kind === "create") {
          if (cur) throw new InvalidChangeError(`snapshots: create ${op.type} ${op.name}: expected a new ref name, got an existing ${cur.type}`);
          const id = op.snapshotId ?? base.currentSnapshot()?.snapshotId;
          if (id === undefined || !base.snapshot(id)) throw new InvalidChangeError(`snapshots: create ${op.type} ${op.name}: expected a snapshot of the table, got ${id ?? "none (empty table)"}`);
          assertRef(op.name);
          updates.push({ action: "set-snapshot-ref", refName: op.name, snapshotId: id, type: op.type });
          refs[op.name] = { snapshotId: id, type: op.type };
        } else if (op.kind === "remove") {
          if (!cur || cur.type !== op.type) throw new InvalidChangeError(`snapshots: remove ${op.type} ${op.name}: expected an existing ${op.type}, got ${cur ? `a ${cur.type}` : "none"}`);
          assertRef(op.name);
          updates.push({ action: "remove-snapshot-ref", refName: op.name });
          delete refs[op.name];
        } else {
          if (cur && cur.type !== "branch") throw new InvalidChangeError(`snapshots: set ${op.name}: expected a branch, got a tag`);
          if (!base.snapshot(op.snapshotId)) throw new InvalidChangeError(`snapshots: set ${op.name}: expected a snapshot of the table, got ${op.snapshotId}`);
          assertRef(op.name);
          updates.push({ action: "set-snapshot-ref", refName: op.name, snapshotId: op.snapshotId, type: "branch" });
          refs[op.name] = { ...(cur ?? {}), snapshotId: op.snapshotId, type: "branch" };
        }
      }
      return { requirements, updates };
    });
  }
}
