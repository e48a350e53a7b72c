// Byte sizes as specs write them: 268435456, "256MB", "1.5 GiB". KB/MB/GB are 1024-based, as
// in Spark and Iceberg configuration, and so are KiB/MiB/GiB.

/** The pattern a byte-size string must match, e.g. "256MB", "512 KiB", "1GB". */
export const BYTE_SIZE_PATTERN = "^[0-9]+(\\.[0-9]+)?\\s*([KMGT]i?B|B)$";

const UNIT_BYTES: Readonly<Record<string, number>> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Parses a byte size (a number of bytes or a string such as "256MB") into bytes; undefined when not one. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(?:([KMGT])i?B|B)$/.exec(value.trim());
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * UNIT_BYTES[match[2] ?? "B"]!);
  return bytes > 0 ? bytes : undefined;
}
