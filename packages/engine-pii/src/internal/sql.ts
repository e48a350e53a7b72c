// SQL text helpers shared by the DuckDB and Trino builders (both follow standard quoting).

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `db.table` → `"db"."table"`. */
export function quoteQualifiedName(name: string): string {
  return name.split(".").map(quoteIdentifier).join(".");
}

export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
