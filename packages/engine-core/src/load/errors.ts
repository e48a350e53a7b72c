import { EngineError } from "../errors.js";

/** A load failed after its source was read: a cast, a required column, the write or the commit. Nothing was committed. */
export class LoadError extends EngineError {
  constructor(message: string, options: { code?: string; context?: Record<string, unknown>; cause?: unknown } = {}) {
    super(options.code ?? "LOAD_FAILED", message, options);
  }
}
