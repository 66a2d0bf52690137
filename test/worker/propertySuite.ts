import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Catalog } from "../../models/catalog.js";
import {
  resolveRules,
  rulesForStage,
  STAGES,
  type RulesConfig,
  type RulesDocument,
} from "../../models/config/rulesConfig.js";
import { Evidence } from "../../models/evidence.js";
import { testApp } from "./testApp.js";
import { fromBase64 } from "../base64.js";
import { ModelSource } from "../../worker/model/modelSource.js";
import type { SeedModel } from "../seedModel.js";
import {
  referenceAlsoBought,
  referenceBundle,
  referenceCart,
  referenceModel,
  referenceUpgrades,
  type ReferenceModel,
} from "./reference.js";

interface Item {
  sku: string;
  price: number | null;
  score: number;
}
interface Answer {
  items: Item[];
  reasons: string[];
}

/** The whole model the worker's pages were cut from: the reference answers from it, the worker from pages. */
function loadReference(seed: SeedModel): ReferenceModel {
  const catalog = new Catalog(new Uint8Array(fromBase64(seed.wholeBlobs.catalog)));
  const evidence = new Evidence(new Uint8Array(fromBase64(seed.wholeBlobs.evidence)), catalog.size);
  return referenceModel(seed, catalog, evidence);
}

/** Rule settings drawn per case: every knob the answers depend on. */
const rulesDocument: fc.Arbitrary<RulesDocument> = fc.record({
  crossSell: fc.record({
    priceRatio: fc.constantFrom(0.1, 0.2, 0.3, 0.5, 1),
    objective: fc.constantFrom("relevance" as const, "revenue" as const),
    maxPerCategory: fc.constantFrom(1, 2, 3),
    minLift: fc.constantFrom(0, 1, 1.5),
    minSupport: fc.constantFrom(5, 8),
    excludeSameFamily: fc.boolean(),
  }),
  upsell: fc.record({
    priceBand: fc.constantFrom(1.2, 1.6, 2.5),
    minStep: fc.constantFrom(1.01, 1.05, 1.15),
    minSimilarity: fc.constantFrom(-1, 0, 0.3),
  }),
  bundle: fc.record({ applyPriceAnchor: fc.boolean(), maxComplements: fc.constantFrom(1, 2) }),
});

/**
 * Same list, except that two items whose ranking values are within float noise (the model scores in
 * float32, the reference in float64) may trade places.
 */
function expectSameRanking(
  api: { sku: string; value: number }[],
  ref: { sku: string; value: number }[],
  label: string,
) {
  expect(api.map((i) => i.sku).length, label).toBe(ref.length);
  api.forEach((item, i) => {
    const expected = ref[i];
    if (!expected || item.sku === expected.sku) return;
    expect(Math.abs(item.value - expected.value), `${label}: #${i} ${item.sku} vs ${expected.sku}`).toBeLessThan(
      1e-4 * Math.max(1, Math.abs(expected.value)),
    );
  });
}

/**
 * Registered from api.test.ts: all Workers-runtime tests share one test file, so onnxruntime-web
 * starts once per run (a second file re-initialising it in the same workerd hung at 100% CPU here).
 */
