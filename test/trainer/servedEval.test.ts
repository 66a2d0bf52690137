import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { readOrders } from "../../trainer/ingest/orders.js";
import type { QueryScorer } from "../../trainer/eval/scorers.js";
import { evenSample, servedContext } from "../../trainer/eval/servedContext.js";
import { evaluateServed } from "../../trainer/eval/servedEval.js";
import { splitAt } from "../../trainer/eval/split.js";
import { testLines, type TestLine } from "../../trainer/eval/testLines.js";
import { makeCatalog, makeEvidence } from "../rules/fixtures.js";
import { quiet, tempFile } from "./helpers.js";

/**
 * A (£10) is bought with B (£2) and C (£3), B with C; D (£12) is A's upgrade (same family); E (£50)
 * has no evidence. Default rules: add-ons ≤ 0.3 × their anchor (or cart line), upgrades ≤ 1.6 ×.
 */
const catalog = makeCatalog([
  { sku: "A", price: 10, family: "fa" },
  { sku: "B", price: 2 },
  { sku: "C", price: 3 },
  { sku: "D", price: 12, family: "fa" },
  { sku: "E", price: 50 },
]);
const pairs: [number, number, number][] = [
  [0, 1, 20],
  [0, 2, 20],
  [1, 2, 10],
];
const evidence = makeEvidence([40, 30, 30, 10, 10], pairs, 200);

/** The graph's candidates: the query's partners, scored by summed support; query items never. */
const scorer: QueryScorer = {
  name: "fixture",
  score(query, out) {
    out.fill(Number.NEGATIVE_INFINITY);
    for (const q of query) {
      for (const [a, b, support] of pairs) {
        const other = a === q ? b : b === q ? a : -1;
        if (other >= 0) out[other] = Math.max(out[other] ?? 0, 0) + support;
      }
    }
    for (const q of query) out[q] = Number.NEGATIVE_INFINITY;
  },
};

const line = (index: number, quantity: number, unitPriceMinor: number): TestLine => ({
  index,
  quantity,
  unitPriceMinor,
});
// Basket 1: A, 3 × B at £2, D. Basket 2: A, 2 × C. Basket 3: B, E.
const testBaskets = [
  [line(0, 1, 1000), line(1, 3, 200), line(3, 1, 1200)],
  [line(0, 1, 1000), line(2, 2, 300)],
  [line(1, 1, 200), line(4, 1, 5000)],
];
/** A context over the three baskets; each has its own memo of answers. */
const newContext = () =>
  servedContext({
    catalog,
    evidence,
    ladders: new LadderIndex(catalog),
    scorer,
    similarity: (_anchor, members) => members.map(() => 0.5),
    skus: ["A", "B", "C", "D", "E"],
    testBaskets,
  });
const context = newContext();

