export { QueryResult } from "./query-result.js";
export { scanSql, scanTasksSql, schemaMap, type SnapshotSelector } from "./scan-sql.js";
export { referencedTables } from "./table-refs.js";
