import { PiiArgumentError } from "../errors.js";
import type {
  AddLfTagsToResourceInput,
  GrantPermissionsInput,
  LakeFormationRequest,
  LfPermission,
} from "./lake-formation-request.js";

/** One Glue table and its columns, with the spec's `pii` tag where there is one. */
export interface LfTableInput {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly { readonly name: string; readonly pii?: { readonly grade: 1 | 2 | 3 } | undefined }[];
}

/** Options of `lakeFormationTagPlan`. */
export interface LakeFormationTagPlanOptions {
  /** The LF-tag key; default `pii_grade`. */
  readonly tagKey?: string;
  /**
   * Who may read what: under key `"1"`, `"2"`, `"3"` or `"none"` the IAM principals (role or
   * user ARNs, account ids) cleared for that grade — and so for every less sensitive one.
   */
  readonly principalsByGrade: Readonly<Record<string, readonly string[]>>;
  /** The Data Catalog id; default the caller's account (omitted from the requests). */
  readonly catalogId?: string;
  /** Permissions granted; default `["SELECT", "DESCRIBE"]`. */
  readonly permissions?: readonly LfPermission[];
}

/** Tag values, most sensitive first; columns without a `pii` tag get `none`. */
export const PII_GRADE_TAG_VALUES: readonly string[] = Object.freeze(["1", "2", "3", "none"]);

/**
 * The Lake Formation calls that enforce PII grades by LF-tag-based access control, as plain
 * request objects in a fixed order: one `CreateLFTag` (values `1`, `2`, `3`, `none`), one
 * `AddLFTagsToResource` per table and grade (tables sorted by database and name, column names
 * sorted), then one `GrantPermissions` per principal, grades from 1 to none, principals sorted.
 * A principal cleared for grade g gets an `LFTagPolicy` on tables whose expression allows g and
 * every less sensitive value, so it can select exactly those columns.
 *
 * ```ts
 * const plan = lakeFormationTagPlan([{ database: "sales", table: "orders", columns }], {
 *   principalsByGrade: { "1": ["arn:aws:iam::123456789012:role/dpo"], none: ["arn:aws:iam::123456789012:role/analyst"] },
 * });
 * for (const r of plan) await lf.send(new commands[r.operation](r.input));
 * ```
 */
export function lakeFormationTagPlan(
  tables: readonly LfTableInput[],
  options: LakeFormationTagPlanOptions,
): LakeFormationRequest[] {
  const tagKey = options.tagKey ?? "pii_grade";
  const permissions = [...(options.permissions ?? ["SELECT", "DESCRIBE"])];
  const catalog = options.catalogId === undefined ? {} : { CatalogId: options.catalogId };
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@%]{1,128}$/u.test(tagKey)) {
    // Spec: LFTagKey pattern ^([\p{L}\p{Z}\p{N}_.:\/=+\-@%]*)$, length 1..128.
    throw new PiiArgumentError(`pii: lakeFormationTagPlan: tagKey: expected 1-128 letters, digits or _.:/=+-@%, got ${JSON.stringify(tagKey)}`);
  }
  for (const key of Object.keys(options.principalsByGrade)) {
    if (!PII_GRADE_TAG_VALUES.includes(key)) {
      throw new PiiArgumentError(
        `pii: lakeFormationTagPlan: principalsByGrade: expected keys "1", "2", "3" or "none", got ${JSON.stringify(key)}`,
      );
    }
  }

  const plan: LakeFormationRequest[] = [
    { operation: "CreateLFTag", input: { ...catalog, TagKey: tagKey, TagValues: [...PII_GRADE_TAG_VALUES] } },
  ];

  const sorted = [...tables].sort((a, b) => compare(a.database, b.database) || compare(a.table, b.table));
  for (let i = 1; i < sorted.length; i++) {
    const [p, t] = [sorted[i - 1]!, sorted[i]!];
    if (p.database === t.database && p.table === t.table) {
      throw new PiiArgumentError(`pii: lakeFormationTagPlan: table ${t.database}.${t.table} is listed twice`);
    }
  }
  for (const t of sorted) {
    const byValue = new Map<string, string[]>(PII_GRADE_TAG_VALUES.map((v) => [v, []]));
    const seen = new Set<string>();
    for (const c of t.columns) {
      if (seen.has(c.name)) {
        throw new PiiArgumentError(`pii: lakeFormationTagPlan: ${t.database}.${t.table}: column ${c.name} is listed twice`);
      }
      seen.add(c.name);
      const grade = c.pii?.grade;
      if (grade !== undefined && grade !== 1 && grade !== 2 && grade !== 3) {
        throw new PiiArgumentError(
          `pii: lakeFormationTagPlan: ${t.database}.${t.table}.${c.name}: pii.grade: expected 1, 2 or 3, got ${JSON.stringify(grade)}`,
        );
      }
      byValue.get(grade === undefined ? "none" : String(grade))!.push(c.name);
    }
    for (const [value, columns] of byValue) {
      if (columns.length === 0) continue;
      const input: AddLfTagsToResourceInput = {
        ...catalog,
        Resource: {
          TableWithColumns: { ...catalog, DatabaseName: t.database, Name: t.table, ColumnNames: columns.sort(compare) },
        },
        LFTags: [{ TagKey: tagKey, TagValues: [value] }],
      };
      plan.push({ operation: "AddLFTagsToResource", input });
    }
  }

  PII_GRADE_TAG_VALUES.forEach((grade, index) => {
    const principals = [...new Set(options.principalsByGrade[grade] ?? [])].sort(compare);
    for (const principal of principals) {
      if (principal.trim() === "") {
        throw new PiiArgumentError(`pii: lakeFormationTagPlan: principalsByGrade.${grade}: expected principal ids, got an empty string`);
      }
      const input: GrantPermissionsInput = {
        ...catalog,
        Principal: { DataLakePrincipalIdentifier: principal },
        Resource: {
          LFTagPolicy: {
            ...catalog,
            ResourceType: "TABLE",
            Expression: [{ TagKey: tagKey, TagValues: PII_GRADE_TAG_VALUES.slice(index) }],
          },
        },
        Permissions: [...permissions],
      };
      plan.push({ operation: "GrantPermissions", input });
    }
  });
  return plan;
}

// Code-unit order, independent of the machine's locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
