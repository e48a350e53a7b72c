import { describe, expect, it } from "vitest";
import { detectValue } from "../src/index.js";

const top = (v: string) => detectValue(v)[0];

describe("detectValue", () => {
  it("returns nothing for blank or overlong values", () => {
    expect(detectValue("")).toEqual([]);
    expect(detectValue("   ")).toEqual([]);
    expect(detectValue(`${"a".repeat(250)}@example.com`)).toEqual([]);
  });

  it("trims the value before matching", () => {
    expect(top("  jane@example.com \n")?.kind).toBe("email");
  });

  it("recognises Korean phone formats", () => {
    expect(top("010-1234-5678")).toEqual({ kind: "phone", confidence: 0.95, variant: "kr-mobile" });
    expect(top("01012345678")).toEqual({ kind: "phone", confidence: 0.9, variant: "kr-mobile" });
    expect(top("02-123-4567")?.variant).toBe("kr-landline");
    expect(top("+82 10 1234 5678")?.variant).toBe("kr-international");
    expect(top("010-1234.5678")).toBeUndefined(); // mixed separators
  });

  it("validates the resident registration number's date, gender digit and check digit", () => {
    expect(top("900101-1234121")).toEqual({ kind: "rrn", confidence: 0.97, variant: "kr-resident-registration" });
    expect(top("9001011234121")?.confidence).toBe(0.9);
    expect(top("920715-5123121")?.variant).toBe("kr-foreigner-registration");
    expect(detectValue("900101-1234124")).toEqual([]); // check digit off by 3
    expect(detectValue("890229-1234569")).toEqual([]); // 1989 had no 29 February
    expect(detectValue("900101-9234560")).toEqual([]); // gender digit 9
  });

  it("accepts 29 February in a leap year", () => {
    expect(top("000229-3579121")?.kind).toBe("rrn");
    expect(top("880229-1357124")?.kind).toBe("rrn");
  });

  it("names the card network from the IIN and requires a valid Luhn digit", () => {
    expect(top("4111 1111 1111 1111")).toEqual({ kind: "card", confidence: 0.95, variant: "visa" });
    expect(top("5555-5555-5555-4444")?.variant).toBe("mastercard");
    expect(top("2221000000000009")?.variant).toBe("mastercard");
    expect(top("378282246310005")?.variant).toBe("amex");
    expect(top("6011111111111117")?.variant).toBe("discover");
    expect(top("6221260000000000")?.variant).toBe("discover");
    expect(top("3530111333300000")?.variant).toBe("jcb");
    expect(top("6200000000000005")?.variant).toBe("unionpay");
    expect(detectValue("4111111111111112")).toEqual([]);
    expect(detectValue("1234567890123452")).toEqual([]); // Luhn-valid, no network
    expect(detectValue("4111 1111-1111 1111")).toEqual([]); // mixed separators
  });

  it("uses node:net for addresses and doubts version-like dotted quads", () => {
    expect(top("192.168.0.1")).toEqual({ kind: "ip", confidence: 0.9, variant: "ipv4" });
    expect(top("2001:db8::1")).toEqual({ kind: "ip", confidence: 0.95, variant: "ipv6" });
    expect(top("1.4.2.0")?.confidence).toBe(0.4);
    expect(detectValue("1.2.3")).toEqual([]);
    expect(detectValue("256.1.1.1")).toEqual([]);
  });

  it("rates generic passport numbers and bank accounts low", () => {
    expect(top("M12345678")).toEqual({ kind: "passport", confidence: 0.7, variant: "kr-passport" });
    expect(top("X1234567")?.confidence).toBe(0.4);
    expect(top("110-123-456789")).toEqual({ kind: "bank-account", confidence: 0.5, variant: "kr-3-3-6" });
    expect(detectValue("123-45-67890")).toEqual([]); // business registration number
  });

  it("orders several detections by confidence", () => {
    // 13 digits starting with 4 that pass both checks: a resident number and a Visa number.
    const both = detectValue("4001011000068");
    expect(both.map((d) => d.kind)).toEqual(["rrn", "card"]);
  });
});
