import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbSession } from "../src/duckdb/session.js";
import { ValidationFailedError } from "../src/errors.js";
import { parseSpec } from "../src/spec/parse-spec.js";
import type { ValidationRuleSpec } from "../src/spec/table-spec.js";
import { defaultPhase, runValidations, throwIfFailed } from "../src/validate/run-validations.js";

/** The validate rules of a spec over the orders columns, normalized by parseSpec. */
function rules(validate: unknown[]): readonly ValidationRuleSpec[] {
  return parseSpec({
    table: "sales.orders",
    source: { format: "csv", path: "x.csv" },
    columns: [
      { name: "order_id", type: "long" },
      { name: "customer_id", type: "long" },
      { name: "status", type: "string" },
      { name: "email", type: "string" },
      { name: "amount", type: "decimal(12,2)" },
      { name: "order_ts", type: "timestamptz" },
    ],
    validate,
  }).validate;
}

let db: DuckDbSession;
const GOOD = '"good"';
const BAD = '"bad"';

beforeAll(async () => {
  db = await DuckDbSession.create();
  await db.run(`
    CREATE TABLE good AS SELECT * FROM (VALUES
      (1, 10, 'open',   'a@x.io',  10.50, TIMESTAMPTZ '2024-05-01 10:00:00+00'),
      (2, 11, 'closed', 'b@x.io',  99.99, TIMESTAMPTZ '2024-05-02 11:00:00+00'),
      (3, 10, 'open',   'c@x.io',   0.00, TIMESTAMPTZ '2024-05-03 12:00:00+00')
    ) t(order_id, customer_id, status, email, amount, order_ts);
    CREATE TABLE bad AS SELECT * FROM (VALUES
      (17, 10, 'open',    'a@x.io',    10.50, TIMESTAMPTZ '2024-04-01 10:00:00+00'),
      (17, 10, 'open',    'a@x.io',    -5.00, TIMESTAMPTZ '2024-04-01 10:00:00+00'),
      (42, NULL, 'lost',  'nope',    1200.50, TIMESTAMPTZ '2024-04-02 10:00:00+00'),
      (42, 11, 'shipped', 'toolong@example.com', 3.00, NULL),
      (17, 99, 'open',    NULL,         1.00, TIMESTAMPTZ '2024-04-03 10:00:00+00'),
      (NULL, 12, NULL,    'e@x.io',     2.00, TIMESTAMPTZ '2024-04-04 10:00:00+00')
    ) t(order_id, customer_id, status, email, amount, order_ts);
    CREATE TABLE customers AS SELECT * FROM (VALUES (10), (11), (12)) t(id);
    CREATE VIEW src_exact AS SELECT order_id, customer_id, status, email, amount, order_ts FROM good;
    CREATE VIEW src_wrong AS SELECT customer_id, order_id, status, amount, order_ts, 'x' AS extra FROM good;
  `);
});
afterAll(() => db.close());

const now = new Date("2024-05-04T00:00:00Z");
const resolveTable = async (name: string) => (name === "crm.customers" ? "customers" : undefined);

async function one(rule: unknown, relation: string, extra: Record<string, unknown> = {}) {
  const [r] = rules([rule]);
  const outcomes = await runValidations(db, [r!], r!.phase ?? defaultPhase(r!.rule), relation, { now, resolveTable, ...extra });
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
}

