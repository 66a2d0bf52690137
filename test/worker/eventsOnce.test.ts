/**
 * Issue 30's attacks, in the Workers runtime: replayed events, events about SKUs an answer never
 * showed, a deployed worker without its secrets, shared caches, and malformed requests.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { UNIT_TOTALS } from "../../models/events/event.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import { pseudonym } from "../../worker/privacy/pseudonym.js";
import { sampleEvent } from "./sampleEvent.js";
import { askCart, testApp } from "./testApp.js";

interface Answer {
  items: { sku: string }[];
  token?: string;
}
interface Refusal {
  error: { code: string; message: string };
}

const ANCHOR = "85123A";
const app = testApp({ models: new ModelSource({ refreshMs: 3_600_000 }) });

const ask = async (unit: string, bindings: Env = env) => {
  const response = await app.request(`/v1/items/${ANCHOR}/also-bought?unit=${unit}`, {}, bindings);
  expect(response.status).toBe(200);
  return response;
};
const post = (events: unknown[], bindings: Env = env) =>
  app.request(
    "/v1/events",
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) },
    bindings,
  );

/** The report's sums for one unit: what a replay must not move. */
async function unitTotals(unit: string) {
  const hashed = await pseudonym(unit, env.UNIT_HASH_SALT);
  const { results } = await env.EVENTS.prepare(`SELECT * FROM (${UNIT_TOTALS}) WHERE unit = ?`)
    .bind(hashed)
    .all<{ impressions: number; clicks: number; adds: number; revenue: number }>();
  return results.map((r) => ({
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    adds: Number(r.adds),
    revenue: Number(r.revenue),
  }));
}

async function session(unit: string) {
  const answer = await (await ask(unit)).json<Answer>();
  const sku = answer.items[0]?.sku ?? "";
  expect(sku).not.toBe("");
  const base = sampleEvent({ anchor: ANCHOR, unit, token: answer.token, sku });
  return { answer, sku, base };
}

describe("events count once", () => {
  it("a replayed batch, and an event sent twice in one batch, leave the report as the first batch left it", async () => {
    const unit = `replay-${crypto.randomUUID()}`;
    const { base } = await session(unit);
    const batch = [
      base,
      base,
      { ...base, type: "click" },
      { ...base, type: "add_to_cart", value: 5 },
      { ...base, type: "purchase", value: 400 },
    ];
    expect((await post(batch)).status).toBe(202);
    const first = await unitTotals(unit);
    expect(first).toEqual([{ impressions: 1, clicks: 1, adds: 1, revenue: 400 }]);
    for (let i = 0; i < 3; i++) expect((await post(batch)).status).toBe(202);
    expect(await unitTotals(unit)).toEqual(first);
  });
});

describe("a token vouches for the SKUs its answer showed", () => {
  it("refuses a purchase of a SKU the answer never showed, or of one not in the catalog", async () => {
    const unit = `shown-${crypto.randomUUID()}`;
    const { answer, base } = await session(unit);
    const shown = new Set(answer.items.map((i) => i.sku));
    const unshown = ["23166", "NOT-A-SKU", ANCHOR].filter((sku) => !shown.has(sku));
    expect(unshown.length).toBeGreaterThan(1);
    for (const sku of unshown) {
      const response = await post([{ ...base, sku, type: "purchase", value: 10 }]);
      expect(response.status, sku).toBe(403);
      expect((await response.json<Refusal>()).error.code, sku).toBe("sku_not_shown");
    }
    expect(await unitTotals(unit)).toEqual([]);
  });

  it("vouches for a cart's suggestions and its own lines", async () => {
    const unit = `cart-${crypto.randomUUID()}`;
    const response = await askCart(app, [ANCHOR, "22423"], unit, env);
    const answer = await response.json<Answer>();
    const cartEvent = (sku: string) =>
      sampleEvent({ surface: "cart", anchor: undefined, unit, token: answer.token, sku, type: "purchase", value: 3 });
    const suggested = answer.items[0]?.sku ?? "";
    expect((await post([cartEvent(suggested), cartEvent("22423")])).status).toBe(202);
    expect((await (await post([cartEvent("23166")])).json<Refusal>()).error.code).toBe("sku_not_shown");
  });
});

