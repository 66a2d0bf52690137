import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { readArtifacts } from "../../trainer/artifacts.js";
import { readHistory, readLivePointer, rollback } from "../../trainer/publish/history.js";
import { applyRetention } from "../../trainer/publish/retention.js";
import type { KvStore } from "../../trainer/publish/kvStore.js";
import { openLocalKv } from "../../trainer/publish/localKv.js";
import { publishVersion } from "../../trainer/publish/publishVersion.js";
import { repoRoot } from "../fixtures.js";
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

  it("rolls the pointer back to the previous version, then forward by name, and prunes old versions", async () => {
    // Three versions of the same blobs under different version ids.
    const versions = ["v-2026-11-01", "v-2026-11-02", "v-2026-11-03"];
    for (const version of versions) await publishAs(version);
    expect((await readLivePointer(kv))?.version).toBe("v-2026-11-03");
    expect((await readHistory(kv)).versions.map((v) => v.version)).toEqual(versions);

    expect((await rollback(kv)).version).toBe("v-2026-11-02");
    expect((await readLivePointer(kv))?.version).toBe("v-2026-11-02");
    expect((await rollback(kv, "v-2026-11-03")).version).toBe("v-2026-11-03");
    await expect(rollback(kv, "v-nope")).rejects.toThrow(/not in KV/);

    const dropped = (await applyRetention(kv, 2)).deleted.map((d) => d.version);
    expect(dropped).toEqual(["v-2026-11-01"]);
    expect(await kv.list(KvKeys.versionPrefix("v-2026-11-01"))).toEqual([]);
    expect((await kv.list(KvKeys.versionPrefix("v-2026-11-02"))).length).toBeGreaterThan(0);
    await expect(rollback(kv, "v-2026-11-01")).rejects.toThrow(/not in KV/);
  });

  it("never prunes a version the pushed config pins, and refuses to pin one that is not published", async () => {
    const pinning = (version: string) =>
      checkConfigText(
        "pin.json",
        JSON.stringify({
          experiments: [
            {
              id: "last-week",
              salt: "s",
              enabled: true,
              traffic: 1,
              surfaces: ["also-bought"],
              variants: [
                { name: "control", weight: 1 },
                { name: "old", weight: 1, model: version },
              ],
            },
          ],
        }),
      );
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
