export { Engine, type EngineOptions, type LoadOptions, type QueryOptions, type HistoryEntry, type RemapOption } from "./engine.js";