describe("fails closed when deployed without its secrets", () => {
  const deployed = { ...env, SIDECART_LOCAL: undefined } as unknown as Env;

  it("signs nothing, refuses events with 503 token_key_missing, and says degraded", async () => {
    const answer = await (await ask(`deployed-${crypto.randomUUID()}`, deployed)).json<Answer>();
    expect(answer.token).toBeUndefined();
    const refused = await post([sampleEvent({ token: "AAAA.AAAAAAAAAAAAAAAA" })], deployed);
    expect(refused.status).toBe(503);
    expect((await refused.json<Refusal>()).error.code).toBe("token_key_missing");
    const health = await (
      await app.request("/healthz", {}, deployed)
    ).json<{
      status: string;
      events: { accepted: boolean; tokenKey: string; problem: { code: string } | null };
    }>();
    expect(health.status).toBe("degraded");
    expect(health.events).toMatchObject({
      accepted: false,
      tokenKey: "missing",
      problem: { code: "token_key_missing" },
    });
    // Locally the same worker takes events, and says so.
    const local = await (await app.request("/healthz", {}, env)).json<{ events: { accepted: boolean } }>();
    expect(local.events.accepted).toBe(true);
  });

  it("refuses events while the public local salt is deployed, even with a token key", async () => {
    const keyed = { ...deployed, EVENT_TOKEN_KEY: "a-real-secret" } as unknown as Env;
    const answer = await (await ask(`salt-${crypto.randomUUID()}`, keyed)).json<Answer>();
    expect(answer.token).toBeDefined();
    const refused = await post([sampleEvent({ token: answer.token })], keyed);
    expect(refused.status).toBe(503);
    expect((await refused.json<Refusal>()).error.code).toBe("unit_salt_missing");
    const salted = { ...keyed, UNIT_HASH_SALT: "a-real-salt" } as unknown as Env;
    expect((await app.request("/healthz", {}, salted)).status).toBe(200);
  });
});

describe("an answer with a unit's token stays the unit's", () => {
  it("is private, and two units never get one ETag", async () => {
    const [a, b] = await Promise.all([ask(`etag-a-${crypto.randomUUID()}`), ask(`etag-b-${crypto.randomUUID()}`)]);
    expect(a.headers.get("Cache-Control")).toMatch(/^private/);
    expect(a.headers.get("ETag")).not.toBe(b.headers.get("ETag"));
    // Without a unit (no token): public, as before.
    const shared = await app.request(`/v1/items/${ANCHOR}/also-bought`, {}, env);
    expect(shared.headers.get("Cache-Control")).toMatch(/^public/);
    // A unit's own revalidation still gets its 304.
    const unit = `etag-c-${crypto.randomUUID()}`;
    const tag = (await ask(unit)).headers.get("ETag") ?? "";
    const again = await app.request(
      `/v1/items/${ANCHOR}/also-bought?unit=${unit}`,
      { headers: { "If-None-Match": tag } },
      env,
    );
    expect(again.status).toBe(304);
  });
});

