// Athena maintenance of Iceberg tables: compaction and snapshot expiry as Athena runs them.
import { runAthenaQuery, type AthenaQueryOptions, type AthenaQueryResult } from "../athena/run-query.js";

const ident = (name: string): string => name.split(".").map((p) => `"${p.replaceAll('"', '""')}"`).join(".");

/** The OPTIMIZE statement of a table (`db.table`), with an optional WHERE on partition columns. */
export function optimizeSql(table: string, where?: string): string {
  return `OPTIMIZE ${ident(table)} REWRITE DATA USING BIN_PACK${where ? ` WHERE ${where}` : ""}`;
}

/** The VACUUM statement of a table (expires snapshots and removes orphans per the table's properties). */
export function vacuumSql(table: string): string {
  return `VACUUM ${ident(table)}`;
}

/** Compacts small files of an Iceberg table with Athena's OPTIMIZE … REWRITE DATA USING BIN_PACK. */
export function optimize(table: string, o: AthenaQueryOptions & { readonly where?: string } = {}): Promise<AthenaQueryResult> {
  return runAthenaQuery(optimizeSql(table, o.where), { ...o, fetchRows: false });
}

/** Expires old snapshots and deletes unreferenced files of an Iceberg table with Athena's VACUUM. */
export function vacuum(table: string, o: AthenaQueryOptions = {}): Promise<AthenaQueryResult> {
  return runAthenaQuery(vacuumSql(table), { ...o, fetchRows: false });
}
