import { promises as fsp, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AlreadyExistsError, FileNotCreatedError, LocalFileIO } from "../src/index.js";

const enospc = (): NodeJS.ErrnoException => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
const eio = (): NodeJS.ErrnoException => Object.assign(new Error("EIO: i/o error, link"), { code: "EIO", errno: -5, syscall: "link" });

afterEach(() => { vi.restoreAllMocks(); });

describe("LocalFileIO.createExclusive", () => {
  it("says the file was not created when its temp file cannot be written (no space left), and leaves no temp file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "iceberg-io-"));
    const writeFile = fsp.writeFile;
    // The disk fills half-way through the temp file: a partial temp file exists when the write fails.
    vi.spyOn(fsp, "writeFile").mockImplementationOnce(async (file, data, options) => {
      await writeFile(file, (data as Uint8Array).subarray(0, 3), options as { flag: string });
      throw enospc();
    });
    const error = await new LocalFileIO().newOutputFile(path.join(dir, "v2.metadata.json")).createExclusive(Buffer.from("{\"format-version\": 2}")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileNotCreatedError);
    expect((error as FileNotCreatedError).message).toMatch(/v2\.metadata\.json.*nothing was created.*no space left on device/);
    expect(((error as FileNotCreatedError).cause as NodeJS.ErrnoException).code).toBe("ENOSPC");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("passes a failure of link(2) itself on unclassified (it cannot prove the file absent), and removes the temp file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "iceberg-io-"));
    vi.spyOn(fsp, "link").mockRejectedValueOnce(eio());
    const error = await new LocalFileIO().newOutputFile(path.join(dir, "x.json")).createExclusive(Buffer.from("x")).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(FileNotCreatedError);
    expect(error).not.toBeInstanceOf(AlreadyExistsError);
    expect((error as NodeJS.ErrnoException).code).toBe("EIO");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("succeeds once the file is linked even when its temp file cannot be removed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "iceberg-io-"));
    vi.spyOn(fsp, "rm").mockRejectedValueOnce(eio());
    await new LocalFileIO().newOutputFile(path.join(dir, "x.json")).createExclusive(Buffer.from("done"));
    expect(readFileSync(path.join(dir, "x.json"), "utf8")).toBe("done");
    // The temp file stays behind as an orphan for maintenance.
    expect(readdirSync(dir).sort()).toEqual([expect.stringMatching(/^\.x\.json\..*\.tmp$/), "x.json"]);
  });
});

describe("LocalFileIO.write", () => {
  it("removes its partial temp file when the write fails (no space left), leaving the old file as it was", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "iceberg-io-"));
    const io = new LocalFileIO();
    await io.newOutputFile(path.join(dir, "m.avro")).write(Buffer.from("old"));
    const writeFile = fsp.writeFile;
    vi.spyOn(fsp, "writeFile").mockImplementationOnce(async (file, data) => {
      await writeFile(file, (data as Uint8Array).subarray(0, 2));
      throw enospc();
    });
    await expect(io.newOutputFile(path.join(dir, "m.avro")).write(Buffer.from("new content"))).rejects.toThrow(/no space left on device/);
    expect(readdirSync(dir)).toEqual(["m.avro"]);
    expect(readFileSync(path.join(dir, "m.avro"), "utf8")).toBe("old");
  });
});
