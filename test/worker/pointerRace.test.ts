import { env } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import { fromBase64 } from "../base64.js";
import { testApp } from "./testApp.js";

interface Health {
  status: string;
  model: { version: string | null; lastError: { code: string; message: string } | null };
}

/**
 * KV is eventually consistent: an edge can see the new pointer before the new version's manifest or
 * blob chunks reach it, although the publisher wrote them first. The edge must keep serving the model
 * it has, say on /healthz what it is waiting for, and switch on its next refresh once they arrive.
 */
describe("an edge that sees the new pointer before the new version's keys", () => {
  const old = inject("seedModel");
  const next = inject("journeyModel");
  const kv = env.SCRATCH_MODELS;
  const edge = { ...env, MODELS: kv };
  const REFRESH_MS = 30_000;
  let clock = 1_000_000;
  const models = new ModelSource({ refreshMs: REFRESH_MS, emptyRetryMs: 0, now: () => clock });
  const app = testApp({ models });

  const nextEntries = new Map(next.entries);
  // Blob chunks and pages: everything a publish writes before the manifest.
  const nextChunks = next.entries.map(([key]) => key).filter((key) => key.includes("#") || key.includes("/pages/"));
  const missingChunk = nextChunks.find((key) => key.includes("/head.bin#")) ?? "";

  const liveVersion = async () => {
    const response = await app.request("/v1/model", {}, edge);
    expect(response.status).toBe(200);
    return (await response.json<{ version: string }>()).version;
  };
  const health = async () => (await app.request("/healthz", {}, edge)).json<Health>();
  const write = async (key: string) => {
    const value = nextEntries.get(key);
    if (value === undefined) throw new Error(`no ${key} in the journey model's entries`);
    await kv.put(key, fromBase64(value));
  };

  beforeAll(async () => {
    // The scratch namespace may hold another file's leftovers: start from the old model alone.
    for (const { name } of (await kv.list()).keys) await kv.delete(name);
    for (const [key, value] of old.entries) await kv.put(key, fromBase64(value));
  });

  it("serves the old model, then waits out a missing manifest and a missing chunk, then switches", async () => {
    expect(missingChunk).not.toBe("");
    expect(await liveVersion()).toBe(old.version);

    // 1. The pointer arrives first: no manifest under the new version yet.
    await write(KvKeys.pointer);
    clock += REFRESH_MS;
    expect(await liveVersion()).toBe(old.version);
    const item = await app.request("/v1/items/85123A/also-bought?limit=3", {}, edge);
    expect(item.status).toBe(200);
    expect(item.headers.get("X-Sidecart-Model")).toBe(old.version);
    let status = await health();
    expect(status.status).toBe("degraded");
    expect(status.model.version).toBe(old.version);
    expect(status.model.lastError).toMatchObject({
      code: "missing_manifest",
      message: `no manifest for version ${next.version}`,
    });

    // 2. The manifest and every chunk but one arrive.
    await write(KvKeys.manifest(next.version));
    for (const key of nextChunks) if (key !== missingChunk) await write(key);
    clock += REFRESH_MS;
    expect(await liveVersion()).toBe(old.version);
    status = await health();
    expect(status.status).toBe("degraded");
    expect(status.model.version).toBe(old.version);
    expect(status.model.lastError).toMatchObject({ code: "missing_blob", message: `${missingChunk} is missing` });

    // 3. The last chunk arrives: nothing changes until the refresh is due, then the new model serves.
    await write(missingChunk);
    clock += REFRESH_MS - 1;
    expect(await liveVersion()).toBe(old.version);
    clock += 1;
    expect(await liveVersion()).toBe(next.version);
    status = await health();
    expect(status).toMatchObject({ status: "ok", model: { version: next.version, lastError: null } });
  });
});
