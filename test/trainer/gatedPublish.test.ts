import { memoryKv, renamedManifest } from "./helpers.js";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import type { Manifest } from "../../models/manifest.js";
import { readPointer } from "../../models/versionStore.js";
import { readArtifacts, type Artifacts } from "../../trainer/artifacts.js";
import { publishIfGatePasses } from "../../trainer/publish/gatedPublish.js";
import { publishVersion } from "../../trainer/publish/publishVersion.js";
import { readRefusal } from "../../trainer/publish/refusedMarker.js";
import { newestPublishable } from "../../trainer/publish/versionFolders.js";
import "../seedModel.js";

describe("the nightly gate marks what it refuses, and publish without --from passes it over (issue 16, item 2)", () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), "sidecart-gate-"));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  /** The seed model as a version folder under `out`, with its own name, age and metrics. */
  async function versionFolder(version: string, hours: number, hr: number): Promise<Artifacts> {
    const dir = join(out, version);
    await cp(inject("seedModel").dir, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
    const createdAt = new Date(Date.parse(manifest.createdAt) + hours * 3_600_000).toISOString();
    const next = { ...renamedManifest(manifest, version), createdAt, metrics: { "basket.HR@10": hr } };
    await writeFile(join(dir, "manifest.json"), JSON.stringify(next));
    return readArtifacts(dir);
  }

  it("refuses a drop past the tolerance, marks the folder, and the older version stays the one to publish", async () => {
    const kv = memoryKv();
    const live = await versionFolder("a-live", 0, 0.3);
    await publishVersion(kv, live);
    const worse = await versionFolder("b-worse", 24, 0.2);
    await expect(publishIfGatePasses(kv, worse, { tolerance: 0.02, keep: 5 })).rejects.toThrow(
      /not published: basket.HR@10 0.3000 → 0.2000 .* versus live a-live .*marked refused/,
    );
    expect((await readPointer(kv))?.version).toBe("a-live");
    expect(await readRefusal(worse.dir)).toMatchObject({ live: "a-live", reason: expect.stringContaining("HR@10") });
    const newest = await newestPublishable(out);
    expect(newest.dir).toBe(live.dir);
    expect(newest.skipped.map((f) => f.version)).toEqual(["b-worse"]);

    // A version that holds up is published, and from then on it is the newest publishable one.
    const better = await versionFolder("c-better", 48, 0.31);
    expect((await publishIfGatePasses(kv, better, { tolerance: 0.02, keep: 5 })).was).toBe("a-live");
    expect((await readPointer(kv))?.version).toBe("c-better");
    expect(await readRefusal(better.dir)).toBeNull();
    expect((await newestPublishable(out)).dir).toBe(better.dir);
  });
});
