import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lakeFormationTagPlan, PiiArgumentError, type LfTableInput } from "../src/index.js";

const TABLES: LfTableInput[] = [
  {
    database: "sales",
    table: "orders",
    columns: [
      { name: "order_id" },
      { name: "customer_id" },
      { name: "email", pii: { grade: 2 } },
      { name: "amount" },
      { name: "card_no", pii: { grade: 1 } },
      { name: "client_ip", pii: { grade: 3 } },
    ],
  },
  {
    database: "crm",
    table: "customers",
    columns: [
      { name: "customer_id" },
      { name: "rrn", pii: { grade: 1 } },
      { name: "phone", pii: { grade: 2 } },
      { name: "name", pii: { grade: 2 } },
    ],
  },
];

const PRINCIPALS = {
  none: ["arn:aws:iam::123456789012:role/analyst", "arn:aws:iam::123456789012:role/bi"],
  "2": ["arn:aws:iam::123456789012:role/support"],
  "1": ["arn:aws:iam::123456789012:role/dpo", "arn:aws:iam::123456789012:role/dpo"],
};

describe("lakeFormationTagPlan", () => {
  it("matches the reviewed golden plan", () => {
    const golden: unknown = JSON.parse(readFileSync(new URL("./golden/lf-tag-plan.json", import.meta.url), "utf8"));
    expect(lakeFormationTagPlan(TABLES, { principalsByGrade: PRINCIPALS })).toEqual(golden);
  });

  it("does not depend on the order of tables, columns or principals", () => {
    const shuffled = [...TABLES].reverse().map((t) => ({ ...t, columns: [...t.columns].reverse() }));
    const principals = { "1": PRINCIPALS["1"], "2": PRINCIPALS["2"], none: [...PRINCIPALS.none].reverse() };
    expect(lakeFormationTagPlan(shuffled, { principalsByGrade: principals })).toEqual(
      lakeFormationTagPlan(TABLES, { principalsByGrade: PRINCIPALS }),
    );
  });

  it("puts the catalog id, tag key and permissions where the API expects them", () => {
    const plan = lakeFormationTagPlan([TABLES[1]!], {
      tagKey: "sensitivity",
      catalogId: "123456789012",
      permissions: ["SELECT"],
      principalsByGrade: { "3": ["arn:aws:iam::123456789012:role/ops"] },
    });
    expect(plan[0]).toEqual({
      operation: "CreateLFTag",
      input: { CatalogId: "123456789012", TagKey: "sensitivity", TagValues: ["1", "2", "3", "none"] },
    });
    expect(plan[1]).toEqual({
      operation: "AddLFTagsToResource",
      input: {
        CatalogId: "123456789012",
        Resource: {
          TableWithColumns: { CatalogId: "123456789012", DatabaseName: "crm", Name: "customers", ColumnNames: ["rrn"] },
        },
        LFTags: [{ TagKey: "sensitivity", TagValues: ["1"] }],
      },
    });
    expect(plan.at(-1)).toEqual({
      operation: "GrantPermissions",
      input: {
        CatalogId: "123456789012",
        Principal: { DataLakePrincipalIdentifier: "arn:aws:iam::123456789012:role/ops" },
        Resource: {
          LFTagPolicy: {
            CatalogId: "123456789012",
            ResourceType: "TABLE",
            Expression: [{ TagKey: "sensitivity", TagValues: ["3", "none"] }],
          },
        },
        Permissions: ["SELECT"],
      },
    });
  });

  it("rejects unknown grade keys, duplicate tables and columns, and bad tag keys", () => {
    expect(() => lakeFormationTagPlan([], { principalsByGrade: { "0": ["x"] } })).toThrow(PiiArgumentError);
    expect(() => lakeFormationTagPlan([], { principalsByGrade: { public: ["x"] } })).toThrow(
      `pii: lakeFormationTagPlan: principalsByGrade: expected keys "1", "2", "3" or "none", got "public"`,
    );
    expect(() => lakeFormationTagPlan([TABLES[0]!, TABLES[0]!], { principalsByGrade: {} })).toThrow(/listed twice/);
    const dup = { database: "d", table: "t", columns: [{ name: "a" }, { name: "a" }] };
    expect(() => lakeFormationTagPlan([dup], { principalsByGrade: {} })).toThrow("pii: lakeFormationTagPlan: d.t: column a is listed twice");
    expect(() => lakeFormationTagPlan([], { tagKey: "pii grade!", principalsByGrade: {} })).toThrow(/tagKey/);
    const badGrade = { database: "d", table: "t", columns: [{ name: "a", pii: { grade: 4 as 1 } }] };
    expect(() => lakeFormationTagPlan([badGrade], { principalsByGrade: {} })).toThrow(/d\.t\.a: pii\.grade: expected 1, 2 or 3, got 4/);
  });
});
