export { openSource, PROVENANCE_COLUMN, type SourceRead, type OpenSourceOptions } from "./read-sql.js";
export { resolveSourcePattern, listSourceFiles, displayPath, type SourceFile, type ResolveOptions } from "./paths.js";
export { sourceErrorFrom, countFields, type ErrorDialect } from "./errors.js";
export { stageMemoryData, type StagedMemoryData } from "./memory.js";
