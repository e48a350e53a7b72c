import { describe, expect, it } from "vitest";
import { CsvError, parseCsv } from "../src/index.js";

function errorOf(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvError);
    return error as CsvError;
  }
  throw new Error("expected a CsvError");
}

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks (RFC 4180)", () => {
    const table = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n', { file: "t.csv" });
    expect(table.header).toEqual(["A", "B", "C"]);
    expect(table.records.map((r) => [r.fields["A"]!.value, r.fields["B"]!.value, r.fields["C"]!.value])).toEqual([
      ["1", "x, y", 'say "hi"'],
      ["2", "two\nlines", ""],
    ]);
  });

  it("keeps the line and column of every field, counting line breaks inside quotes", () => {
    const table = parseCsv('a,b\n"x\ny",z\nq,r\n', { file: "t.csv" });
    expect(table.records[0]!.fields["B"]).toEqual({ value: "z", line: 3, column: 4 });
    expect(table.records[1]!.line).toBe(4);
  });

  it("trims and upper-cases header names, strips a BOM and skips blank lines", () => {
    const table = parseCsv("\uFEFF system , db_name\n\ncrm,sales\n\n", { file: "t.csv" });
    expect(table.header).toEqual(["SYSTEM", "DB_NAME"]);
    expect(table.records).toHaveLength(1);
  });

  it("names file:line:column for an unterminated quote", () => {
    expect(errorOf(() => parseCsv('a,b\n1,"open\n', { file: "m.csv" })).message).toBe(
      "gen: m.csv:2:3: expected a closing quote for this field, got the end of the file",
    );
  });

  it("names file:line:column for a quote inside an unquoted field and text after a closing quote", () => {
    expect(errorOf(() => parseCsv('a,b\n1,x"y\n', { file: "m.csv" })).message).toBe(
      "gen: m.csv:2:4: expected quotes only around a whole field, got a quote inside an unquoted field",
    );
    expect(errorOf(() => parseCsv('a,b\n1,"x"y\n', { file: "m.csv" })).message).toBe(
      'gen: m.csv:2:6: expected a comma or a line end after a quoted field, got "y"',
    );
  });

  it("rejects a record with the wrong number of fields", () => {
    const error = errorOf(() => parseCsv("a,b\n1,2,3\n", { file: "m.csv" }));
    expect(error.message).toBe("gen: m.csv:2:3: expected 2 fields (A,B), got 3");
    expect(error.context).toMatchObject({ file: "m.csv", line: 2, column: 3 });
  });

  it("rejects an empty file and duplicate header names", () => {
    expect(errorOf(() => parseCsv("", { file: "m.csv" })).message).toBe("gen: m.csv:1:1: expected a header row, got an empty file");
    expect(errorOf(() => parseCsv("a,A\n", { file: "m.csv" })).message).toBe("gen: m.csv:1:3: expected unique column names, got A twice");
  });
});
