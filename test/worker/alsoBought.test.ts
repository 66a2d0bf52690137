import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { createApp } from "../../worker/app.js";
import { ModelSource } from "../../worker/model/modelSource.js";

interface Suggestion {
  sku: string;
  title: string;
  price: number | null;
  score: number;
}
interface AlsoBought {
  anchor: { sku: string; title: string; price: number };
  items: Suggestion[];
  currency: string;
  model: { version: string };
}
interface ErrorBody {
  error: { code: string; message: string };
}

const { version } = inject("seedModel");
const worker = (path: string) => exports.default.fetch(`http://sidecart.test${path}`);

describe("GET /v1/items/:sku/also-bought through the Workers runtime", () => {
  it("suggests co-purchased add-ons within 0.3 × the anchor price, never the anchor", async () => {
    const response = await worker("/v1/items/85123A/also-bought?limit=5");
    expect(response.status).toBe(200);
    const body = await response.json<AlsoBought>();
    expect(body.anchor).toMatchObject({ sku: "85123A", title: "WHITE HANGING HEART T-LIGHT HOLDER", price: 2.95 });
    expect(body.items).toHaveLength(5);
    for (const item of body.items) {
      expect(item.sku).not.toBe("85123A");
      expect(item.price).not.toBeNull();
      expect(item.price ?? Infinity).toBeLessThanOrEqual(0.3 * 2.95);
    }
    const scores = body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(body.currency).toBe("GBP");
    expect(body.model.version).toBe(version);
    expect(response.headers.get("X-Sidecart-Model")).toBe(version);
    expect(response.headers.get("ETag")).toBe(`"${version}"`);
    expect(response.headers.get("Cache-Control")).toContain("max-age");
  });

  it("obeys the price rule for every popular anchor", async () => {
    for (const sku of ["22423", "47566", "85099B", "22720", "20725", "84879"]) {
      const body = await (await worker(`/v1/items/${sku}/also-bought?limit=10`)).json<AlsoBought>();
      expect(body.items.length, sku).toBeGreaterThan(0);
      for (const item of body.items) expect(item.price ?? Infinity).toBeLessThanOrEqual(0.3 * body.anchor.price);
    }
  });

  it("answers an unknown SKU with 404 unknown_sku", async () => {
    const response = await worker("/v1/items/NO-SUCH-SKU/also-bought");
    expect(response.status).toBe(404);
    expect((await response.json<ErrorBody>()).error.code).toBe("unknown_sku");
  });

  it("refuses a bad limit with 400 invalid_query", async () => {
    for (const limit of ["0", "51", "abc", "2.5"]) {
      const response = await worker(`/v1/items/85123A/also-bought?limit=${limit}`);
      expect(response.status, limit).toBe(400);
      expect((await response.json<ErrorBody>()).error.code).toBe("invalid_query");
    }
  });

  it("names the live model on /v1/model and /healthz", async () => {
    const model = await (await worker("/v1/model")).json<{ version: string; model: { itemCount: number } }>();
    expect(model.version).toBe(version);
    expect(model.model.itemCount).toBeGreaterThan(3000);
    const health = await worker("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", model: { version } });
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await worker("/v2/nothing");
    expect(response.status).toBe(404);
    expect((await response.json<ErrorBody>()).error.code).toBe("not_found");
  });
});

describe("model loading from KV", () => {
  const app = () => createApp({ source: new ModelSource({ refreshMs: 0, emptyRetryMs: 0 }) });

  it("answers 503 no_model when nothing was published", async () => {
    const response = await app().request("/v1/items/85123A/also-bought", {}, { ...env, MODELS: env.EMPTY_MODELS });
    expect(response.status).toBe(503);
    expect((await response.json<ErrorBody>()).error.code).toBe("no_model");
    const health = await app().request("/healthz", {}, { ...env, MODELS: env.EMPTY_MODELS });
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "no_model" });
  });

  it("never serves a version whose blob fails its checksum, and keeps the one it has", async () => {
    const kv = env.SCRATCH_MODELS;
    for (const { name } of (await env.MODELS.list()).keys) {
      const value = await env.MODELS.get(name, "arrayBuffer");
      if (value !== null) await kv.put(name, value);
    }
    const scratchEnv = { ...env, MODELS: kv };
    const served = app();
    expect((await served.request("/v1/items/85123A/also-bought", {}, scratchEnv)).status).toBe(200);

    // A new version whose catalog blob is corrupt: same manifest, flipped bytes.
    const manifest = JSON.parse((await kv.get(KvKeys.manifest(version), "text")) ?? "{}") as {
      version: string;
      blobs: { catalog: { key: string } };
    };
    const broken = `${version}-broken`;
    const brokenManifest = JSON.parse(JSON.stringify(manifest).replaceAll(version, broken)) as typeof manifest;
    for (const { name } of (await kv.list({ prefix: `sidecart/versions/${version}/` })).keys) {
      const value = await kv.get(name, "arrayBuffer");
      if (value !== null) await kv.put(name.replace(version, broken), value);
    }
    const catalogChunk = KvKeys.chunk(brokenManifest.blobs.catalog.key, 0);
    const bytes = new Uint8Array((await kv.get(catalogChunk, "arrayBuffer")) ?? new ArrayBuffer(0));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await kv.put(catalogChunk, bytes);
    await kv.put(KvKeys.manifest(broken), JSON.stringify(brokenManifest));
    await kv.put(KvKeys.pointer, JSON.stringify({ version: broken, publishedAt: new Date().toISOString() }));

    const fresh = app();
    const refused = await fresh.request("/v1/items/85123A/also-bought", {}, scratchEnv);
    expect(refused.status).toBe(503);
    expect((await refused.json<ErrorBody>()).error.code).toBe("model_unavailable");

    const still = await served.request("/v1/items/85123A/also-bought", {}, scratchEnv);
    expect(still.status).toBe(200);
    expect((await still.json<AlsoBought>()).model.version).toBe(version);
    const health = await (
      await served.request("/healthz", {}, scratchEnv)
    ).json<{ status: string; model: { lastError: { code: string } } }>();
    expect(health.status).toBe("degraded");
    expect(health.model.lastError.code).toBe("blob_checksum_mismatch");
  });
});
