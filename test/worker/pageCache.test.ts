import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { Catalog } from "../../models/catalog.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import { fromBase64 } from "../base64.js";
import { testApp } from "./testApp.js";

interface Health {
  model: {
    residentBytes: number;
    pages: { cachedPages: number; cacheBytes: number; cacheLimitBytes: number; evictions: number; reads: number };
  };
}

/**
 * A model far larger than a deliberately small page cache (64 KiB: two pages) answers exactly as an
 * isolate that holds every page: the same bytes for every surface, in the real runtime with real KV.
 */
describe("a page cache smaller than one request's pages", () => {
  const seed = inject("seedModel");
  const catalog = new Catalog(new Uint8Array(fromBase64(seed.wholeBlobs.catalog)));
  const small = testApp({ models: new ModelSource({ refreshMs: 3_600_000, pageCacheBytes: 64 * 1024 }) });
  const whole = testApp({ models: new ModelSource({ refreshMs: 3_600_000 }) });
  // Every 50th product: best sellers, rare and never-sold ones alike.
  const skus = Array.from({ length: Math.ceil(catalog.size / 50) }, (_, i) => catalog.sku.get(i * 50));

  it("answers every surface as the isolate holding the whole model does", async () => {
    const same = async (path: string, init?: RequestInit) => {
      const [a, b] = await Promise.all([small.request(path, init, env), whole.request(path, init, env)]);
      expect(a.status, path).toBe(b.status);
      expect(await a.text(), path).toBe(await b.text());
    };
    for (const sku of skus) {
      const path = `/v1/items/${encodeURIComponent(sku)}`;
      await same(`${path}/also-bought`);
      await same(`${path}/upgrades`);
      await same(`${path}/bundle`);
    }
    for (let c = 0; c < 10; c++) {
      const items = skus.slice(c * 3, c * 3 + 1 + c).map((sku) => ({ sku, quantity: 1 }));
      await same("/v1/cart/suggestions", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items }),
      });
    }
    const health = await (await small.request("/healthz", {}, env)).json<Health>();
    expect(health.model.pages.cacheLimitBytes).toBe(64 * 1024);
    expect(health.model.pages.cacheBytes).toBeLessThanOrEqual(64 * 1024);
    // Pages came and went: the bound held while answers stayed whole.
    expect(health.model.pages.evictions).toBeGreaterThan(100);
    const wholeHealth = await (await whole.request("/healthz", {}, env)).json<Health>();
    expect(wholeHealth.model.pages.evictions).toBe(0);
    expect(wholeHealth.model.pages.cacheBytes).toBeGreaterThan(health.model.pages.cacheBytes);
  });
});
