import { describe, expect, it } from "vitest";
import { CsvError, parseIngestionCsv, parseScheduleCsv } from "../src/index.js";

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvError);
    return (error as Error).message;
  }
  throw new Error("expected a CsvError");
};

describe("parseScheduleCsv", () => {
  it("reads rows, turning yyyymmddHHMM into an ISO start and ignoring extra columns", () => {
    const rows = parseScheduleCsv("SYSTEM,DB_NAME,SCHEDULE_GROUP,DAG_START_DATE,DAG_SCHEDULE,NOTE\ncrm,sales,sales_daily,202401020630,0  17 * * *,x\n", { file: "s.csv" });
    expect(rows).toEqual([{ system: "crm", dbName: "sales", group: "sales_daily", start: "2024-01-02T06:30", cron: "0 17 * * *", source: { file: "s.csv", line: 2 } }]);
  });

  it("names the cell of a bad start date, cron or group", () => {
    const head = "SYSTEM,DB_NAME,SCHEDULE_GROUP,DAG_START_DATE,DAG_SCHEDULE\n";
    expect(message(() => parseScheduleCsv(`${head}crm,sales,g,202402300000,@daily\n`, { file: "s.csv" }))).toBe(
      'gen: s.csv:2:13: DAG_START_DATE: expected a real date as yyyymmddHHMM like 202401010000, got "202402300000"',
    );
    expect(message(() => parseScheduleCsv(`${head}crm,sales,g,202401010000,every day\n`, { file: "s.csv" }))).toBe(
      'gen: s.csv:2:26: DAG_SCHEDULE: expected a five-field cron like "0 17 * * *" or a preset like @daily, got "every day"',
    );
    expect(message(() => parseScheduleCsv(`${head}crm,sales,bad group,202401010000,@daily\n`, { file: "s.csv" }))).toMatch(/^gen: s\.csv:2:11: SCHEDULE_GROUP: expected/);
  });

  it("rejects missing columns and a repeated SYSTEM, DB_NAME", () => {
    expect(message(() => parseScheduleCsv("SYSTEM,DB_NAME\n", { file: "s.csv" }))).toMatch(/^gen: s\.csv:1:1: expected columns SYSTEM, DB_NAME, SCHEDULE_GROUP, DAG_START_DATE, DAG_SCHEDULE, got SYSTEM, DB_NAME \(missing SCHEDULE_GROUP/);
    const head = "SYSTEM,DB_NAME,SCHEDULE_GROUP,DAG_START_DATE,DAG_SCHEDULE\n";
    expect(message(() => parseScheduleCsv(`${head}crm,sales,a,202401010000,@daily\ncrm,sales,b,202401010000,@daily\n`, { file: "s.csv" }))).toBe(
      "gen: s.csv:3:1: expected one row per SYSTEM, DB_NAME, got crm, sales again (first on line 2)",
    );
  });
});

describe("parseIngestionCsv", () => {
  const head = "SYSTEM,DB_NAME,TABLE_NAME,ENGINE,WORKER_TYPE,WORKERS,SIZE_HINT,EXECUTION_CLASS,GLUE_VERSION,RETRIES,ENABLED,DEPENDS_ON\n";

  it("reads per-table arguments", () => {
    const [row] = parseIngestionCsv(`${head}erp,sales,orders,GLUE,G.2X,10,20GB,flex,4.0,3,n,"sales.customers; sales.items"\n`, { file: "i.csv" });
    expect(row).toEqual({
      system: "erp", dbName: "sales", tableName: "orders", engine: "glue", workerType: "G.2X", workers: 10, sizeHint: "20GB",
      executionClass: "FLEX", glueVersion: "4.0", retries: 3, enabled: false, dependsOn: ["sales.customers", "sales.items"], source: { file: "i.csv", line: 2 },
    });
  });

  it("defaults ENABLED to yes and needs only SYSTEM, DB_NAME, TABLE_NAME", () => {
    expect(parseIngestionCsv("SYSTEM,DB_NAME,TABLE_NAME\ncrm,sales,customers\n", { file: "i.csv" })[0]).toMatchObject({ enabled: true, dependsOn: [] });
  });

  it("names the cell of a bad worker type, worker count, size, engine or upstream", () => {
    const row = (cells: string) => () => parseIngestionCsv(`${head}${cells}\n`, { file: "i.csv" });
    expect(message(row("erp,sales,orders,glue,G.3X,,,,,,,"))).toMatch(/^gen: i\.csv:2:23: WORKER_TYPE: expected a Spark worker type \(G\.1X, /);
    expect(message(row("erp,sales,orders,glue,,1,,,,,,"))).toBe('gen: i.csv:2:24: WORKERS: expected an integer >= 2, got "1"');
    expect(message(row("erp,sales,orders,glue,,,lots,,,,,"))).toBe('gen: i.csv:2:25: SIZE_HINT: expected a byte size like "20GB", got "lots"');
    expect(message(row("erp,sales,orders,local,,,,,,,,"))).toBe('gen: i.csv:2:18: ENGINE: expected auto, athena or glue, got "local"');
    expect(message(row("erp,sales,orders,,,,,,,,,customers"))).toMatch(/^gen: i\.csv:2:26: DEPENDS_ON: expected/);
  });

  it("rejects a table listed twice", () => {
    expect(message(() => parseIngestionCsv("SYSTEM,DB_NAME,TABLE_NAME\na,s,t\nb,s,t\n", { file: "i.csv" }))).toBe(
      "gen: i.csv:3:1: expected one row per DB_NAME.TABLE_NAME, got s.t again (first on line 2)",
    );
  });
});