describe("runValidations", () => {
  it("columns exact: passes on the same names in order, fails naming missing and extra columns", async () => {
    const expected = ["order_id", "customer_id", "status", "email", "amount", "order_ts"];
    const ok = await one({ columns: "exact" }, GOOD, { columnsRelation: "src_exact", expectedColumns: expected });
    expect(ok.passed).toBe(true);
    const bad = await one({ columns: "exact" }, GOOD, { columnsRelation: "src_wrong", expectedColumns: expected });
    expect(bad.passed).toBe(false);
    expect(bad.message).toBe("validate[0] columns(exact): expected the columns order_id, customer_id, status, email, amount, order_ts in this order, got customer_id, order_id, status, amount, order_ts, extra (missing: email; extra: extra)");
    expect(bad.failingExamples).toEqual(["email", "extra"]);
  });

  it("columns subset: extra source columns are fine, missing ones are not", async () => {
    const ok = await one({ columns: "subset" }, GOOD, { columnsRelation: "src_wrong", expectedColumns: ["order_id", "amount"] });
    expect(ok.passed).toBe(true);
    const bad = await one({ columns: "subset" }, GOOD, { columnsRelation: "src_wrong", expectedColumns: ["order_id", "email"] });
    expect(bad.message).toBe("validate[0] columns(subset): expected the columns order_id, email among the source's, got customer_id, order_id, status, amount, order_ts, extra (missing: email)");
  });

  it("notNull counts nulls per column", async () => {
    expect((await one({ notNull: ["order_id", "email"] }, GOOD)).passed).toBe(true);
    const bad = await one({ notNull: ["order_id", "email"] }, BAD);
    expect(bad).toMatchObject({ passed: false, observed: 2, phase: "pre", severity: "error", rule: "notNull", path: "validate[0]" });
    expect(bad.message).toBe("validate[0] notNull(order_id, email): expected no nulls, found 2 (order_id: 1, email: 1)");
  });

  it("unique reports extra rows and example keys", async () => {
    expect((await one({ unique: ["order_id"] }, GOOD)).passed).toBe(true);
    const bad = await one({ unique: ["order_id"] }, BAD);
    expect(bad.message).toBe("validate[0] unique(order_id): expected no duplicates, found 3 (e.g. 17, 42)");
    expect(bad.observed).toBe(3);
    expect(bad.failingExamples).toEqual(["17", "42"]);
  });

  it("unique over the dedupe key (or a superset) is recorded as passed without a query", async () => {
    // BAD has duplicate order_ids: the outcome comes from the dedupe guarantee, not from the rows.
    const ok = await one({ unique: [["customer_id", "order_id"]] }, '"no_such_relation"', { uniqueKey: ["order_id"] });
    expect(ok).toMatchObject({ passed: true, observed: 0, failingExamples: [], rule: "unique", phase: "pre" });
    expect(ok.message).toBe("validate[0] unique(customer_id, order_id): expected no duplicates, found 0 (guaranteed by dedupe on order_id)");
    const other = await one({ unique: ["customer_id"] }, BAD, { uniqueKey: ["order_id"] });
    expect(other.message).not.toContain("guaranteed");
  });

  it("unique on a composite key", async () => {
    const bad = await one({ unique: [["order_id", "customer_id"]] }, BAD);
    expect(bad.message).toBe("validate[0] unique(order_id, customer_id): expected no duplicates, found 1 (e.g. (17, 10))");
    expect((await one({ unique: [["order_id", "status"]] }, GOOD)).passed).toBe(true);
  });

  it("unique with several key sets gives one outcome per set", async () => {
    const [r] = rules([{ unique: ["order_id", ["customer_id", "status"]] }]);
    const outcomes = await runValidations(db, [r!], "pre", BAD, {});
    expect(outcomes.map((o) => [o.path, o.passed])).toEqual([["validate[0].unique[0]", false], ["validate[0].unique[1]", false]]);
  });

  it("rowCount checks bounds and runs post by default", async () => {
    const ok = await one({ rowCount: { min: 1, max: 3 } }, GOOD);
    expect(ok).toMatchObject({ passed: true, phase: "post", observed: 3 });
    const bad = await one({ rowCount: { min: 1, max: 5 } }, BAD);
    expect(bad.message).toBe("validate[0] rowCount: expected between 1 and 5 rows, found 6");
    expect((await one({ rowCount: { min: 10 } }, GOOD)).message).toBe("validate[0] rowCount: expected at least 10 rows, found 3");
  });

  it("range checks numeric and timestamp bounds", async () => {
    expect((await one({ range: { column: "amount", min: 0, max: 1000 } }, GOOD)).passed).toBe(true);
    const bad = await one({ range: { column: "amount", min: 0, max: 1000 } }, BAD);
    expect(bad.message).toBe("validate[0] range(amount): expected values between 0 and 1000, found 2 outside (e.g. -5.00, 1200.50)");
    const ts = await one({ range: { column: "order_ts", min: "2024-04-02" } }, BAD);
    expect(ts.message).toBe("validate[0] range(order_ts): expected values >= 2024-04-02, found 2 outside (e.g. 2024-04-01 10:00:00+00)");
  });

  it("allowed lists distinct other values", async () => {
    expect((await one({ allowed: { column: "status", values: ["open", "closed"] } }, GOOD)).passed).toBe(true);
    const bad = await one({ allowed: { column: "status", values: ["open", "closed"] } }, BAD);
    expect(bad.message).toBe('validate[0] allowed(status): expected only "open", "closed", found 2 other (e.g. lost, shipped)');
  });

  it("pattern uses a full regex match", async () => {
    const rule = { pattern: { column: "email", regex: "[a-z]+@[a-z]+\\.io" } };
    expect((await one(rule, GOOD)).passed).toBe(true);
    const bad = await one(rule, BAD);
    expect(bad.message).toBe("validate[0] pattern(email): expected values matching /[a-z]+@[a-z]+\\.io/, found 2 not matching (e.g. nope, toolong@example.com)");
  });

  it("length checks string lengths", async () => {
    const rule = { length: { column: "email", min: 5, max: 10 } };
    expect((await one(rule, GOOD)).passed).toBe(true);
    const bad = await one(rule, BAD);
    expect(bad.message).toBe("validate[0] length(email): expected lengths between 5 and 10, found 2 outside (e.g. nope, toolong@example.com)");
  });

  it("freshness compares the latest value with the injected run time", async () => {
    const ok = await one({ freshness: { column: "order_ts", within: "36h" } }, GOOD);
    expect(ok).toMatchObject({ passed: true, phase: "post", observed: "2024-05-03T12:00:00.000Z" });
    const bad = await one({ freshness: { column: "order_ts", within: "36h" } }, BAD);
    expect(bad.message).toBe("validate[0] freshness(order_ts): expected a value within 36h of 2024-05-04T00:00:00.000Z, latest is 2024-04-04T10:00:00.000Z (29d 14h old)");
  });

  it("referential looks values up in another table", async () => {
    const rule = { referential: { column: "customer_id", table: "crm.customers", refColumn: "id" } };
    expect((await one(rule, GOOD)).passed).toBe(true);
    const bad = await one(rule, BAD);
    expect(bad).toMatchObject({ phase: "pre", observed: 1, failingExamples: ["99"] });
    expect(bad.message).toBe("validate[0] referential(customer_id -> crm.customers.id): expected every value in crm.customers.id, found 1 missing (e.g. 99)");
    const missing = await one({ referential: { column: "customer_id", table: "crm.nothing" } }, GOOD);
    expect(missing.message).toBe("validate[0] referential(customer_id -> crm.nothing.customer_id): expected table crm.nothing to exist, found no such table");
  });

  it("sql with expect empty, nonEmpty, a value and bounds", async () => {
    const empty = "select order_id from {table} where amount < 0";
    expect((await one({ sql: empty }, GOOD)).passed).toBe(true);
    expect((await one({ sql: empty }, BAD)).message).toBe('validate[0] sql: expected no rows, found 1 (e.g. {"order_id":17})');
    expect((await one({ sql: empty, expect: "nonEmpty" }, BAD)).passed).toBe(true);
    expect((await one({ sql: "select count(*) from {table}", expect: 3 }, GOOD)).passed).toBe(true);
    expect((await one({ sql: "select count(*) from {table}", expect: 3 }, BAD)).message).toBe("validate[0] sql: expected the value 3, found 6");
    expect((await one({ sql: "select sum(amount) from {table}", expect: { min: 0, max: 200 } }, GOOD)).passed).toBe(true);
    expect((await one({ sql: "select sum(amount) from {table}", expect: { min: 0, max: 200 } }, BAD)).message).toBe("validate[0] sql: expected a value between 0 and 200, found 1212.00");
  });

  it("a rule whose query cannot run is a failed outcome, not a crash", async () => {
    const o = await one({ sql: "select nope from {table}" }, GOOD);
    expect(o.passed).toBe(false);
    expect(o.message).toMatch(/^validate\[0\] sql: query failed: Binder Error/);
  });

  it("runs only the rules of the asked phase", async () => {
    const rs = rules([{ notNull: ["order_id"] }, { rowCount: { min: 1 } }, { unique: ["order_id"], phase: "post" }]);
    expect((await runValidations(db, rs, "pre", BAD)).map((o) => o.path)).toEqual(["validate[0]"]);
    expect((await runValidations(db, rs, "post", BAD)).map((o) => o.path)).toEqual(["validate[1]", "validate[2]"]);
  });
});

describe("throwIfFailed", () => {
  it("throws ValidationFailedError for error rules only, carrying every outcome", async () => {
    const rs = rules([{ unique: ["order_id"] }, { notNull: ["email"], severity: "warn" }, { notNull: ["order_ts"] }]);
    const outcomes = await runValidations(db, rs, "pre", BAD);
    let caught: unknown;
    try { throwIfFailed(outcomes); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(ValidationFailedError);
    const err = caught as ValidationFailedError;
    expect(err.message).toBe("validate: validate[0] unique(order_id): expected no duplicates, found 3 (e.g. 17, 42); validate[2] notNull(order_ts): expected no nulls, found 1 (order_ts: 1)");
    expect(err.outcomes).toHaveLength(3);
    expect(() => throwIfFailed(outcomes.filter((o) => o.severity === "warn"))).not.toThrow();
  });
});
