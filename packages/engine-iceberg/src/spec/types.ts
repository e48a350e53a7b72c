// Iceberg types as data. Spec: "Schemas and Data Types" — primitives are named by strings in
// JSON (`"long"`, `"decimal(10,2)"`, `"fixed[16]"`); nested types are objects.

/** A primitive Iceberg type name as it appears in table metadata JSON. */
export type PrimitiveTypeName =
  | "boolean" | "int" | "long" | "float" | "double" | "date" | "time" | "timestamp"
  | "timestamptz" | "timestamp_ns" | "timestamptz_ns" | "string" | "uuid" | "binary";

/** A primitive Iceberg type. */
export type PrimitiveType =
  | { readonly kind: "primitive"; readonly name: PrimitiveTypeName }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "fixed"; readonly length: number };

/** A field of a struct (and of a schema), identified by its field id. */
export interface NestedField {
  readonly id: number;
  readonly name: string;
  readonly required: boolean;
  readonly type: IcebergType;
  readonly doc?: string;
  readonly initialDefault?: unknown;
  readonly writeDefault?: unknown;
}

/** A struct type. */
export interface StructType { readonly kind: "struct"; readonly fields: readonly NestedField[] }
/** A list type; the element has its own field id. */
export interface ListType {
  readonly kind: "list"; readonly elementId: number; readonly elementRequired: boolean; readonly element: IcebergType;
}
/** A map type; key and value have their own field ids. */
export interface MapType {
  readonly kind: "map"; readonly keyId: number; readonly key: IcebergType;
  readonly valueId: number; readonly valueRequired: boolean; readonly value: IcebergType;
}
/** Any Iceberg type. */
export type IcebergType = PrimitiveType | StructType | ListType | MapType;
