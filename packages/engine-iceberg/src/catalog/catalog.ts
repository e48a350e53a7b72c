import type { PartitionField, SortOrder } from "../spec/partition-spec.js";
import type { Schema } from "../spec/schema.js";
import type { TableMetadata } from "../spec/table-metadata.js";
import type { Table } from "../table/table.js";
import type { TableRequirement, TableUpdate } from "../transaction/updates.js";

/** A table's name: its namespace levels and its own name. */
export interface TableIdentifier {
  readonly namespace: readonly string[];
  readonly name: string;
}

/** What a new table starts with; field ids in the schema and spec are kept as given. */
export interface CreateTableOptions {
  readonly schema: Schema;
  /** Partition fields (field ids from 1000 up); empty or absent means unpartitioned. */
  readonly partitionFields?: readonly PartitionField[];
  readonly sortOrder?: SortOrder;
  readonly properties?: Readonly<Record<string, string>>;
  /** Defaults to `<warehouse>/<namespace…>/<name>`. */
  readonly location?: string;
  /** Defaults to 2. */
  readonly formatVersion?: 1 | 2;
}

/** The result of an atomic commit: the new metadata and where it was written. */
export interface CommitResult {
  readonly metadata: TableMetadata;
  readonly metadataLocation: string;
}

/** A catalog of Iceberg tables. Catalogs implement only the atomic swap; changes are `TableUpdate` data. */
export interface Catalog {
  readonly name: string;
  listNamespaces(): Promise<string[][]>;
  createNamespace(namespace: readonly string[], properties?: Readonly<Record<string, string>>): Promise<void>;
  namespaceExists(namespace: readonly string[]): Promise<boolean>;
  listTables(namespace: readonly string[]): Promise<TableIdentifier[]>;
  createTable(id: TableIdentifier, options: CreateTableOptions): Promise<Table>;
  loadTable(id: TableIdentifier): Promise<Table>;
  tableExists(id: TableIdentifier): Promise<boolean>;
  dropTable(id: TableIdentifier, options?: { purge?: boolean }): Promise<void>;
  renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void>;
  /** Checks the requirements against the current metadata, applies the updates and swaps atomically; throws CommitFailedError on a lost race. */
  commitTable(id: TableIdentifier, requirements: readonly TableRequirement[], updates: readonly TableUpdate[]): Promise<CommitResult>;
}
