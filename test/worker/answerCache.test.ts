import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { assign } from "../../models/experiments/assign.js";
import { AnswerMemo } from "../../worker/middleware/answerMemo.js";
import { priceRatioExperiment } from "./priceRatioExperiment.js";
import { testApp } from "./testApp.js";

const ANCHOR = "85123A";
const CACHE = "X-Sidecart-Cache";

// Each test uses its own config (so its own digest, so its own cache keys): the Cache API is shared
// by every test in this runtime.
const configWith = (minSupport: number) => ({ rules: { crossSell: { minSupport } } });

/** An answer's text without its event token (each unit's own, added after the cache), and the token. */
function withoutToken(text: string): [string, unknown] {
  const { token, ...rest } = JSON.parse(text) as { token?: unknown };
  return [JSON.stringify(rest), token];
}

describe("conditional requests", () => {
  const app = testApp({ config: configWith(6) });

  it("answers 304 without a body when If-None-Match names the current ETag, 200 otherwise", async () => {
    const first = await app.request(`/v1/items/${ANCHOR}/also-bought`, {}, env);
    expect(first.status).toBe(200);
    const tag = first.headers.get("ETag") ?? "";
    expect(tag).not.toBe("");
    const again = await app.request(`/v1/items/${ANCHOR}/also-bought`, { headers: { "If-None-Match": tag } }, env);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("ETag")).toBe(tag);
    const weak = await app.request(
      `/v1/items/${ANCHOR}/upgrades`,
      { headers: { "If-None-Match": `"other", W/${tag}` } },
      env,
    );
    expect(weak.status).toBe(304);
    const stale = await app.request(`/v1/items/${ANCHOR}/also-bought`, { headers: { "If-None-Match": '"old"' } }, env);
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe(await first.text());
  });

  it("never answers 304 for a config the tag does not name", async () => {
    const tag = (await app.request(`/v1/items/${ANCHOR}/also-bought`, {}, env)).headers.get("ETag") ?? "";
    const other = testApp({ config: configWith(7) });
    const response = await other.request(`/v1/items/${ANCHOR}/also-bought`, { headers: { "If-None-Match": tag } }, env);
    expect(response.status).toBe(200);
    expect(response.headers.get("ETag")).not.toBe(tag);
  });
});

