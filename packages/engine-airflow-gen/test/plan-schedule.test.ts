import { describe, expect, it } from "vitest";
import { parseSpec } from "@engine/core";
import { planSchedule, ScheduleError, type GenInput } from "../src/index.js";
import { withCsvInput } from "./util/fixtures.js";
import { OPTIONS } from "./util/golden.js";

const spec = (table: string, extra: Record<string, unknown> = {}) =>
  parseSpec({ table, source: { format: "parquet", path: "s3://landing/x/*.parquet" }, columns: [{ name: "id", type: "long" }], ...extra });

const fails = (input: GenInput): string => {
  try {
    planSchedule(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScheduleError);
    return (error as Error).message;
  }
  throw new Error("expected a ScheduleError");
};

describe("planSchedule", () => {
  it("lets the ingestion row override the spec's engine, capacity and retries", () => {
    const orders = planSchedule(withCsvInput()).groups.find((g) => g.group === "sales_daily")!.tables.find((t) => t.table === "sales.orders")!;
    expect(orders).toMatchObject({ system: "erp", engine: "glue", retries: 4, dependsOn: ["sales.customers"] });
    expect(orders.glue).toEqual({ glueVersion: "4.0", workerType: "G.2X", workers: 10, executionClass: "FLEX", capacityFrom: "workers" });
    expect(orders.sources).toEqual(["fixtures/specs/sales/orders.yaml", "fixtures/meta/ingestion.csv:3", "fixtures/meta/schedule.csv:3"]);
  });

  it("schedules a spec without a schedule section through the CSVs", () => {
    const finance = planSchedule(withCsvInput()).groups.find((g) => g.group === "finance_monthly")!;
    expect(finance).toMatchObject({ cron: "0 3 1 * *", start: "2024-01-01T00:00" });
    expect(finance.tables.map((t) => t.table)).toEqual(["finance.ledger"]);
  });

  it("refuses an ingestion row without a spec", () => {
    const input = withCsvInput();
    expect(fails({ ...input, specs: input.specs.filter((s) => s.table !== "web.events") })).toBe(
      "gen: fixtures/meta/ingestion.csv:4: TABLE_NAME: expected a spec for web.events (SPEC_PATH ../specs/web/events.yaml), got none among 3 specs",
    );
  });

  it("refuses a table with no schedule anywhere", () => {
    const input = withCsvInput();
    expect(fails({ ...input, schedule: input.schedule!.filter((r) => r.system !== "fin") })).toBe(
      "gen: fixtures/meta/ingestion.csv:5: expected a schedule for SYSTEM=fin, DB_NAME=finance (a schedule CSV row or a schedule section in fixtures/specs/finance/ledger.yaml), got none",
    );
  });

  it("refuses a scheduled local-engine table", () => {
    const s = spec("a.b", { engine: "local", schedule: { group: "g", cron: "@daily", start: "2024-01-01" } });
    expect(fails({ specs: [s], options: OPTIONS })).toBe('gen: spec a.b: engine: expected glue, athena or auto for a scheduled table, got "local"');
  });

  it("waits for an upstream in another group; refuses an unscheduled upstream and cycles", () => {
    const sched = (group: string, dependsOn: string[] = [], cron = "@daily") => ({ schedule: { group, cron, start: "2024-01-01", dependsOn } });
    const plan = planSchedule({ specs: [spec("a.x", sched("g1", [], "0 3 * * *")), spec("a.y", sched("g2", ["a.x"]))], options: OPTIONS });
    const y = plan.groups.find((g) => g.group === "g2")!.tables[0]!;
    expect(y.dependsOn).toEqual([]);
    expect(y.external).toEqual([{ table: "a.x", group: "g1", cron: "0 3 * * *", taskId: "a.a__x.post_validate" }]);
    expect(fails({ specs: [spec("a.y", sched("g", ["a.z"]))], options: OPTIONS })).toBe("gen: spec a.y: dependsOn: expected a scheduled table, got a.z (not scheduled)");
    expect(fails({ specs: [spec("a.x", sched("g1", ["a.y"])), spec("a.y", sched("g2", ["a.x"]))], options: OPTIONS })).toBe(
      "gen: dependsOn: expected no cycles between schedule groups, got g1 -> g2 -> g1",
    );
    expect(fails({ specs: [spec("a.x", sched("g", ["a.y"])), spec("a.y", sched("g", ["a.x"]))], options: OPTIONS })).toBe(
      "gen: group g: dependsOn: expected no cycles, got a.x -> a.y -> a.x",
    );
  });

  it("refuses two crons for one group", () => {
    const a = spec("a.x", { schedule: { group: "g", cron: "@daily", start: "2024-01-01" } });
    const b = spec("a.y", { schedule: { group: "g", cron: "@hourly", start: "2024-01-01" } });
    expect(fails({ specs: [a, b], options: OPTIONS })).toBe(
      'gen: spec a.y: schedule of group g: expected the cron "@daily" and start 2024-01-01T00:00 of a.x (spec a.x), got "@hourly" and 2024-01-01T00:00 for a.y',
    );
  });
});
