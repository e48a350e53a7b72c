// A load as data: an immutable chain of frozen nodes, each with a `kind`, that every compiler
// (DuckDB now; Athena and Spark later) walks the same way. Nothing here knows SQL dialects.
import type { IcebergType, NestedField, Transform } from "@engine/iceberg";
import type { WriteFilter, WriteMode } from "../spec/table-spec.js";

/** Reads the source into a relation named `source`. */
export interface StageNode {
  readonly kind: "stage";
  readonly format: "csv" | "json" | "parquet";
  /** The engine-specific read expression (for DuckDB a table-function call). */
  readonly relation: string;
  readonly columns: readonly string[];
}

/** The user's SQL over the relation `source`. */
export interface TransformNode {
  readonly kind: "transform";
  readonly sql: string;
}

/** One target column: where its value comes from and the Iceberg type it is cast to. */
export interface CastColumn {
  readonly name: string;
  readonly fieldId: number;
  readonly type: IcebergType;
  readonly required: boolean;
  /** A source column name, or a SQL expression when `isExpression`; absent when the source lacks the column (NULL). */
  readonly from?: string;
  readonly isExpression: boolean;
}

/** Casts every column to the table's type and checks required columns. */
export interface CastNode {
  readonly kind: "cast";
  readonly columns: readonly CastColumn[];
  /** merge: an input column whose text equal to `value` marks a row as a delete. */
  readonly deleteMarker?: { readonly from: string; readonly value: string };
}

/** Removes duplicates: exact rows, or one row per key by an order. */
export interface DedupeNode {
  readonly kind: "dedupe";
  readonly keep: "exact" | "latest" | "first";
  readonly key: readonly string[];
  readonly orderBy: readonly string[];
  /** Every column, used as the final deterministic tie-break. */
  readonly allColumns: readonly string[];
  /** Keep only rows whose key the table does not hold yet (anti-join with its live keys). */
  readonly against: boolean;
}

/** One partition field with its source column and transform. */
export interface PartitionFieldPlan {
  readonly name: string;
  readonly fieldId: number;
  readonly sourceColumn: string;
  readonly sourceId: number;
  readonly sourceType: IcebergType;
  readonly transform: Transform;
  readonly resultType: IcebergType;
}

/** Computes partition values for each row. */
export interface PartitionNode {
  readonly kind: "partition";
  readonly fields: readonly PartitionFieldPlan[];
}

/** Writes Parquet data files with field ids and statistics into the table's data folder. */
export interface WriteNode {
  readonly kind: "write";
  readonly mode: WriteMode;
  /** Folder the data files go to (local path for DuckDB). */
  readonly dataPath: string;
  /** Unique per attempt; starts every file name so a failed attempt's files can be found. */
  readonly filePrefix: string;
  readonly fields: readonly NestedField[];
  readonly targetFileSizeBytes: number;
  readonly rowGroupSize: number;
  /** merge: the key columns rows are matched on. */
  readonly key: readonly string[];
  /**
   * merge: order columns of a conditional update: an incoming row older than the table's row
   * (by these columns, NULL lowest) leaves the table's row in place. Empty: always update.
   */
  readonly mergeOrderBy: readonly string[];
  /** overwrite / replace-partitions: the rows replaced; absent replaces the whole table (or the batch's partitions). */
  readonly filter?: WriteFilter;
}

/** Any node of a load plan. */
export type LoadNode = StageNode | TransformNode | CastNode | DedupeNode | PartitionNode | WriteNode;

/** A whole load: stage → transform? → cast → dedupe? → partition? → write (see `DuckDbLoadCompiler`). */
export interface LoadPlan {
  readonly kind: "load";
  readonly table: string;
  readonly stage: StageNode;
  readonly transform?: TransformNode;
  readonly cast: CastNode;
  readonly dedupe?: DedupeNode;
  readonly partition?: PartitionNode;
  readonly write: WriteNode;
}

/** Freezes a node and its arrays deeply, so plans cannot change after they are built. */
export function freezeNode<T>(node: T): T {
  if (node !== null && typeof node === "object" && !Object.isFrozen(node)) {
    for (const v of Object.values(node as object)) freezeNode(v);
    Object.freeze(node);
  }
  return node;
}
