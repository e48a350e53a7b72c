import type { NestedField } from "./types.js";

/** An Iceberg schema: a struct with an id and optional identifier (key) fields. */
export interface Schema {
  readonly schemaId: number;
  readonly fields: readonly NestedField[];
  readonly identifierFieldIds?: readonly number[];
}
