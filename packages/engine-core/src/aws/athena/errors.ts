import { EngineError } from "../../errors.js";

/** An Athena query that failed, was cancelled or timed out; carries the query id and Athena's reason. */
export class AthenaQueryError extends EngineError {
  /** The query execution id (undefined when StartQueryExecution itself failed). */
  readonly queryId: string | undefined;
  /** The final state: FAILED, CANCELLED, TIMEOUT, ABORTED or START_FAILED. */
  readonly state: string;
  /** Athena's StateChangeReason. */
  readonly reason: string | undefined;

  constructor(message: string, options: { queryId?: string; state: string; reason?: string; sql?: string; errorType?: number; errorCategory?: number; cause?: unknown }) {
    super(options.state === "TIMEOUT" ? "ATHENA_TIMEOUT" : options.state === "CANCELLED" || options.state === "ABORTED" ? "ATHENA_CANCELLED" : "ATHENA_QUERY_FAILED", message, {
      context: {
        queryId: options.queryId ?? null, state: options.state, reason: options.reason ?? null,
        ...(options.sql !== undefined ? { sql: options.sql } : {}),
        ...(options.errorType !== undefined ? { errorType: options.errorType } : {}),
        ...(options.errorCategory !== undefined ? { errorCategory: options.errorCategory } : {}),
      },
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.queryId = options.queryId;
    this.state = options.state;
    this.reason = options.reason;
  }
}
