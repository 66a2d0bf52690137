import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { readArtifacts } from "../../trainer/artifacts.js";
import "../seedModel.js";

describe("a version folder trained before graph contract v2", () => {
  it("is not published: its manifest lists no tables.bin, and the worker would refuse it", async () => {
    const out = await mkdtemp(join(tmpdir(), "sidecart-legacy-"));
    try {
      const dir = join(out, "v1");
      await cp(inject("seedModel").dir, dir, { recursive: true });
      const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as {
        blobs: { tables?: unknown };
      };
      delete manifest.blobs.tables;
      await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
      await expect(readArtifacts(dir)).rejects.toThrow(/before graph contract v2 \(no tables\.bin\); train it again/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
