import { memoryKv, renamedManifest } from "./helpers.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { readPointer } from "../../models/versionStore.js";
import { readArtifacts, type Artifacts } from "../../trainer/artifacts.js";
import { readHistory, rollback } from "../../trainer/publish/history.js";
import { applyRetention } from "../../trainer/publish/retention.js";
import type { KvStore } from "../../trainer/publish/kvStore.js";
import { openLocalKv } from "../../trainer/publish/localKv.js";
import { publishVersion } from "../../trainer/publish/publishVersion.js";
import { pinningConfig, repoRoot } from "../fixtures.js";
import { checkConfigText } from "../../trainer/config/configFile.js";
import { pushConfig } from "../../trainer/config/configStore.js";
import "../seedModel.js";

describe("publish history, rollback and pruning in real local KV", () => {
  let persist: string;
  let kv: KvStore;

  beforeAll(async () => {
    persist = await mkdtemp(join(tmpdir(), "sidecart-kv-"));
    kv = await openLocalKv({ configPath: join(repoRoot, "wrangler.toml"), binding: "MODELS", persistTo: persist });
  });
  afterAll(async () => {
    await kv.close();
    await rm(persist, { recursive: true, force: true });
  });

  /** The seed model's blobs published again under another version id. */
  async function publishAs(version: string) {
    const artifacts = await readArtifacts(inject("seedModel").dir);
    await publishVersion(kv, { ...artifacts, manifest: renamedManifest(artifacts.manifest, version) });
  }

  it("rolls the pointer back to the previous version, then forward by name, and prunes old versions", async () => {
    // Three versions of the same blobs under different version ids.
    const versions = ["v-2026-11-01", "v-2026-11-02", "v-2026-11-03"];
    for (const version of versions) await publishAs(version);
    expect((await readPointer(kv))?.version).toBe("v-2026-11-03");
    expect((await readHistory(kv)).versions.map((v) => v.version)).toEqual(versions);

    expect((await rollback(kv)).version).toBe("v-2026-11-02");
    expect((await readPointer(kv))?.version).toBe("v-2026-11-02");
    expect((await rollback(kv, "v-2026-11-03")).version).toBe("v-2026-11-03");
    await expect(rollback(kv, "v-nope")).rejects.toThrow(/not in KV/);

    const dropped = (await applyRetention(kv, 2)).deleted.map((d) => d.version);
    expect(dropped).toEqual(["v-2026-11-01"]);
    expect(await kv.list(KvKeys.versionPrefix("v-2026-11-01"))).toEqual([]);
    expect((await kv.list(KvKeys.versionPrefix("v-2026-11-02"))).length).toBeGreaterThan(0);
    await expect(rollback(kv, "v-2026-11-01")).rejects.toThrow(/not in KV/);
  });

  it("never prunes a version the pushed config pins, and refuses to pin one that is not published", async () => {
    const pinning = (version: string) => checkConfigText("pin.json", JSON.stringify(pinningConfig(version)));
    await expect(pushConfig(kv, pinning("v-never"))).rejects.toThrow(
      'pin.json: experiments[0].variants[1].model: model version "v-never" is not published',
    );
    await pushConfig(kv, pinning("v-2026-11-02"));
    for (const version of ["v-2026-11-04", "v-2026-11-05"]) await publishAs(version);
    expect((await applyRetention(kv, 2)).deleted.map((d) => d.version)).toEqual(["v-2026-11-03"]);
    expect((await readHistory(kv)).versions.map((v) => v.version)).toEqual([
      "v-2026-11-02",
      "v-2026-11-04",
      "v-2026-11-05",
    ]);
    await kv.delete(KvKeys.config);
  });
});

describe("rollback follows what was serving, not publish order (issue 16, item 2)", () => {
  let seed: Artifacts;
  beforeAll(async () => {
    seed = await readArtifacts(inject("seedModel").dir);
  });
  const as = (version: string): Artifacts => ({ ...seed, manifest: renamedManifest(seed.manifest, version) });

  it("goes back to the version that was live before, skipping a test version and versions rolled back from", async () => {
    const kv = memoryKv();
    await publishVersion(kv, as("good"));
    // A test version goes out and is rolled back at once: "good" serves again.
    await publishVersion(kv, as("test"));
    expect((await rollback(kv)).version).toBe("good");
    // A broken model is published; the rollback must return to what was serving, not to "test".
    await publishVersion(kv, as("broken-1"));
    expect((await rollback(kv)).version).toBe("good");
    // Another broken one: "broken-1" was rolled back from (the worker refused it), so never again.
    await publishVersion(kv, as("broken-2"));
    expect((await rollback(kv)).version).toBe("good");
    expect((await readPointer(kv))?.version).toBe("good");
    // Nothing served before "good": a plain rollback now has nowhere to go, and says so.
    await expect(rollback(kv)).rejects.toThrow(/no version before good/);
    // Named explicitly, a version rolled back from may go live again.
    expect((await rollback(kv, "broken-1")).version).toBe("broken-1");
  });

  it("retention keeps the version a rollback would go to", async () => {
    const kv = memoryKv();
    for (const v of ["good", "test"]) await publishVersion(kv, as(v));
    await rollback(kv);
    for (const v of ["b1", "b2", "b3"]) await publishVersion(kv, as(v));
    await rollback(kv, "good");
    await publishVersion(kv, as("b4"));
    // Live b4; rollback goes to "good" (live before it), so --keep 1 must not delete it.
    const plan = await applyRetention(kv, 1);
    expect(plan.kept).toContain("good");
    expect((await rollback(kv)).version).toBe("good");
  });
});
