import type { Catalog } from "@engine/iceberg";
import type { DuckDbSession } from "../duckdb/session.js";
import { quoteIdent } from "../internal/sql.js";
import { scanSql } from "../query/scan-sql.js";

/**
 * Resolves Engine table names for `referential` the way `engine.query` does: a view named
 * `"<namespace>"."<table>"` over the table's current snapshot (`scanSql`), or undefined when
 * the catalog has no such table.
 */
export function tableRelationResolver(session: DuckDbSession, catalog: Catalog): (name: string) => Promise<string | undefined> {
  return async (name) => {
    const i = name.lastIndexOf(".");
    if (i <= 0) return undefined;
    const id = { namespace: name.slice(0, i).split("."), name: name.slice(i + 1) };
    if (!(await catalog.tableExists(id))) return undefined;
    const table = await catalog.loadTable(id);
    const body = await scanSql(session, table);
    const schema = quoteIdent(name.slice(0, i));
    const view = `${schema}.${quoteIdent(id.name)}`;
    await session.run(`CREATE SCHEMA IF NOT EXISTS ${schema}; CREATE OR REPLACE VIEW ${view} AS ${body}`);
    return view;
  };
}
