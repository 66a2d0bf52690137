import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { readArtifacts } from "../../trainer/artifacts.js";
import { pruneVersions, readHistory, readLivePointer, rollback } from "../../trainer/publish/history.js";
import type { KvStore } from "../../trainer/publish/kvStore.js";
import { openLocalKv } from "../../trainer/publish/localKv.js";
import { publishVersion } from "../../trainer/publish/publishVersion.js";
import { repoRoot } from "../fixtures.js";
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

  it("rolls the pointer back to the previous version, then forward by name, and prunes old versions", async () => {
    const artifacts = await readArtifacts(inject("seedModel").dir);
    // Three versions of the same blobs under different version ids.
    const versions = ["v-2026-11-01", "v-2026-11-02", "v-2026-11-03"];
    for (const version of versions) {
      const manifest = {
        ...artifacts.manifest,
        version,
        blobs: Object.fromEntries(
          Object.entries(artifacts.manifest.blobs).map(([name, entry]) => [
            name,
            { ...entry, key: entry.key.replace(artifacts.manifest.version, version) },
          ]),
        ) as typeof artifacts.manifest.blobs,
      };
      await publishVersion(kv, { ...artifacts, manifest });
    }
    expect((await readLivePointer(kv))?.version).toBe("v-2026-11-03");
    expect((await readHistory(kv)).versions.map((v) => v.version)).toEqual(versions);

    expect((await rollback(kv)).version).toBe("v-2026-11-02");
    expect((await readLivePointer(kv))?.version).toBe("v-2026-11-02");
    expect((await rollback(kv, "v-2026-11-03")).version).toBe("v-2026-11-03");
    await expect(rollback(kv, "v-nope")).rejects.toThrow(/not in KV/);

    const dropped = await pruneVersions(kv, 2);
    expect(dropped).toEqual(["v-2026-11-01"]);
    expect(await kv.list(KvKeys.versionPrefix("v-2026-11-01"))).toEqual([]);
    expect((await kv.list(KvKeys.versionPrefix("v-2026-11-02"))).length).toBeGreaterThan(0);
    await expect(rollback(kv, "v-2026-11-01")).rejects.toThrow(/not in KV/);
  });
});
