// Athena SQL around a load that the plan does not describe: the staging table and the checks.
import type { ValidationRuleSpec } from "../../spec/table-spec.js";

/** Hive DDL quoting (backticks) for CREATE EXTERNAL TABLE / DROP TABLE. */
export function hiveIdent(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** A Hive DDL string literal: backslash is Hive's escape character, so it and quotes are escaped with it. */
export function hiveString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** How the staged files are laid out. */
export interface StagingTableOptions {
  readonly database: string;
  readonly name: string;
  /** `s3://…/` folder holding only the staged files. */
  readonly location: string;
  readonly format: "csv" | "json" | "parquet";
  /** Column names and Hive types (CSV/JSON columns are all `string`). */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** CSV: header line present (default true), delimiter, quote, escape. */
  readonly csv?: { readonly header?: boolean; readonly delimiter?: string; readonly quote?: string; readonly escape?: string };
}

/**
 * CREATE EXTERNAL TABLE over the staged files: OpenCSVSerde (every column a string, header
 * skipped), the OpenX JSON SerDe for newline-delimited JSON, or plain Parquet.
 */
export function createStagingTableSql(o: StagingTableOptions): string {
  const cols = o.columns.map((c) => `  ${hiveIdent(c.name)} ${o.format === "parquet" ? c.type : "string"}`).join(",\n");
  const head = `CREATE EXTERNAL TABLE ${hiveIdent(o.database)}.${hiveIdent(o.name)} (\n${cols}\n)`;
  const location = `LOCATION ${hiveString(o.location.endsWith("/") ? o.location : `${o.location}/`)}`;
  switch (o.format) {
    case "csv": {
      const props = [
        `'separatorChar' = ${hiveString(o.csv?.delimiter ?? ",")}`,
        `'quoteChar' = ${hiveString(o.csv?.quote ?? '"')}`,
        `'escapeChar' = ${hiveString(o.csv?.escape ?? "\\")}`,
      ];
      const skip = o.csv?.header === false ? "" : `\nTBLPROPERTIES ('skip.header.line.count' = '1')`;
      return `${head}\nROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\nWITH SERDEPROPERTIES (${props.join(", ")})\nSTORED AS TEXTFILE\n${location}${skip}`;
    }
    case "json":
      return `${head}\nROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\nWITH SERDEPROPERTIES ('ignore.malformed.json' = 'false')\n${location}`;
    case "parquet":
      return `${head}\nSTORED AS PARQUET\n${location}`;
  }
}

/** DROP TABLE of the staging table (metadata only: the staged objects are deleted separately). */
export function dropStagingTableSql(database: string, name: string): string {
  return `DROP TABLE IF EXISTS ${hiveIdent(database)}.${hiveIdent(name)}`;
}

/** A validation compiled to one Trino query over the batch, and how to judge its single row. */
export interface AthenaCheck {
  readonly path: string;
  readonly label: string;
  readonly severity: "error" | "warn";
  readonly sql: string;
  /** Passed or not, with a message naming expected vs found. */
  judge(row: readonly (string | null)[]): { passed: boolean; detail: string };
}

const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The simple checks Athena runs before it writes: `notNull`, `unique`, `rowCount` (other rules
 * are the local engine's); each reads the batch query once.
 */
export function athenaChecks(rules: readonly ValidationRuleSpec[], batch: string): { checks: AthenaCheck[]; skipped: ValidationRuleSpec[] } {
  const checks: AthenaCheck[] = [];
  const skipped: ValidationRuleSpec[] = [];
  for (const rule of rules) {
    if (rule.phase === "post") { skipped.push(rule); continue; }
    switch (rule.rule) {
      case "notNull": {
        const cols = rule.args as string[];
        checks.push({
          path: rule.path, label: `notNull(${cols.join(", ")})`, severity: rule.severity,
          sql: `SELECT ${cols.map((c) => `count_if(${q(c)} IS NULL)`).join(", ")} FROM (${batch})`,
          judge: (row) => {
            const bad = cols.map((c, i) => [c, Number(row[i] ?? 0)] as const).filter(([, n]) => n > 0);
            return { passed: bad.length === 0, detail: bad.length === 0 ? "no NULLs" : `expected no NULLs, found ${bad.map(([c, n]) => `${n} in ${c}`).join(", ")}` };
          },
        });
        break;
      }
      case "unique": {
        for (const set of rule.args as string[][]) {
          const cols = set.map(q).join(", ");
          checks.push({
            path: rule.path, label: `unique(${set.join(", ")})`, severity: rule.severity,
            sql: `SELECT count(*) FROM (SELECT ${cols} FROM (${batch}) GROUP BY ${cols} HAVING count(*) > 1)`,
            judge: (row) => {
              const n = Number(row[0] ?? 0);
              return { passed: n === 0, detail: n === 0 ? "unique" : `expected unique (${set.join(", ")}), found ${n} duplicated key${n === 1 ? "" : "s"}` };
            },
          });
        }
        break;
      }
      case "rowCount": {
        const { min, max } = rule.args as { min?: number; max?: number };
        checks.push({
          path: rule.path, label: "rowCount", severity: rule.severity,
          sql: `SELECT count(*) FROM (${batch})`,
          judge: (row) => {
            const n = Number(row[0] ?? 0);
            const passed = (min === undefined || n >= min) && (max === undefined || n <= max);
            return { passed, detail: `expected ${min !== undefined ? `at least ${min}` : ""}${min !== undefined && max !== undefined ? " and " : ""}${max !== undefined ? `at most ${max}` : ""} rows, found ${n}` };
          },
        });
        break;
      }
      default:
        skipped.push(rule);
    }
  }
  return { checks, skipped };
}
