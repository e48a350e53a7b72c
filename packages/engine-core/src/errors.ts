import type { ValidationOutcome } from "./validate/outcome.js";

/** Base error of `@engine/core`: a stable `code`, a `context` record and an optional `cause`. */
export class EngineError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;
  constructor(code: string, message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** A spec does not follow the schema; the message names the spec path, what was expected and what was found. */
export class SpecError extends EngineError {
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown } = {}) {
    super("SPEC_INVALID", message, options);
  }
}

/** A source could not be read: the message names the file and, where known, the line and column. */
export class SourceError extends EngineError {
  constructor(message: string, options: { code?: string; context?: Record<string, unknown>; cause?: unknown } = {}) {
    super(options.code ?? "SOURCE_INVALID", message, options);
  }
}

/** A validation rule of severity `error` failed; nothing was committed. `outcomes` holds every rule's outcome of the load so far. */
export class ValidationFailedError extends EngineError {
  readonly outcomes: readonly ValidationOutcome[];
  constructor(message: string, options: { context?: Record<string, unknown>; cause?: unknown; outcomes?: readonly ValidationOutcome[] } = {}) {
    super("VALIDATION_FAILED", message, options);
    this.outcomes = options.outcomes ?? [];
  }
}
