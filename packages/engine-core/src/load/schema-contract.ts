// The schema contract of a load into an existing table (`schemaEvolution`): the spec's columns
// against the table's. A spec column the table lacks is added as optional (`evolve`) or fails
// the load naming it (`fail`, the default); a type that differs fails either way (type
// promotion is not done by loads). Source columns the spec does not list are ignored: the spec
// is the contract, and `validate: [{ columns: exact }]` is how to insist the source matches it.

import { typeToString, type IcebergType, type Schema, type Table } from "@engine/iceberg";
import { parseSpecType } from "../internal/type-parse.js";
import type { TableSpec } from "../spec/table-spec.js";
import { LoadError } from "./errors.js";
import { addColumns } from "./table-actions.js";

/** What the contract found: columns to add (evolve) — empty when the table already matches. */
export interface SchemaDiff {
  readonly added: readonly { readonly name: string; readonly type: IcebergType; readonly doc?: string }[];
}

/** Compares the spec to the table's schema; throws for changed types and (policy `fail`) for new columns. */
export function checkSchemaContract(spec: TableSpec, schema: Schema): SchemaDiff {
  const added: { name: string; type: IcebergType; doc?: string }[] = [];
  for (const c of spec.columns) {
    const field = schema.fields.find((f) => f.name === c.name);
    const type = parseSpecType(c.type);
    if (!field) {
      added.push({ name: c.name, type, ...(c.doc ? { doc: c.doc } : {}) });
      continue;
    }
    const want = typeToString(type);
    const have = typeToString(field.type);
    if (want !== have && (field.type.kind === "primitive" || field.type.kind === "decimal" || field.type.kind === "fixed")) {
      throw new LoadError(`load: column ${c.name}: the spec says ${want} but table ${spec.table} has ${have} (changing a column's type is not done by loads)`, { code: "SCHEMA_MISMATCH", context: { column: c.name, expected: have, actual: want } });
    }
  }
  if (added.length > 0 && spec.schemaEvolution !== "evolve") {
    const names = added.map((a) => a.name).join(", ");
    throw new LoadError(`load: column${added.length === 1 ? "" : "s"} ${names} ${added.length === 1 ? "is" : "are"} in the spec but not in table ${spec.table} (schemaEvolution: fail; set schemaEvolution: evolve to add ${added.length === 1 ? "it" : "them"})`, { code: "SCHEMA_MISMATCH", context: { columns: added.map((a) => a.name) } });
  }
  return { added };
}

/** Applies the contract: adds the new columns as optional ones and returns the refreshed table. */
export async function evolveSchema(table: Table, diff: SchemaDiff): Promise<Table> {
  if (diff.added.length === 0) return table;
  return addColumns(table, diff.added);
}
