import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { KvKeys } from "../../models/contract.js";
import { assign } from "../../models/experiments/assign.js";
import { pseudonym } from "../../worker/privacy/pseudonym.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import { priceRatioExperiment } from "./priceRatioExperiment.js";
import { mintToken, sampleEvent } from "./sampleEvent.js";
import { testApp } from "./testApp.js";

interface Answer {
  anchor: { sku: string; price: number };
  items: { sku: string; price: number }[];
  experiments: { id: string; variant: string }[];
  model: { version: string };
}
interface Health {
  status: string;
  config: {
    source: string;
    digest: string;
    lastError: { code: string; digest: string | null; errors: string[] } | null;
  };
}

const priceAnchor = priceRatioExperiment("price-anchor", "price-anchor-test", 0.2);
const ANCHOR = "85123A"; // £2.95

export function experimentSuite() {
  describe("experiments: stateless assignment in the Workers runtime", () => {
    const models = new ModelSource({ refreshMs: 3_600_000 });
    const app = testApp({ models, config: { experiments: [priceAnchor] } });
    const request = (path: string, init?: RequestInit) =>
      app.request(path, init, { ...env, MODELS: env.CONFIG_MODELS });

    it("splits 10,000 units 50/50 ± 2%, keeps each unit in its arm, and each arm's answers obey its price anchor", async () => {
      const counts = new Map<string, number>();
      const sets = new Map<string, Set<string>>();
      let widestControl = 0;
      const units = Array.from({ length: 10_000 }, (_, i) => `shopper-${i}`);
      for (let start = 0; start < units.length; start += 100) {
        const answers = await Promise.all(
          units.slice(start, start + 100).map(async (unit) => {
            const response = await request(`/v1/items/${ANCHOR}/also-bought?limit=6&unit=${unit}`);
            expect(response.status).toBe(200);
            return { unit, response, body: await response.json<Answer>() };
          }),
        );
        for (const { unit, response, body } of answers) {
          const [label] = body.experiments;
          expect(body.experiments).toHaveLength(1);
          expect(label?.id).toBe("price-anchor");
          const variant = label?.variant ?? "";
          expect(response.headers.get("X-Sidecart-Experiments")).toBe(`price-anchor=${variant}`);
          expect(response.headers.get("Vary")).toContain("X-Sidecart-Unit");
          counts.set(variant, (counts.get(variant) ?? 0) + 1);
          const ratio = variant === "tight" ? 0.2 : 0.3;
          for (const item of body.items) expect(item.price, unit).toBeLessThanOrEqual(ratio * body.anchor.price + 1e-9);
          if (variant === "control") widestControl = Math.max(widestControl, ...body.items.map((i) => i.price));
          const set = sets.get(variant) ?? new Set<string>();
          for (const item of body.items) set.add(item.sku);
          sets.set(variant, set);
          // The worker's arm is the one the shared assignment function gives anywhere else.
          expect(variant).toBe(assign(priceAnchor as Parameters<typeof assign>[0], unit).variant);
        }
      }
      expect([...counts.keys()].sort()).toEqual(["control", "tight"]);
      for (const n of counts.values()) expect(Math.abs(n / 10_000 - 0.5)).toBeLessThanOrEqual(0.02);
      // The arms really differ: control shows add-ons the tight anchor forbids.
      expect(widestControl).toBeGreaterThan(0.2 * 2.95);

      // Same unit, same arm: again by query, and by header (which wins over the query).
      for (const unit of units.slice(0, 300)) {
        const expected = assign(priceAnchor as Parameters<typeof assign>[0], unit).variant;
        const byHeader = await request(`/v1/items/${ANCHOR}/also-bought?unit=someone-else`, {
          headers: { "X-Sidecart-Unit": unit },
        });
        expect((await byHeader.json<Answer>()).experiments[0]?.variant).toBe(expected);
      }
    });

    it("gives units without an id the base rules, labelled unassigned, and leaves other surfaces alone", async () => {
      const body = await (await request(`/v1/items/${ANCHOR}/also-bought`)).json<Answer>();
      expect(body.experiments).toEqual([{ id: "price-anchor", variant: "unassigned" }]);
      const upgrades = await request(`/v1/items/${ANCHOR}/upgrades?unit=shopper-1`);
      expect((await upgrades.json<Answer>()).experiments).toEqual([]);
      expect(upgrades.headers.get("X-Sidecart-Experiments")).toBeNull();
    });

    it("gives each arm its own ETag", async () => {
      const tags = new Map<string, string | null>();
      for (let i = 0; tags.size < 2 && i < 50; i++) {
        const response = await request(`/v1/items/${ANCHOR}/also-bought?unit=u${i}`);
        const variant = (await response.json<Answer>()).experiments[0]?.variant ?? "";
        tags.set(variant, response.headers.get("ETag"));
      }
      expect(new Set(tags.values()).size).toBe(2);
    });

    it("enrols only the traffic share; the rest are labelled excluded", async () => {
      const half = { ...priceAnchor, traffic: 0.5 };
      const halfApp = testApp({ models, config: { experiments: [half] } });
      let excluded = 0;
      for (let i = 0; i < 1000; i++) {
        const response = await halfApp.request(
          `/v1/items/${ANCHOR}/also-bought?unit=v${i}`,
          {},
          { ...env, MODELS: env.CONFIG_MODELS },
        );
        if ((await response.json<Answer>()).experiments[0]?.variant === "excluded") excluded++;
      }
      expect(excluded).toBeGreaterThan(440);
      expect(excluded).toBeLessThan(560);
    });

    it("serves the model version a variant pins", async () => {
      const journey = inject("journeyModel").version;
      const pinned = {
        ...priceAnchor,
        id: "new-model",
        surfaces: ["upgrades"],
        variants: [
          { name: "control", weight: 1 },
          { name: "journey", weight: 1, model: journey },
        ],
      };
      const pinApp = testApp({ models, config: { experiments: [pinned] } });
      const seen = new Map<string, string>();
      for (let i = 0; seen.size < 2 && i < 50; i++) {
        const variant = assign(pinned as Parameters<typeof assign>[0], `p${i}`).variant;
        // 1000050 is a Complete Journey cereal; the retail model does not know it.
        const response = await pinApp.request(
          `/v1/items/1000050/upgrades?unit=p${i}`,
          {},
          { ...env, MODELS: env.CONFIG_MODELS },
        );
        seen.set(variant, String(response.status));
        if (variant === "journey") expect((await response.json<Answer>()).model.version).toBe(journey);
      }
      expect(Object.fromEntries(seen)).toEqual({ control: "404", journey: "200" });
    });
  });

  describe("the config document in KV", () => {
    const kv = env.CONFIG_MODELS;
    const app = testApp({ models: new ModelSource({ refreshMs: 3_600_000 }), configRefreshMs: 0 });
    const request = (path: string, init?: RequestInit) => app.request(path, init, { ...env, MODELS: kv });
    const health = async () => (await request("/healthz")).json<Health>();
    const variantOf = async (unit: string) =>
      (await (await request(`/v1/items/${ANCHOR}/also-bought?unit=${unit}`)).json<Answer>()).experiments[0]?.variant;

    it("goes live on the next read, and an invalid one never replaces it (visible in /healthz)", async () => {
      try {
        expect((await health()).config).toMatchObject({ source: "wrangler", lastError: null });
        expect(await variantOf("a")).toBeUndefined();

        await kv.put(KvKeys.config, JSON.stringify({ experiments: [priceAnchor] }));
        expect(["control", "tight"]).toContain(await variantOf("a"));
        const good = await health();
        expect(good).toMatchObject({ status: "ok", config: { source: "kv", lastError: null } });

        const wrongValue = { experiments: [{ ...priceAnchor, traffic: 2 }] };
        for (const bad of [JSON.stringify(wrongValue), "{ not json", JSON.stringify({ experiment: [] })]) {
          await kv.put(KvKeys.config, bad);
          expect(["control", "tight"]).toContain(await variantOf("a"));
          const refused = await health();
          expect(refused.status).toBe("degraded");
          expect(refused.config.digest).toBe(good.config.digest);
          expect(refused.config.source).toBe("kv");
          expect(refused.config.lastError?.code).toBe("config_invalid");
          expect(refused.config.lastError?.digest).not.toBe(good.config.digest);
        }
        await kv.put(KvKeys.config, JSON.stringify(wrongValue));
        await request("/healthz");
        expect((await health()).config.lastError?.errors).toEqual([
          "experiments[0].traffic: Too big: expected number to be <=1",
        ]);

        await kv.delete(KvKeys.config);
        expect(await variantOf("a")).toBeUndefined();
        expect((await health()).config).toMatchObject({ source: "wrangler", lastError: null });
      } finally {
        await kv.delete(KvKeys.config);
      }
    });

    it("answers CORS preflights for the configured origins only", async () => {
      const corsApp = testApp({ config: { cors: { origins: ["https://shop.example"] } } });
      const preflight = (origin: string) =>
        corsApp.request(
          `/v1/items/${ANCHOR}/also-bought`,
          {
            method: "OPTIONS",
            headers: {
              Origin: origin,
              "Access-Control-Request-Method": "GET",
              "Access-Control-Request-Headers": "x-sidecart-unit",
            },
          },
          { ...env, MODELS: kv },
        );
      const allowed = await preflight("https://shop.example");
      expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("https://shop.example");
      expect(allowed.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("x-sidecart-unit");
      expect((await preflight("https://evil.example")).headers.get("Access-Control-Allow-Origin")).toBeNull();
    });
  });

  describe("POST /v1/events", () => {
    const event = sampleEvent({ anchor: ANCHOR, experiment: "price-anchor", variant: "tight", unit: "shopper-1" });
    const post = (body: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
      exports.default.fetch("http://sidecart.test/v1/events", {
        method: "POST",
        headers,
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    // Units are stored hashed (worker/privacy/pseudonym.ts).
    const stored = async (unit: string) =>
      (
        await env.EVENTS.prepare("SELECT type, value, ts FROM events WHERE unit = ? ORDER BY id")
          .bind(await pseudonym(unit, env.UNIT_HASH_SALT))
          .all()
      ).results;

    it("accepts a batch with 202 and writes it to D1 after answering", async () => {
      const unit = `writer-${Date.now()}`;
      // The token an answer to this unit under price-anchor=tight carried (eventTokens.test.ts takes one from a real answer).
      const token = await mintToken({ ...event, unit });
      const response = await post({
        events: [
          { ...event, unit, token },
          { ...event, unit, token, type: "click", ts: "2026-11-25T10:00:00Z" },
          { ...event, unit, token, type: "purchase", value: 12.5, ts: Date.UTC(2026, 10, 25, 10, 5) },
        ],
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 3 });
      let rows: Record<string, unknown>[] = [];
      for (let i = 0; i < 50 && rows.length < 3; i++) {
        await new Promise((r) => setTimeout(r, 20));
        rows = await stored(unit).catch(() => []);
      }
      expect(rows.map((r) => r.type)).toEqual(["impression", "click", "purchase"]);
      expect(rows[1]?.ts).toBe(Date.UTC(2026, 10, 25, 10, 0));
      expect(rows[2]?.value).toBe(12.5);
    });

    it.each([
      ["an unknown type", { events: [{ ...event, type: "view" }] }, "events[0].type"],
      ["a missing unit", { events: [{ ...event, unit: undefined }] }, "events[0].unit"],
      ["a negative value", { events: [{ ...event, value: -1 }] }, "events[0].value"],
      ["a future timestamp", { events: [{ ...event, ts: Date.now() + 7 * 86_400_000 }] }, "events[0].ts"],
      ["an unknown field", { events: [{ ...event, colour: "red" }] }, "colour"],
      ["an empty batch", { events: [] }, "events"],
      ["too many events", { events: Array.from({ length: 501 }, () => event) }, "events"],
    ])("refuses %s with 400 invalid_body naming the field, and writes nothing", async (_, body, path) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      const error = (await response.json<{ error: { code: string; message: string } }>()).error;
      expect(error.code).toBe("invalid_body");
      expect(error.message).toContain(path);
    });

    it("refuses a body that is not JSON", async () => {
      expect((await post("{")).status).toBe(400);
      expect((await post(event, { "Content-Type": "text/plain" })).status).toBe(415);
    });
  });
}
