// Helpers for engine-core tests against the run's moto server (S3, Glue, Athena).
import type { MotoPeer } from "../../../../test/util/peers.js";
import type { AwsOptions } from "../../src/aws/index.js";

export { createBucket, motoProps, startFaultProxy, startJsonRewriteProxy, pageList, type FaultProxy } from "../../../engine-iceberg/test/util/aws-moto.js";

/** AwsOptions pointing at moto (one endpoint for every service, path-style S3). */
export function motoAws(moto: MotoPeer, region = moto.region, endpoint = moto.endpoint): AwsOptions {
  return { region, endpoint, credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey }, forcePathStyle: true, maxAttempts: 3 };
}

/** One canned Athena result for moto: column (name, type) pairs and text rows; `header` repeats the names first, as Athena does for SELECT. */
export interface CannedResult {
  readonly columns?: readonly (readonly [string, string])[];
  readonly rows?: readonly (readonly (string | null)[])[];
  readonly header?: boolean;
}

/**
 * Queues canned results in moto's Athena backend of `region` (POST /moto-api/static/athena/query-results);
 * each StartQueryExecution in that region takes the next one, DDL included.
 */
export async function seedAthenaResults(moto: MotoPeer, region: string, results: readonly CannedResult[]): Promise<void> {
  const body = {
    region,
    results: results.map((r) => {
      const cols = r.columns ?? [];
      const row = (vals: readonly (string | null)[]) => ({ Data: vals.map((v) => (v === null ? {} : { VarCharValue: v })) });
      return {
        rows: [...(r.header ? [row(cols.map(([n]) => n))] : []), ...(r.rows ?? []).map(row)],
        column_info: cols.map(([name, type]) => {
          const dec = /^decimal\((\d+),(\d+)\)$/.exec(type);
          return { CatalogName: "hive", SchemaName: "", TableName: "", Name: name, Label: name, Type: type.replace(/\(.*$/, ""), Precision: dec ? Number(dec[1]) : 0, Scale: dec ? Number(dec[2]) : 0, Nullable: "UNKNOWN", CaseSensitive: type === "varchar" };
        }),
      };
    }),
  };
  const res = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (res.status !== 201) throw new Error(`moto: seeding Athena results: HTTP ${res.status} ${await res.text()}`);
}

/** Sets moto's state transitions of Athena executions (manual: a state lasts `times` GetQueryExecution calls); undefined restores immediate. */
export async function setAthenaProgression(moto: MotoPeer, times: number | undefined): Promise<void> {
  const route = times === undefined ? "unset-transition" : "set-transition";
  const body = times === undefined ? { model_name: "athena::execution" } : { model_name: "athena::execution", transition: { progression: "manual", times } };
  const res = await fetch(`${moto.endpoint}/moto-api/state-manager/${route}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (res.status >= 300) throw new Error(`moto: ${route}: HTTP ${res.status} ${await res.text()}`);
}

/** The SQL moto recorded for every Athena query of a region, in start order (ListQueryExecutions + GetQueryExecution). */
export async function athenaQueriesSeen(aws: AwsOptions): Promise<{ id: string; sql: string; state: string; database?: string }[]> {
  const sdk = await import("@aws-sdk/client-athena");
  const client = new sdk.AthenaClient({ region: aws.region!, endpoint: aws.endpoint!, credentials: aws.credentials! });
  const ids = (await client.send(new sdk.ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
  const out = [];
  for (const id of ids) {
    const q = (await client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!;
    out.push({ id, sql: q.Query ?? "", state: q.Status?.State ?? "", ...(q.QueryExecutionContext?.Database ? { database: q.QueryExecutionContext.Database } : {}) });
  }
  // moto lists executions in the order they started.
  return out;
}
