// Smoke tests of the real peers themselves: each one installs, starts and answers as the
// interop tests of the packages expect. Nothing here tests our code.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  airflowDagBag,
  checksumRows,
  javaPeer,
  jupyterPeer,
  motoPeer,
  PEER_CACHE,
  peerSkipped,
  restCatalogPeer,
  runPython,
  sparkPeer,
  tempDir,
  uniqueName,
  writeNotebook,
  type SparkPeer,
} from "./util/peers.js";

describe.skipIf(peerSkipped("python"))("pythonPeer", () => {
  it("creates and reads a PyIceberg table in a SqlCatalog", async () => {
    const dir = tempDir();
    try {
      const result = await runPython(
        `import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
cat = SqlCatalog("t", uri=f"sqlite:///{args['dir']}/catalog.db", warehouse=f"file://{args['dir']}/wh")
cat.create_namespace("ns")
t = cat.create_table("ns.people", schema=pa.schema([("id", pa.int64()), ("name", pa.string())]))
t.append(pa.table({"id": [1, 2, 3], "name": ["a", "b", "c"]}))
t = cat.load_table("ns.people")
print("noise on stdout does not disturb the result")
result = {"rows": t.scan().to_arrow().num_rows, "metadata": t.metadata_location, "format": t.format_version}`,
        { dir },
      );
      expect(result.rows).toBe(3);
      expect(result.metadata).toMatch(/\.metadata\.json$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports the script's traceback when it raises", async () => {
    await expect(runPython("raise ValueError('boom from python')")).rejects.toThrow(/ValueError: boom from python/);
  });
});

describe.skipIf(peerSkipped("spark"))("sparkPeer", () => {
  let spark: SparkPeer;
  const ns = uniqueName("smoke");
  beforeAll(async () => {
    spark = await sparkPeer();
  });

  it("creates, fills and counts an Iceberg table", async () => {
    await spark.sql(`CREATE TABLE local.${ns}.t (id bigint, name string, d date, amount decimal(10,2)) USING iceberg TBLPROPERTIES ('format-version'='2', 'write.delete.mode'='merge-on-read')`);
    await spark.sql(`INSERT INTO local.${ns}.t VALUES (1, 'a', DATE'2024-01-01', 1.50), (2, 'b', NULL, NULL), (3, 'c', DATE'2024-03-01', -2.25)`);
    const r = await spark.sql(`SELECT count(*) AS n FROM local.${ns}.t`);
    expect(r.rows).toEqual([["3"]]);
    const rows = await spark.query(`SELECT * FROM local.${ns}.t WHERE id = 1`);
    expect(rows).toEqual([{ id: "1", name: "a", d: "2024-01-01", amount: "1.50" }]);
  });

  it("checksums the same rows the same way as test/util/checksum", async () => {
    const all = await spark.sql(`SELECT * FROM local.${ns}.t`);
    const mine = checksumRows(all.columns, all.rows.reverse());
    const theirs = await spark.checksum({ table: `local.${ns}.t` });
    expect(theirs.count).toBe(3);
    expect(theirs.checksum).toBe(mine.checksum);
  });

  it("reads a table straight from its metadata file", async () => {
    const metadata = path.join(spark.warehouse, ns, "t", "metadata", "v2.metadata.json");
    await spark.load(metadata, `${ns}_v2`);
    expect((await spark.sql(`SELECT count(*) FROM ${ns}_v2`)).rows).toEqual([["3"]]);
    expect((await spark.checksum({ metadata })).count).toBe(3);
  });

  it("reports Spark's error with the statement", async () => {
    await expect(spark.sql(`SELECT * FROM local.${ns}.missing`)).rejects.toThrow(/TABLE_OR_VIEW_NOT_FOUND[\s\S]*while running: SELECT/);
  });

  it.skipIf(peerSkipped("iceberg-java"))("sees fewer rows after the Java driver commits an equality delete", async () => {
    const java = await javaPeer();
    const table = path.join(spark.warehouse, ns, "t");
    const res = await java.eqDelete(table, [{ id: 2 }, { id: "3" }]);
    expect(res.deleteFiles).toHaveLength(1);
    expect(res.deleteFiles[0]!.recordCount).toBe(2);
    expect((await spark.sql(`SELECT id FROM local.${ns}.t`)).rows).toEqual([["1"]]);
    const files = await spark.sql(`SELECT content FROM local.${ns}.t.delete_files`);
    expect(files.rows).toEqual([[2]]); // 2 = equality deletes
  });
});

describe.skipIf(peerSkipped("rest-catalog"))("restCatalogPeer", () => {
  it("answers /v1/config and serves PyIceberg a namespace and a table", async () => {
    const rest = await restCatalogPeer();
    const config = (await (await fetch(`${rest.url}/v1/config`)).json()) as { defaults: unknown; overrides: unknown };
    expect(config).toHaveProperty("defaults");
    const ns = uniqueName("rest");
    const result = await runPython(
      `import pyarrow as pa
from pyiceberg.catalog.rest import RestCatalog
cat = RestCatalog("rest", uri=args["url"])
cat.create_namespace(args["ns"])
t = cat.create_table(f"{args['ns']}.t", schema=pa.schema([("id", pa.int64())]))
t.append(pa.table({"id": [1, 2]}))
result = {"namespaces": [".".join(n) for n in cat.list_namespaces()], "rows": cat.load_table(f"{args['ns']}.t").scan().to_arrow().num_rows}`,
      { url: rest.url, ns },
    );
    expect(result.namespaces).toContain(ns);
    expect(result.rows).toBe(2);
  });
});

describe.skipIf(peerSkipped("moto"))("motoPeer", () => {
  it("serves S3 put and get to boto3", async () => {
    const moto = await motoPeer();
    const bucket = uniqueName("b").replace(/_/g, "-");
    const body = await runPython(
      `import boto3
s3 = boto3.client("s3")
s3.create_bucket(Bucket=args["bucket"])
s3.put_object(Bucket=args["bucket"], Key="k/hello.txt", Body=b"hello moto")
result = s3.get_object(Bucket=args["bucket"], Key="k/hello.txt")["Body"].read().decode()`,
      { bucket },
      { python: moto.python, env: moto.env },
    );
    expect(body).toBe("hello moto");
  });

  it("serves the Glue API", async () => {
    const moto = await motoPeer();
    const db = uniqueName("db");
    const names = await runPython(
      `import boto3
glue = boto3.client("glue")
glue.create_database(DatabaseInput={"Name": args["db"]})
result = [d["Name"] for d in glue.get_databases()["DatabaseList"]]`,
      { db },
      { python: moto.python, env: moto.env },
    );
    expect(names).toContain(db);
  });
});

describe.skipIf(peerSkipped("airflow"))("airflowPeer", () => {
  it("imports a DAG with the Amazon provider through DagBag with no import errors", async () => {
    const dir = tempDir("engine-dags-");
    try {
      writeFileSync(
        path.join(dir, "smoke_dag.py"),
        `import pendulum
from airflow import DAG
from airflow.providers.amazon.aws.operators.athena import AthenaOperator

with DAG(dag_id="engine_smoke", start_date=pendulum.datetime(2024, 1, 1, tz="UTC"), schedule=None, catchup=False):
    AthenaOperator(task_id="q", query="SELECT 1", database="db", output_location="s3://b/out/")
`,
      );
      const bag = await airflowDagBag(dir);
      expect(bag.importErrors).toEqual({});
      expect(bag.dagIds).toEqual(["engine_smoke"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(peerSkipped("jupyter"))("jupyterPeer", () => {
  // Inside the repo, so the tslab kernel resolves @types/node from the root node_modules.
  const dir = path.join(PEER_CACHE, "tmp", uniqueName("nb"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("executes a two-cell TypeScript notebook with the tslab kernel", async () => {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "smoke.ipynb");
    writeNotebook(file, ["const xs: number[] = [1, 2, 3];\nconst total = xs.reduce((a, b) => a + b, 0);", "console.log(`total=${total}`);"]);
    const nb = await (await jupyterPeer()).execute(file, { timeoutSec: 120 });
    const text = nb.cells[1]!.outputs!.map((o) => [o.text].flat().join("")).join("");
    expect(text).toContain("total=6");
  });
});
