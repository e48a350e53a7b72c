import { describe, expect, it } from "vitest";
import { nameHint, PiiArgumentError, scanColumn, scanColumns } from "../src/index.js";

describe("nameHint", () => {
  it("reads snake_case, camelCase and Korean column names", () => {
    expect(nameHint("customer_email")?.kind).toBe("email");
    expect(nameHint("phoneNo")?.kind).toBe("phone");
    expect(nameHint("mobile")?.kind).toBe("phone");
    expect(nameHint("ssn")?.kind).toBe("rrn");
    expect(nameHint("주민번호")?.kind).toBe("rrn");
    expect(nameHint("card_number")?.kind).toBe("card");
    expect(nameHint("client_ip")?.kind).toBe("ip");
    expect(nameHint("passport_no")?.kind).toBe("passport");
    expect(nameHint("bank_account")?.kind).toBe("bank-account");
    expect(nameHint("full_name")?.kind).toBe("name");
    expect(nameHint("dob")?.kind).toBe("birth-date");
  });

  it("does not match names that merely contain a word", () => {
    expect(nameHint("card_type")).toBeUndefined();
    expect(nameHint("ip_country")).toBeUndefined();
    expect(nameHint("email_verified")).toBeUndefined();
    expect(nameHint("table_name")).toBeUndefined();
    expect(nameHint("order_id")).toBeUndefined();
  });
});

describe("scanColumn", () => {
  it("suggests a kind from values alone, with its default grade", () => {
    const s = scanColumn("contact", ["a@x.com", "b@y.org", null, "", "c@z.net"]);
    expect(s).toEqual({ column: "contact", kind: "email", grade: 2, confidence: 0.98, matches: 3, sampled: 3, source: "values" });
  });

  it("raises confidence when the name agrees with the values", () => {
    const s = scanColumn("passport_no", ["X1234567", "CA1234567", "P12345678"]);
    expect(s?.kind).toBe("passport");
    expect(s?.source).toBe("values+name");
    expect(s?.confidence).toBe(0.76); // 1 - (1 - 0.4) * (1 - 0.6)
  });

  it("requires minShare of the values to match", () => {
    const values = ["010-1234-5678", "n/a", "unknown", "none"];
    expect(scanColumn("notes", values)).toBeUndefined();
    expect(scanColumn("notes", values, { minShare: 0.25 })?.kind).toBe("phone");
  });

  it("falls back to the name hint, doubted when many values contradict it", () => {
    expect(scanColumn("email", [])).toMatchObject({ kind: "email", confidence: 0.6, source: "name", sampled: 0 });
    const numbers = Array.from({ length: 20 }, (_, i) => String(i));
    expect(scanColumn("email", numbers)).toMatchObject({ kind: "email", confidence: 0.3, matches: 0, sampled: 20 });
    expect(scanColumn("full_name", ["홍길동", "김철수"])).toMatchObject({ kind: "name", grade: 2, confidence: 0.6 });
  });

  it("examines at most sampleSize values", () => {
    function* endless() {
      for (;;) yield "192.168.0.1";
    }
    expect(scanColumn("x", endless(), { sampleSize: 50 })).toMatchObject({ kind: "ip", grade: 3, matches: 50, sampled: 50 });
  });

  it("rejects nonsensical options", () => {
    expect(() => scanColumn("x", [], { sampleSize: 0 })).toThrow(PiiArgumentError);
    expect(() => scanColumn("x", [], { minShare: 1.5 })).toThrow(/pii: scan: minShare/);
  });
});

describe("scanColumns", () => {
  it("returns suggestions in column order and skips clean columns", () => {
    const out = scanColumns({
      id: ["1", "2", "3"],
      rrn: ["900101-1234121", "851231-2345124"],
      phone: ["010-1234-5678", "+82 10 9876 5432"],
    });
    expect(out.map((s) => [s.column, s.kind, s.grade])).toEqual([
      ["rrn", "rrn", 1],
      ["phone", "phone", 2],
    ]);
  });
});
