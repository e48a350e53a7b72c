// The validate job's script against moto server's Athena: it starts each check query, polls it,
// reads the (failed, observed) row and fails the job on an error rule. moto answers queries with
// results queued through its moto-api (it runs no SQL), so this proves the boto3 flow and the
// judging, not the SQL; the same rules' Spark SQL runs for real in glue-script.interop.test.ts.

import { describe, expect, it } from "vitest";
import { parseSpec } from "@engine/core";
import { compileAthenaChecks, compileValidateScript } from "@engine/core/spark";
import { motoPeer, peerSkipped, runPython } from "../../../test/util/peers.js";

describe.skipIf(peerSkipped("moto"))("the validate job's script against moto's Athena", () => {
  it("passes on zero failures, fails the job naming the rule on an error rule's failures", async () => {
    const moto = await motoPeer();
    const spec = parseSpec({
      table: "shop.orders", source: { format: "csv", path: "s3://in/{date}.csv" }, columns: [{ name: "id", type: "long" }],
      validate: [{ notNull: ["id"] }, { rowCount: { min: 1 } }],
    }, { params: "defer" });
    const checks = compileAthenaChecks(spec);
    // A region of its own: moto queues results per account and region, and the server is shared.
    const region = "eu-west-3";
    const report = await runPython<{ passed: number; failed: string }>(
      `
import json, urllib.request
def queue(rows):
    body = {"region": args["region"], "results": [{"rows": [{"Data": [{"VarCharValue": "failed"}, {"VarCharValue": "observed"}]}] + [{"Data": [{"VarCharValue": str(f)}, {"VarCharValue": str(o)}]} for f, o in rows],
             "column_info": [{"Name": "failed", "Type": "bigint"}, {"Name": "observed", "Type": "bigint"}]}]}
    urllib.request.urlopen(urllib.request.Request(args["endpoint"] + "/moto-api/static/athena/query-results", data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}))
scope = {"__name__": "engine_validate"}
exec(compile(args["script"], "engine_validate.py", "exec"), scope)
argv = ["--engine-table", "shop.orders", "--engine-checks", json.dumps(args["checks"]), "--engine-athena-output", "s3://results/athena/", "--engine-logical-date", "2024-01-05"]
queue([(0, 0)])
passed = scope["main"](argv + ["--engine-phase", "pre"])
queue([(3, 3)])
try:
    scope["main"](argv + ["--engine-phase", "pre"])
    failed = ""
except SystemExit as e:
    failed = str(e)
result = {"passed": passed, "failed": failed}
`,
      { script: compileValidateScript(), checks, endpoint: moto.endpoint, region },
      { python: moto.python, env: { ...moto.env, AWS_DEFAULT_REGION: region, AWS_REGION: region } },
    );
    expect(report.passed).toBe(1);
    expect(report.failed).toBe("validate: validate[0] notNull(id): expected no nulls, found 3");
  }, 120_000);
});
