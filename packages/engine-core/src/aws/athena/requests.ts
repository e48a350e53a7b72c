// Athena requests as pure functions, so tests can validate them against botocore's service model.
import type { GetQueryResultsInput, StartQueryExecutionInput } from "@aws-sdk/client-athena";

/** Where and how a query runs. */
export interface AthenaQueryContext {
  /** Workgroup; default "primary". */
  readonly workgroup?: string;
  /** `s3://…/` folder for results; optional when the workgroup sets one. */
  readonly outputLocation?: string;
  /** Default database of unqualified names. */
  readonly database?: string;
  /** Data catalog; default "AwsDataCatalog". */
  readonly catalog?: string;
  /** Makes retried starts idempotent (Athena keeps a token for 24 hours). */
  readonly clientRequestToken?: string;
}

/** StartQueryExecution for one statement. */
export function startQueryExecutionRequest(sql: string, ctx: AthenaQueryContext = {}): StartQueryExecutionInput {
  return {
    QueryString: sql,
    WorkGroup: ctx.workgroup ?? "primary",
    ...(ctx.clientRequestToken ? { ClientRequestToken: ctx.clientRequestToken } : {}),
    ...(ctx.database || ctx.catalog ? { QueryExecutionContext: { ...(ctx.database ? { Database: ctx.database } : {}), ...(ctx.catalog ? { Catalog: ctx.catalog } : {}) } } : {}),
    ...(ctx.outputLocation ? { ResultConfiguration: { OutputLocation: ctx.outputLocation } } : {}),
  };
}

/** One page of GetQueryResults (Spec: at most 1000 rows per page). */
export function getQueryResultsRequest(queryId: string, nextToken?: string, maxResults = 1000): GetQueryResultsInput {
  return { QueryExecutionId: queryId, MaxResults: Math.min(1000, Math.max(1, maxResults)), ...(nextToken ? { NextToken: nextToken } : {}) };
}
