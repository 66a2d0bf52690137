import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import { experimentSuite } from "./experimentSuite.js";
import { propertySuite } from "./propertySuite.js";
import { testApp } from "./testApp.js";

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
    expect(response.headers.get("ETag")).toMatch(new RegExp(`^"${version}\\.[0-9a-f]{8}"$`));
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

  it("says what the isolate holds for the model: its head, the pages read so far and ORT's memory", async () => {
    const model = await (
      await worker("/v1/model")
    ).json<{ model: { itemCount: number }; blobs: { head: number; pages: number } }>();
    const health = await (
      await worker("/healthz")
    ).json<{ model: { residentBytes: number; ortMemoryBytes: number; pages: { cacheBytes: number } } }>();
    const { residentBytes, ortMemoryBytes, pages } = health.model;
    expect(ortMemoryBytes).toBeGreaterThan(0);
    // The answers above read pages; the cache counts them.
    expect(pages.cacheBytes).toBeGreaterThan(0);
    expect(residentBytes).toBeGreaterThanOrEqual(model.blobs.head + pages.cacheBytes + ortMemoryBytes);
    // Nothing but this model and ORT: at most every page with its strings decoded (a page counts two
    // bytes a text byte and 24 a string, and its text is part of it), and a few bytes per item the head derives.
    const decodedAtMost = 2 * model.blobs.pages + 3 * 24 * model.model.itemCount;
    expect(residentBytes).toBeLessThan(
      model.blobs.head + model.blobs.pages + decodedAtMost + ortMemoryBytes + 1024 * 1024,
    );
  });

  it("starts ORT on the small warm-up model before the live model's session (worker/ort/ortRuntime.ts)", async () => {
    const health = await (await worker("/healthz")).json<{ model: { ortWarmup: unknown; sharedSession: boolean } }>();
    expect(health.model.ortWarmup).toEqual({ state: "done", error: null });
    // The seed model was trained with the default knobs: it scores on the warm-up's own session.
    expect(health.model.sharedSession).toBe(true);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await worker("/v2/nothing");
    expect(response.status).toBe(404);
    expect((await response.json<ErrorBody>()).error.code).toBe("not_found");
  });
});