describe("the answer cache (Cache API)", () => {
  it("is off by default: every answer is computed", async () => {
    const app = testApp({ config: configWith(8) });
    const response = await app.request(`/v1/items/${ANCHOR}/also-bought`, {}, env);
    expect(response.status).toBe(200);
    expect(response.headers.get(CACHE)).toBeNull();
  });

  it("stores a 200 and serves it again byte for byte, whatever the unit id", async () => {
    const app = testApp({ config: configWith(9), answerCacheSeconds: 60 });
    const miss = await app.request(`/v1/items/${ANCHOR}/also-bought?limit=4&unit=a`, {}, env);
    expect(miss.headers.get(CACHE)).toBe("miss");
    const body = await miss.text();
    const hit = await app.request(`/v1/items/${ANCHOR}/also-bought?unit=b&limit=4`, {}, env);
    expect(hit.status).toBe(200);
    expect(hit.headers.get(CACHE)).toBe("hit");
    // Each unit's answer carries its own token: private, and an ETag of its own.
    expect(hit.headers.get("Cache-Control")).toBe("private, max-age=60");
    expect(hit.headers.get("ETag")).not.toBe(miss.headers.get("ETag"));
    expect(hit.headers.get("ETag")?.replace(/\.u[0-9a-z]+"$/, "")).toBe(
      miss.headers.get("ETag")?.replace(/\.u[0-9a-z]+"$/, ""),
    );
    // Byte for byte but for the event token, which is each unit's own (added after the cache).
    const [stored, storedToken] = withoutToken(body);
    const [served, servedToken] = withoutToken(await hit.text());
    expect(served).toBe(stored);
    expect(servedToken).not.toBe(storedToken);
    const other = await app.request(`/v1/items/${ANCHOR}/also-bought?limit=5`, {}, env);
    expect(other.headers.get(CACHE)).toBe("miss");
    expect(JSON.parse(await other.text()).items).toHaveLength(5);
  });

  it("shares answers between isolates through the Cache API", async () => {
    const first = testApp({ config: configWith(12), answerCacheSeconds: 60 });
    const miss = await first.request(`/v1/items/${ANCHOR}/upgrades`, {}, env);
    expect(miss.headers.get(CACHE)).toBe("miss");
    // A second app has an empty isolate memo: only the shared cache can answer.
    const second = testApp({ config: configWith(12), answerCacheSeconds: 60 });
    const hit = await second.request(`/v1/items/${ANCHOR}/upgrades`, {}, env);
    expect(hit.headers.get(CACHE)).toBe("hit");
    expect(hit.headers.get("ETag")).toBe(miss.headers.get("ETag"));
    expect(hit.headers.get("Content-Type")).toContain("application/json");
    expect(await hit.text()).toBe(await miss.text());
  });

  it("never stores an error", async () => {
    const app = testApp({ config: configWith(10), answerCacheSeconds: 60 });
    for (let i = 0; i < 2; i++) {
      const response = await app.request("/v1/items/NO-SUCH-SKU/also-bought", {}, env);
      expect(response.status).toBe(404);
      expect(response.headers.get(CACHE)).toBeNull();
    }
  });

  it("keeps each experiment arm's answers apart", async () => {
    const experiment = priceRatioExperiment("cache-arms", "cache-arms", 0.1);
    const app = testApp({ config: { ...configWith(11), experiments: [experiment] }, answerCacheSeconds: 60 });
    const units = new Map<string, string[]>();
    for (let i = 0; i < 40 && [...units.values()].filter((u) => u.length >= 2).length < 2; i++) {
      const { variant } = assign(experiment as Parameters<typeof assign>[0], `u${i}`);
      units.set(variant, [...(units.get(variant) ?? []), `u${i}`]);
    }
    const [a1, a2] = units.get("control") ?? [];
    const [b1] = units.get("tight") ?? [];
    const ask = async (unit: string | undefined) => {
      const response = await app.request(`/v1/items/${ANCHOR}/also-bought?unit=${unit ?? ""}`, {}, env);
      const body = await response.json<{ items: { price: number }[]; experiments: { variant: string }[] }>();
      return { cache: response.headers.get(CACHE), body };
    };
    const control = await ask(a1);
    expect(control.cache).toBe("miss");
    const tight = await ask(b1);
    expect(tight.cache).toBe("miss");
    expect(tight.body.experiments[0]?.variant).toBe("tight");
    for (const item of tight.body.items) expect(item.price).toBeLessThanOrEqual(0.1 * 2.95);
    const sameArm = await ask(a2);
    expect(sameArm.cache).toBe("hit");
    expect({ ...sameArm.body, token: undefined }).toEqual({ ...control.body, token: undefined });
  });
});

describe("AnswerMemo", () => {
  const entry = (body: string, expires = Infinity) => ({ body, headers: [], expires });

  it("evicts the least recently used answers beyond its bytes, and expired ones on read", () => {
    const memo = new AnswerMemo(80);
    memo.set("a", entry("x".repeat(10)));
    memo.set("b", entry("y".repeat(10)));
    expect(memo.get("a", 0)?.body).toHaveLength(10); // a is now the most recent
    for (let i = 0; i < 7; i++) memo.set(`n${i}`, entry("z".repeat(10)));
    expect(memo.get("b", 0)).toBeUndefined();
    expect(memo.get("a", 0)).toBeDefined();
    expect(memo.size).toBe(8);
    memo.set("old", entry("o", 5));
    expect(memo.get("old", 4)).toBeDefined();
    expect(memo.get("old", 5)).toBeUndefined();
    memo.set("big", entry("b".repeat(11))); // above an eighth of the bound: not kept
    expect(memo.get("big", 0)).toBeUndefined();
  });
});
