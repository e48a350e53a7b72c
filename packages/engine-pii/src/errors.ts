/** Options every `PiiError` accepts: a `context` record (never secret material) and a `cause`. */
export interface PiiErrorOptions {
  readonly context?: Record<string, unknown>;
  readonly cause?: unknown;
}

/** Base error of `@engine/pii`: a stable `code`, a `context` record and an optional `cause`. */
export class PiiError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;
  constructor(code: string, message: string, options: PiiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/** Key material is missing, undecodable or too short; the message says which, never the key itself. */
export class KeyMaterialError extends PiiError {
  constructor(
    code: "PII_KEY_MISSING" | "PII_KEY_UNDECODABLE" | "PII_KEY_TOO_SHORT" | "PII_KEY_UNAVAILABLE",
    message: string,
    options: PiiErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** An optional package (such as `@aws-sdk/client-kms`) is needed for this call but is not installed. */
export class MissingDependencyError extends PiiError {
  /** The npm package to install. */
  readonly packageName: string;
  constructor(packageName: string, message: string, options: PiiErrorOptions = {}) {
    super("PII_MISSING_DEPENDENCY", message, { ...options, context: { packageName, ...options.context } });
    this.packageName = packageName;
  }
}

/** An argument is outside what the function accepts; the message says expected vs actual. */
export class PiiArgumentError extends PiiError {
  constructor(message: string, options: PiiErrorOptions = {}) {
    super("PII_INVALID_ARGUMENT", message, options);
  }
}
