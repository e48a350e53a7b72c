export { DuckDbSession, DuckDbError, type DuckDbSessionOptions, type DuckDbRows } from "./session.js";
export { toArrowTable, toArrowData } from "./arrow.js";
export { duckDbType, fieldIdsValue } from "./types.js";