describe("evaluateServed on three hand-computed baskets", () => {
  const served = evaluateServed(context, DEFAULT_RULES, 10);
  /** One task's figures, in the order a task's report lists them. */
  const figures = (
    queries: number,
    coverage: number,
    hitRate: number,
    revenue: number,
    addOnRevenue: number,
    revenueShare: number,
  ) => ({ queries, coverage, "HR@10": hitRate, "revenue@10": revenue, addOnRevenue, "revenueShare@10": revenueShare });
  /** Basket 1 hits B (3 × £2 = £6 of B £6 + D £12), basket 2 hits C (2 × £3 of £6), basket 3 none (E £50). */
  const anchorHits = figures(3, 0.6667, 0.6667, 12, 74, 0.1622);

  it("anchor task: A's also-bought is [B, C]; B's add-ons are all over 0.3 × £2", () => {
    expect(served.anchor).toMatchObject({
      ...anchorHits,
      sources: { item: 1, category: 0, graph: 0 },
      // Of the 5 products, A, and D (never bought with anything) through its variant A at the graph level.
      catalogCoverage: 0.4,
    });
    expect(served.currency).toBe("GBP");
  });

  it("basket task: each item held out, the rest is the cart, add-ons priced per line", () => {
    // Answered: basket 1 without B ([B, C]: hit, £6), without D ([C]), basket 2 without C ([B, C]: hit,
    // £6). Empty: without A (C and A over 0.3 × B's line), basket 2 without A, basket 3 both ways.
    expect(served.basket).toMatchObject(figures(7, 0.4286, 0.2857, 12, 96, 0.125));
    expect(served.basket.sampledFrom).toBeUndefined();
  });

  it("upgrades: only basket 1 holds a class above its anchor (D over A), and D is served", () => {
    expect(served.upgrades).toMatchObject(figures(1, 1, 1, 12, 12, 1));
  });

  it("bundle: A's set is [A, B, C] (both ≤ 0.3 × £10, and bought together); B's add-ons are over 0.3 × £2", () => {
    // The same hits as also-bought here: basket 1 takes B (£6), basket 2 C (£6), basket 3 gets none.
    expect(served.bundle).toMatchObject(anchorHits);
  });

  it("bundle: its own ratio prices the add-ons, the cross-sell ratio does not", () => {
    const bundleRatio = (ratio: number) => ({
      ...DEFAULT_RULES,
      bundle: { ...DEFAULT_RULES.bundle, priceRatio: ratio },
    });
    // At 0.25 × £10, C (£3) is out: A's bundle is [A, B], so basket 2 (A, 2 × C) is no longer hit.
    expect(evaluateServed(context, bundleRatio(0.25), 10).bundle).toMatchObject(
      figures(3, 0.6667, 0.3333, 6, 74, 0.0811),
    );
    // A cross-sell ratio that empties also-bought leaves the bundle as it was (fresh context: no memo).
    const tightCrossSell = { ...DEFAULT_RULES, crossSell: { ...DEFAULT_RULES.crossSell, priceRatio: 0.1 } };
    const tight = evaluateServed(newContext(), tightCrossSell, 10);
    expect(tight.anchor["HR@10"]).toBe(0);
    expect(tight.bundle).toEqual(served.bundle);
  });

  it("an experiment arm on the bundle surface moves the bundle only", () => {
    const arm = { rules: { bundle: { priceRatio: 0.25 } }, surfaces: ["bundle" as const] };
    const withArm = evaluateServed(context, DEFAULT_RULES, 10, { arm });
    expect(withArm.bundle["HR@10"]).toBe(0.3333);
    expect(withArm.anchor).toEqual(served.anchor);
  });

  it("an experiment arm changes only its own surfaces", () => {
    const tight = { rules: { upsell: { priceBand: 1.1 } }, surfaces: ["upgrades" as const] };
    expect(evaluateServed(context, DEFAULT_RULES, 10, { arm: tight }).upgrades["HR@10"]).toBe(0);
    const elsewhere = { ...tight, surfaces: ["also-bought" as const] };
    expect(evaluateServed(context, DEFAULT_RULES, 10, { arm: elsewhere }).upgrades["HR@10"]).toBe(1);
  });

  it("a wider price anchor serves B's add-ons too", () => {
    const wide = { ...DEFAULT_RULES, crossSell: { ...DEFAULT_RULES.crossSell, priceRatio: 30 } };
    // Basket 3's anchor B now gets [A, C]: neither is E, so coverage rises and HR does not.
    const anchor = evaluateServed(context, wide, 10, { catalogCoverage: false }).anchor;
    expect(anchor).toMatchObject({ coverage: 1, "HR@10": 0.6667 });
    expect(anchor.catalogCoverage).toBeUndefined();
  });
});

describe("the basket task's subsample and the test lines' money", () => {
  it("evenSample keeps order and spacing, and everything when it fits", () => {
    expect(evenSample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 2, 5, 7]);
    expect(evenSample([1, 2], 4)).toEqual([1, 2]);
  });

  it("sums an item's lines in a basket, and falls back to the catalog price", async () => {
    const orders = [
      "order_id,timestamp,product_id,quantity,unit_price",
      "o1,2024-01-01T10:00:00,A,1,10",
      "o1,2024-01-01T10:00:00,B,1,2",
      "o2,2024-01-02T10:00:00,A,1,10",
      "o2,2024-01-02T10:00:00,B,1,2",
      "o3,2024-02-01T10:00:00,A,1,9",
      "o3,2024-02-01T10:00:00,B,2,1.5",
      "o3,2024-02-01T10:00:00,B,1,3",
      "o3,2024-02-01T10:00:00,C,4,",
    ].join("\n");
    const baskets = await readOrders(await tempFile("orders.csv", orders), {
      maxRejectRate: 0,
      reporter: quiet,
      knownSkus: ["A", "B", "C", "D", "E"],
      lineValues: true,
    });
    const split = splitAt(baskets, Date.parse("2024-01-15"));
    // C was never in a train basket, so the test basket keeps A and B: B's 3 units at (2 × 1.5 + 3) / 3.
    expect(testLines(baskets, split, catalog)).toEqual([[line(0, 1, 900), line(1, 3, 200)]]);
    const noPrices = { ...baskets, lineValues: undefined };
    expect(testLines(noPrices, split, catalog)).toEqual([[line(0, 1, 1000), line(1, 1, 200)]]);
  });
});
