/**
 * Finds which known table names a SQL text mentions: `ns.table` (case-insensitive, word-bounded,
 * optionally double-quoted parts). Text inside string literals is ignored.
 */
export function referencedTables(sql: string, names: readonly string[]): string[] {
  const text = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, "");
  return names.filter((name) => {
    const parts = name.split(".");
    const pattern = parts.map((p) => `(?:"${escape(p.replaceAll('"', '""'))}"|${escape(p)})`).join(String.raw`\s*\.\s*`);
    return new RegExp(String.raw`(?<![\w."])${pattern}(?![\w"])`, "i").test(text);
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