export function propertySuite(): void {
  describe("the API equals an exhaustive reference (every catalog item scored, same rules)", () => {
    let retail: ReferenceModel;
    let journey: ReferenceModel;
    const sources = new Map<KVNamespace, ModelSource>();
    const apps = new Map<string, ReturnType<typeof testApp>>();

    beforeAll(async () => {
      retail = loadReference(inject("seedModel"));
      journey = loadReference(inject("journeyModel"));
    });

    /** One model source per namespace (one ORT session each), one app per rule document. */
    async function call(kv: KVNamespace, rules: RulesConfig, path: string, init?: RequestInit): Promise<Response> {
      let source = sources.get(kv);
      if (!source) {
        source = new ModelSource({ refreshMs: 3_600_000 });
        sources.set(kv, source);
      }
      const key = `${sources.size}:${JSON.stringify(rules)}:${[...sources.keys()].indexOf(kv)}`;
      let app = apps.get(key);
      if (!app) {
        app = testApp({ models: source, config: { rules } });
        apps.set(key, app);
      }
      const response = await app.request(path, init, { ...env, MODELS: kv });
      expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
      return response;
    }

    const value = (objective: string, score: number, price: number | null) =>
      objective === "revenue" ? score * Math.max(price ?? 0, 0) : score;

    it("also-bought: 200 random anchors, stages, exclusions and rule settings", async () => {
      let answered = 0;
      const withNeighbours = Array.from({ length: retail.catalog.size }, (_, i) => i).filter((i) =>
        retail.evidence.hasNeighbours(i),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constantFrom(...withNeighbours), fc.nat(retail.catalog.size - 1)),
          fc.constantFrom(...STAGES),
          fc.integer({ min: 1, max: 20 }),
          fc.uniqueArray(fc.nat(retail.catalog.size - 1), { maxLength: 5 }),
          rulesDocument,
          async (anchor, stage, limit, exclude, doc) => {
            const rules = resolveRules(doc);
            const sku = retail.catalog.sku.get(anchor);
            const excludeSkus = exclude.map((i) => retail.catalog.sku.get(i));
            const query = `limit=${limit}&stage=${stage}&exclude=${encodeURIComponent(excludeSkus.join(","))}`;
            const api = await (
              await call(env.MODELS, rules, `/v1/items/${encodeURIComponent(sku)}/also-bought?${query}`)
            ).json<Answer>();
            const { crossSell } = rulesForStage(rules, stage);
            const ref = referenceAlsoBought(retail, anchor, crossSell, new Set(exclude), limit);
            const objective = crossSell.objective;
            expectSameRanking(
              api.items.map((i) => ({ sku: i.sku, value: value(objective, i.score, i.price) })),
              ref.items.map((i) => ({
                sku: retail.catalog.sku.get(i.index),
                value: value(objective, i.score, retail.catalog.priceOf(i.index)),
              })),
              `also-bought ${sku}`,
            );
            if (api.items.length < limit) expect(api.reasons.length).toBeGreaterThan(0);
            if (api.items.length > 0) answered++;
          },
        ),
        { numRuns: 200, seed: 20261125 },
      );
      // Not vacuous: most cases had suggestions to compare.
      expect(answered).toBeGreaterThan(40);
    });

    it("upgrades: 150 random anchors, spends and settings on the Complete Journey ladders", async () => {
      let answered = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat(journey.catalog.size - 1),
          fc.constantFrom(...STAGES),
          fc.integer({ min: 1, max: 10 }),
          fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
          rulesDocument,
          async (anchor, stage, limit, spendCents, doc) => {
            const rules = resolveRules(doc);
            const sku = journey.catalog.sku.get(anchor);
            const spend = spendCents === null ? "" : `&spend=${spendCents / 100}`;
            const path = `/v1/items/${encodeURIComponent(sku)}/upgrades?limit=${limit}&stage=${stage}${spend}`;
            const api = await (await call(env.JOURNEY_MODELS, rules, path)).json<Answer>();
            const ref = referenceUpgrades(journey, {
              anchor,
              rules: rulesForStage(rules, stage).upsell,
              stage,
              spendMinor: spendCents,
              exclude: new Set(),
              limit,
            });
            if (ref.blocked) expect(api.reasons).toEqual([ref.blocked]);
            expectSameRanking(
              api.items.map((i) => ({ sku: i.sku, value: i.score })),
              ref.items.map((i) => ({ sku: journey.catalog.sku.get(i.index), value: i.similarity })),
              `upgrades ${sku}`,
            );
            if (api.items.length > 0) answered++;
          },
        ),
        { numRuns: 150, seed: 11 },
      );
      expect(answered).toBeGreaterThan(40);
    });

    it("cart: 100 random carts of 1–30 lines with their own prices", async () => {
      let answered = 0;
      const n = retail.catalog.size;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            fc.record({
              item: fc.nat(n - 1),
              quantity: fc.integer({ min: 1, max: 5 }),
              price: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
            }),
            { selector: (line) => line.item, minLength: 1, maxLength: 30 },
          ),
          fc.constantFrom(...STAGES),
          fc.integer({ min: 1, max: 20 }),
          rulesDocument,
          async (lines, stage, limit, doc) => {
            const rules = resolveRules(doc);
            const body = {
              items: lines.map((l) => ({
                sku: retail.catalog.sku.get(l.item),
                quantity: l.quantity,
                ...(l.price === undefined ? {} : { price: l.price / 100 }),
              })),
              stage,
              limit,
            };
            const init = {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            };
            const api = await (await call(env.MODELS, rules, "/v1/cart/suggestions", init)).json<Answer>();
            const cartLines = lines.map((l) => ({
              index: l.item,
              quantity: l.quantity,
              unitPriceMinor: l.price ?? retail.catalog.price[l.item] ?? -1,
            }));
            const { crossSell } = rulesForStage(rules, stage);
            const ref = referenceCart(retail, cartLines, crossSell, rules.cart, new Set(), limit);
            expectSameRanking(
              api.items.map((i) => ({ sku: i.sku, value: value(crossSell.objective, i.score, i.price) })),
              ref.items.map((i) => ({
                sku: retail.catalog.sku.get(i.index),
                value: value(crossSell.objective, i.score, retail.catalog.priceOf(i.index)),
              })),
              "cart",
            );
            if (api.items.length > 0) answered++;
          },
        ),
        { numRuns: 100, seed: 7 },
      );
      expect(answered).toBeGreaterThan(30);
    });

    it("bundle: 80 random anchors", async () => {
      let answered = 0;
      const withNeighbours = Array.from({ length: retail.catalog.size }, (_, i) => i).filter((i) =>
        retail.evidence.hasNeighbours(i),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...withNeighbours), rulesDocument, async (anchor, doc) => {
          const rules = resolveRules(doc);
          const sku = retail.catalog.sku.get(anchor);
          const api = await (
            await call(env.MODELS, rules, `/v1/items/${encodeURIComponent(sku)}/bundle`)
          ).json<{ bundle: { items: { sku: string }[] } | null; reasons: string[] }>();
          const ref = referenceBundle(
            retail,
            anchor,
            rulesForStage(rules, "product").crossSell,
            rules.bundle,
            new Set(),
          );
          const expected = ref.items[0]?.items.map((i) => retail.catalog.sku.get(i)) ?? null;
          expect(api.bundle?.items.map((i) => i.sku) ?? null, `bundle ${sku}`).toEqual(expected);
          if ((api.bundle?.items.length ?? 0) > 2) answered++;
        }),
        { numRuns: 80, seed: 3 },
      );
      expect(answered).toBeGreaterThan(10);
    });
  });
}
