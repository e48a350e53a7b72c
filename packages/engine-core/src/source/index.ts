export { openSource, PROVENANCE_COLUMN, type SourceRead, type OpenSourceOptions } from "./read-sql.js";
export { resolveSourcePattern, listSourceFiles, displayPath, type SourceFile, type ResolveOptions } from "./paths.js";
export { sourceErrorFrom, countFields, type ErrorDialect } from "./errors.js";
export { stageMemoryData, type StagedMemoryData } from "./memory.js";
export { csvQuarantine, csvRejectsSql, quarantinePolicy, type QuarantineRead } from "./quarantine.js";
export { prepareJsonQuarantine, LINE_COLUMN } from "./quarantine-json.js";