describe("malformed requests get the status the document gives", () => {
  it('documents a path SKU as never "." or ".." (a URL collapses them before any route)', async () => {
    const document = await (
      await app.request("/openapi.json", {}, env)
    ).json<{
      paths: Record<string, { get: { parameters: { name: string; schema: { not?: { enum: string[] } } }[] } }>;
    }>();
    const sku = document.paths["/v1/items/{sku}/also-bought"]?.get.parameters.find((p) => p.name === "sku");
    expect(sku?.schema.not?.enum).toEqual([".", ".."]);
    expect((await app.request("/v1/items/./also-bought", {}, env)).status).toBe(404);
  });

  it("answers other methods on the widget and the demo page 405 with Allow too, and serves them on GET", async () => {
    for (const path of ["/widget/v1/sidecart.js", "/demo/"]) {
      const refused = await app.request(path, { method: "POST", body: "x" }, env);
      expect(refused.status, path).toBe(405);
      expect(refused.headers.get("Allow"), path).toBe("GET, HEAD, OPTIONS");
      expect((await refused.json<Refusal>()).error.code).toBe("method_not_allowed");
    }
    const widget = await app.request("/widget/v1/sidecart.js", {}, env);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("Content-Type")).toContain("javascript");
    // The demo page keeps the asset layer's headers: the API's CSP (default-src 'none') would stop its scripts.
    const demo = await app.request("/demo/", {}, env);
    expect(demo.status).toBe(200);
    expect(demo.headers.get("Content-Security-Policy")).toBeNull();
    expect(demo.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("answers a method a path does not serve with 405 and Allow, as each operation documents", async () => {
    const response = await app.request(`/v1/items/${ANCHOR}/also-bought`, { method: "DELETE" }, env);
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toContain("GET");
    const document = await (
      await app.request("/openapi.json", {}, env)
    ).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    for (const [path, operations] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(operations))
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain("405");
  });

  const cases: [string, string, RequestInit][] = [
    ["an empty exclude entry", `/v1/items/${ANCHOR}/also-bought?exclude=a,,b`, {}],
    ["an empty unit header", `/v1/items/${ANCHOR}/also-bought`, { headers: { "X-Sidecart-Unit": "" } }],
    ["an empty spend", `/v1/items/${ANCHOR}/upgrades?spend=`, {}],
    ["a hexadecimal spend", `/v1/items/${ANCHOR}/upgrades?spend=0x10`, {}],
    ["a query that is not UTF-8", `/v1/catalog/search?q=%FF`, {}],
  ];
  for (const [what, path, init] of cases) {
    it(`refuses ${what} with 400`, async () => {
      const response = await app.request(path, init, env);
      expect(response.status).toBe(400);
      expect((await response.json<Refusal>()).error.code).toMatch(/^invalid_/);
    });
  }
});

describe("units the worker issues", () => {
  const fresh = () => ({ "CF-Connecting-IP": `203.0.113.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}` });
  const askNew = (headers: Record<string, string>, on = app) =>
    on.request(`/v1/items/${ANCHOR}/also-bought?unit=new`, { headers }, env);

  it("issues a signed unit on unit=new, with a token for it; an anonymous answer gets none", async () => {
    const answer = await (await askNew(fresh())).json<Answer & { unit?: string }>();
    expect(answer.unit).toMatch(/^i1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{12}$/);
    expect(answer.token).toBeDefined();
    // Named again, it is the shopper's unit: no new one, and its events count.
    const again = await (await ask(answer.unit ?? "")).json<Answer & { unit?: string }>();
    expect(again.unit).toBeUndefined();
    const sku = again.items[0]?.sku ?? "";
    expect((await post([sampleEvent({ anchor: ANCHOR, unit: answer.unit, token: again.token, sku })])).status).toBe(
      202,
    );
    const anonymous = await (
      await app.request(`/v1/items/${ANCHOR}/also-bought`, {}, env)
    ).json<Answer & { unit?: string }>();
    expect(anonymous.unit).toBeUndefined();
    expect(anonymous.token).toBeUndefined();
  });

  it("issues at most UNITS_LIMITER's 30 new units a minute to one client; then answers without one", async () => {
    const client = fresh();
    const units: (string | undefined)[] = [];
    for (let i = 0; i < 32; i++) units.push((await (await askNew(client)).json<{ unit?: string }>()).unit);
    expect(new Set(units.slice(0, 30)).size).toBe(30);
    expect(units.slice(30)).toEqual([undefined, undefined]);
    // Another client still gets one.
    expect((await (await askNew(fresh())).json<{ unit?: string }>()).unit).toBeDefined();
  });

  it('with events.units "issued", refuses events from a unit the caller named', async () => {
    const strict = testApp({ config: { events: { units: "issued" } } });
    const named = `named-${crypto.randomUUID()}`;
    const namedAnswer = await (
      await strict.request(`/v1/items/${ANCHOR}/also-bought?unit=${named}`, {}, env)
    ).json<Answer>();
    const refused = await strict.request(
      "/v1/events",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          events: [
            sampleEvent({ anchor: ANCHOR, unit: named, token: namedAnswer.token, sku: namedAnswer.items[0]?.sku }),
          ],
        }),
      },
      env,
    );
    expect(refused.status).toBe(403);
    expect((await refused.json<Refusal>()).error.code).toBe("unit_not_issued");
    const issued = await (await askNew(fresh(), strict)).json<Answer & { unit?: string }>();
    const accepted = await strict.request(
      "/v1/events",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          events: [sampleEvent({ anchor: ANCHOR, unit: issued.unit, token: issued.token, sku: issued.items[0]?.sku })],
        }),
      },
      env,
    );
    expect(accepted.status).toBe(202);
  });
});
