export { Engine, type EngineOptions, type LoadOptions, type QueryOptions, type HistoryEntry, type RemapOption, type CatalogOptions, type S3Options, type AthenaEngineOptions } from "./engine.js";