describe("model loading from KV", () => {
  const app = () => testApp({ models: new ModelSource({ refreshMs: 0, emptyRetryMs: 0 }) });

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

    // A new version whose head blob is corrupt: same manifest, flipped bytes.
    const manifest = JSON.parse((await kv.get(KvKeys.manifest(version), "text")) ?? "{}") as {
      version: string;
      blobs: { head: { key: string } };
    };
    const broken = `${version}-broken`;
    const brokenManifest = JSON.parse(JSON.stringify(manifest).replaceAll(version, broken)) as typeof manifest;
    for (const { name } of (await kv.list({ prefix: `sidecart/versions/${version}/` })).keys) {
      const value = await kv.get(name, "arrayBuffer");
      if (value !== null) await kv.put(name.replace(version, broken), value);
    }
    const catalogChunk = KvKeys.chunk(brokenManifest.blobs.head.key, 0);
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

describe("upgrades, bundle and cart through the Workers runtime", () => {
  const journey = inject("journeyModel");
  const app = testApp();
  const journeyEnv = () => ({ ...env, MODELS: env.JOURNEY_MODELS });

  interface UpgradeAnswer {
    anchor: { sku: string; price: number; category: string };
    items: {
      sku: string;
      price: number;
      category: string;
      evidence: { priceDelta: number; priceRatio: number; sizeRatio: number | null };
    }[];
    reasons: string[];
  }

  it("upgrades a Complete Journey product to the same product type, priced within the band", async () => {
    const model = (await (await app.request("/v1/model", {}, journeyEnv())).json()) as { version: string };
    expect(model.version).toBe(journey.version);
    let checked = 0;
    let sized = 0;
    // Cereals: long ladders.
    for (const sku of ["1000050", "1000806", "1003178", "1004945", "1008212"]) {
      const response = await app.request(`/v1/items/${sku}/upgrades?limit=3`, {}, journeyEnv());
      expect(response.status).toBe(200);
      const body = await response.json<UpgradeAnswer>();
      for (const item of body.items) {
        expect(item.category).toBe(body.anchor.category);
        expect(item.price).toBeGreaterThan(body.anchor.price);
        expect(item.price).toBeLessThanOrEqual(1.6 * body.anchor.price + 1e-9);
        expect(item.evidence.priceDelta).toBeCloseTo(item.price - body.anchor.price, 6);
        // The slice gives pack sizes and no tiers: a dearer upgrade is never a smaller pack.
        if (item.evidence.sizeRatio !== null) {
          expect(item.evidence.sizeRatio).toBeGreaterThanOrEqual(0.98);
          sized++;
        }
      }
      if (body.items.length > 0) checked++;
    }
    expect(checked).toBe(5);
    expect(sized).toBeGreaterThan(0);
  });

  it("never offers an upgrade after the purchase", async () => {
    const body = await (
      await app.request("/v1/items/1000050/upgrades?stage=post_purchase", {}, journeyEnv())
    ).json<UpgradeAnswer>();
    expect(body.items).toEqual([]);
    expect(body.reasons).toEqual(["stage"]);
  });

  it("also-bought on Complete Journey never returns the anchor's product type", async () => {
    for (const sku of ["1082185", "995242", "1029743", "1106523", "951590", "981760"]) {
      const response = await app.request(`/v1/items/${sku}/also-bought?limit=10`, {}, journeyEnv());
      if (response.status === 404) continue;
      const body = await response.json<AlsoBought & { anchor: { category: string }; items: { category: string }[] }>();
      for (const item of body.items) expect(item.category).not.toBe(body.anchor.category);
    }
  });

  it("bundles 85123A with complements bought with it and with each other, with the total price", async () => {
    const body = await (
      await worker("/v1/items/85123A/bundle")
    ).json<{
      bundle: {
        items: { sku: string; price: number }[];
        totalPrice: number;
        pairs: { skus: string[]; support: number }[];
      };
    }>();
    expect(body.bundle.items[0]?.sku).toBe("85123A");
    expect(body.bundle.items.length).toBeGreaterThanOrEqual(2);
    expect(body.bundle.totalPrice).toBeCloseTo(
      body.bundle.items.reduce((s, i) => s + i.price, 0),
      6,
    );
    for (const pair of body.bundle.pairs) expect(pair.support).toBeGreaterThanOrEqual(5);
  });

  it("suggests add-ons for a whole cart, priced against the cart total, and upgrades per line", async () => {
    const response = await exports.default.fetch("http://sidecart.test/v1/cart/suggestions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        items: [{ sku: "85123A", quantity: 2 }, { sku: "22423" }, { sku: "NOT-A-SKU" }],
        limit: 5,
      }),
    });
    expect(response.status).toBe(200);
    const body = await response.json<{
      cart: { total: number; lines: number; unknownSkus: string[] };
      items: { sku: string; price: number; evidence: { because: string; support: number } }[];
      upgrades: { line: { sku: string } }[];
    }>();
    expect(body.cart).toEqual({ total: 2 * 2.95 + 12.75, lines: 2, unknownSkus: ["NOT-A-SKU"] });
    expect(body.items.length).toBeGreaterThan(0);
    for (const item of body.items) {
      expect(["85123A", "22423"]).not.toContain(item.sku);
      expect(item.price).toBeLessThanOrEqual(0.3 * body.cart.total);
      expect(["85123A", "22423"]).toContain(item.evidence.because);
      expect(item.evidence.support).toBeGreaterThanOrEqual(5);
    }
    expect(body.upgrades.map((u) => u.line.sku).sort()).toEqual(["22423", "85123A"]);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("honours exclude and stage on also-bought", async () => {
    const first = await (await worker("/v1/items/85123A/also-bought?limit=3")).json<AlsoBought>();
    const skip = first.items[0]?.sku ?? "";
    const second = await (
      await worker(`/v1/items/85123A/also-bought?limit=3&exclude=${skip},ZZZ&stage=checkout`)
    ).json<AlsoBought>();
    expect(second.items.map((i) => i.sku)).not.toContain(skip);
  });
});

/** A request body sent chunked, without a Content-Length: its size is only known by reading it. */
function chunked(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

describe("bad requests get a 4xx with a code, never a 5xx", () => {
  const post = (body: string | ReadableStream<Uint8Array>, contentType = "application/json") =>
    exports.default.fetch("http://sidecart.test/v1/cart/suggestions", {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });
  const cases: [string, () => Promise<Response>, number, string][] = [
    ["unknown stage", () => worker("/v1/items/85123A/also-bought?stage=lobby"), 400, "invalid_query"],
    ["limit out of range", () => worker("/v1/items/85123A/upgrades?limit=500"), 400, "invalid_query"],
    ["negative spend", () => worker("/v1/items/85123A/upgrades?spend=-3"), 400, "invalid_query"],
    ["unknown SKU for a bundle", () => worker("/v1/items/nope/bundle"), 404, "unknown_sku"],
    ["control characters in a SKU", () => worker("/v1/items/%01%02/also-bought"), 400, "invalid_sku"],
    ["malformed JSON", () => post("{ items: ["), 400, "invalid_json"],
    ["not JSON at all", () => post("items=1", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"],
    ["empty cart", () => post(JSON.stringify({ items: [] })), 400, "invalid_body"],
    [
      "negative quantity",
      () => post(JSON.stringify({ items: [{ sku: "85123A", quantity: -1 }] })),
      400,
      "invalid_body",
    ],
    ["negative line price", () => post(JSON.stringify({ items: [{ sku: "85123A", price: -5 }] })), 400, "invalid_body"],
    [
      "cart over 100 lines",
      () => post(JSON.stringify({ items: Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}` })) })),
      400,
      "invalid_body",
    ],
    [
      "unknown stage in a cart",
      () => post(JSON.stringify({ items: [{ sku: "85123A" }], stage: "lobby" })),
      400,
      "invalid_body",
    ],
    ["unknown field", () => post(JSON.stringify({ items: [{ sku: "85123A", colour: "red" }] })), 400, "invalid_body"],
    ["only unknown SKUs", () => post(JSON.stringify({ items: [{ sku: "nope" }] })), 404, "unknown_sku"],
    ["a huge body", () => post(JSON.stringify({ items: [{ sku: "x".repeat(70_000) }] })), 413, "payload_too_large"],
    ["GET on the cart", () => worker("/v1/cart/suggestions"), 405, "method_not_allowed"],
    [
      "an over-long X-Sidecart-Unit header, like an over-long unit parameter",
      () =>
        exports.default.fetch("http://sidecart.test/v1/items/85123A/also-bought", {
          headers: { "X-Sidecart-Unit": "u".repeat(129) },
        }),
      400,
      "invalid_header",
    ],
    [
      "an over-long unit parameter",
      () => worker(`/v1/items/85123A/also-bought?unit=${"u".repeat(129)}`),
      400,
      "invalid_query",
    ],
    ["a chunked body over the limit", () => post(chunked(["[", "1,".repeat(40_000), "1]"])), 413, "payload_too_large"],
    [
      // 60,014 UTF-16 code units, under 64 KiB; 180,014 bytes, over it.
      "a chunked body under the limit in characters but over it in bytes",
      () => post(chunked([JSON.stringify({ items: [{ sku: "€".repeat(60_000) }] })])),
      413,
      "payload_too_large",
    ],
  ];
  it("a method a path does not serve gets 405 with Allow", async () => {
    const cart = await worker("/v1/cart/suggestions");
    expect(cart.headers.get("Allow")).toBe("POST, OPTIONS");
    const item = await exports.default.fetch("http://sidecart.test/v1/items/85123A/bundle", { method: "DELETE" });
    expect(item.status).toBe(405);
    expect(item.headers.get("Allow")).toBe("GET, HEAD, OPTIONS");
    expect((await worker("/v1/nowhere")).status).toBe(404);
  });

  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      const response = await send();
      expect(response.status).toBe(status);
      expect((await response.json<ErrorBody>()).error.code).toBe(code);
    });
  }
});

propertySuite();
experimentSuite();
