import { describe, expect, it } from "vitest";
import { CROSS_SELL_DEFAULTS } from "../../models/config/rulesConfig.js";
import type { CategoryAffinityRows } from "../../models/categoryEvidence.js";
import { selectCrossSells } from "../../models/rules/crossSell.js";
import { categoryCandidates, graphCandidates } from "../../models/rules/fallbackLevels.js";
import { isRelevantPair, relevanceKnobs } from "../../models/rules/relevance.js";
import {
  binomialUpperTail,
  logGamma,
  pairPValue,
  pValueAtMost,
  pValueThreshold,
  PValueTally,
  UNCORRECTED_THRESHOLD,
} from "../../models/rules/significance.js";
import type { LevelSignificance } from "../../models/significanceSection.js";
import { makeCatalog, makeEvidence, pairs, scored } from "./fixtures.js";

describe("the significance test against textbook values", () => {
  it("ln Γ matches known values", () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247001, 13); // ln √π
    expect(logGamma(10)).toBeCloseTo(12.801827480081469, 12); // ln 9!
    expect(logGamma(100.5)).toBeCloseTo(361.4355404677776, 10);
  });

  it("binomial upper tails are exact on both sides of the mode", () => {
    expect(binomialUpperTail(8, 10, 0.5)).toBeCloseTo(56 / 1024, 14); // 8, 9 or 10 heads of 10
    expect(binomialUpperTail(5, 10, 0.5)).toBeCloseTo(638 / 1024, 14); // under the mode: 1 − P(X ≤ 4)
    expect(binomialUpperTail(3, 20, 0.05)).toBeCloseTo(0.07548367378849634, 13);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    // The chance pair: 9 of an anchor's 1,428 baskets hold a partner with a 0.32% base rate.
    expect(binomialUpperTail(9, 1428, 0.0032)).toBeCloseTo(0.04330124054057731, 12);
  });

  it("asking whether a p-value is at most a threshold answers as the exact p-value does", () => {
    // Weak and strong pairs, near and far from the mode, against thresholds from lenient to strict.
    let checked = 0;
    for (const baskets of [10, 137, 1428, 20_000]) {
      for (const rate of [0.0005, 0.0032, 0.05, 0.3]) {
        for (const support of [1, 2, 3, 5, 9, 20, 60, 300]) {
          if (support > baskets) continue;
          const pair = { support, confidence: support / baskets, lift: support / baskets / rate };
          const exact = pairPValue(pair);
          for (const threshold of [1, 0.5, 0.1, 0.01, 1e-4, 1e-8, 1e-20, exact]) {
            expect(pValueAtMost(pair, threshold), `${support} of ${baskets} at ${rate}, ≤ ${threshold}`).toBe(
              exact <= threshold,
            );
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(700);
  });

  it("a pair's p-value reads its evidence: a best seller's chance meeting is likely, a real pair is not", () => {
    // 8 of 4,068 baskets at lift 1.17: 6.8 expected.
    expect(pairPValue({ support: 8, confidence: 8 / 4068, lift: 1.17 })).toBeCloseTo(0.37708413675216823, 10);
    expect(pairPValue({ support: 30, confidence: 0.3, lift: 10 })).toBeCloseTo(7.707782143294519e-22, 30);
    expect(pairPValue({ support: 0, confidence: 0, lift: 0 })).toBe(1);
  });

  it("Benjamini–Hochberg rejects what the 1995 paper's example rejects (4 of 15 at q = 0.05)", () => {
    const published = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
    ];
    const tally = new PValueTally();
    for (const p of published) tally.add(p);
    const threshold = pValueThreshold(tally.counts(), 0.05);
    expect(published.filter((p) => p <= threshold)).toEqual([0.0001, 0.0004, 0.0019, 0.0095]);
    // A plain 5% test per p-value would have taken nine.
    expect(published.filter((p) => p <= 0.05)).toHaveLength(9);
  });

  it("counts the untested pairs: more pairs tried, a stricter threshold", () => {
    const tally = new PValueTally();
    for (let i = 0; i < 10; i++) tally.add(1e-4);
    const few = pValueThreshold(tally.counts(), 0.05);
    tally.addUntested(100_000);
    const many = pValueThreshold(tally.counts(), 0.05);
    expect(few).toBeGreaterThan(0.01);
    expect(many).toBeLessThan(1e-5);
    expect(pValueThreshold(new PValueTally().counts(), 0.05)).toBe(0);
  });
});

/**
 * A level that tried 50,000 pairs, 500 of them very strong (p ≤ 1e-6), the rest chance: the threshold
 * at the default q = 0.1 comes to 1e-3 (the grid point under 0.1 × 500 / 50,000).
 */
function busyLevel() {
  const tally = new PValueTally();
  for (let i = 0; i < 500; i++) tally.add(1e-7);
  tally.addUntested(49_500);
  return tally.counts();
}

describe("a pair at chance level is not shown at any level", () => {
  // 100,000 baskets. ANCHOR is in 1,428; CHANCE in 320 (0.32%), 9 of them with ANCHOR (lift 1.97,
  // p = 0.043: a single 10% test passes it). REAL is in 100, 30 of them with ANCHOR (p ≈ 1e-60).
  const total = 100_000;
  const significance: LevelSignificance = { pairs: busyLevel(), categories: busyLevel() };

  it("item level: the chance pair passes a lone test but not the level's", () => {
    const evidence = makeEvidence([1428, 320, 100], pairs`0-1:9 0-2:30`, total, { significance });
    const knobs = relevanceKnobs(CROSS_SELL_DEFAULTS, evidence);
    expect(knobs.pairPValue).toBeLessThanOrEqual(1e-3);
    expect(isRelevantPair(evidence.pair(0, 1), knobs)).toBe(false);
    expect(isRelevantPair(evidence.pair(0, 2), knobs)).toBe(true);
    // The same pairs in a model without counts: each tested alone, the chance pair gets through.
    const alone = relevanceKnobs(CROSS_SELL_DEFAULTS, makeEvidence([1428, 320, 100], pairs`0-1:9 0-2:30`, total));
    expect(alone.pairPValue).toBe(UNCORRECTED_THRESHOLD);
    expect(isRelevantPair(evidence.pair(0, 1), alone)).toBe(true);

    const catalog = makeCatalog([
      { sku: "ANCHOR", price: 10 },
      { sku: "CHANCE", price: 1 },
      { sku: "REAL", price: 1 },
    ]);
    const { items } = selectCrossSells({
      catalog,
      evidence,
      anchors: [{ index: 0, priceMinor: 1000 }],
      exclude: new Set(),
      candidates: scored([
        [1, 0.9],
        [2, 0.5],
      ]),
      rules: CROSS_SELL_DEFAULTS,
      limit: 6,
      fallback: ["graph"],
    });
    expect(items.map((i) => catalog.sku.get(i.index))).toEqual(["REAL"]);
  });

  it("category level: a category pair at chance fills nothing", () => {
    const catalog = makeCatalog([
      { sku: "ANCHOR", price: 10, category: "cups" },
      { sku: "CHANCE", price: 1, category: "ribbons" },
      { sku: "REAL", price: 1, category: "saucers" },
    ]);
    // Category baskets as the items': cups 1,428, ribbons 320 (9 with cups), saucers 100 (30 with cups).
    const categories: CategoryAffinityRows = {
      totalBaskets: total,
      categoryBaskets: Int32Array.from([1428, 320, 100]),
      partnerStart: Int32Array.from([0, 2, 3, 4]),
      partners: Int32Array.from([1, 2, 0, 0]),
      partnerSupport: Int32Array.from([9, 30, 9, 30]),
      indirectStart: Int32Array.from([0, 0, 0, 0]),
      indirect: new Int32Array(0),
      itemStart: Int32Array.from([0, 1, 2, 3]),
      items: Int32Array.from([0, 1, 2]),
    };
    const evidence = makeEvidence([1428, 320, 100], [], total, { categories, significance });
    const found = [...categoryCandidates(catalog, evidence, [0], relevanceKnobs(CROSS_SELL_DEFAULTS, evidence))];
    expect(found.map((c) => catalog.sku.get(c.index))).toEqual(["REAL"]);
  });

  it("graph level: a step at chance is not walked", () => {
    // No categories. ANCHOR is bought with VIA (strong); VIA with CHANCE at chance, with REAL strongly.
    const catalog = makeCatalog([
      { sku: "ANCHOR", price: 10 },
      { sku: "VIA", price: 1 },
      { sku: "CHANCE", price: 1 },
      { sku: "REAL", price: 1 },
    ]);
    const evidence = makeEvidence([1000, 1428, 320, 100], pairs`0-1:200 1-2:9 1-3:30`, total, { significance });
    const found = graphCandidates(catalog, evidence, [0], relevanceKnobs(CROSS_SELL_DEFAULTS, evidence));
    expect(found.map((c) => catalog.sku.get(c.index))).toEqual(["REAL"]);
  });
});

describe("product types keep a list varied where the catalog has no categories", () => {
  // ANCHOR (a cake stand) is bought with four packs of cake cases and a bowl, all strong pairs.
  const catalog = makeCatalog([
    { sku: "STAND", price: 10, type: "STAND" },
    { sku: "CASES-A", price: 1, type: "CASE" },
    { sku: "CASES-B", price: 1, type: "CASE" },
    { sku: "CASES-C", price: 1, type: "CASE" },
    { sku: "CASES-D", price: 1, type: "CASE" },
    { sku: "BOWL", price: 1, type: "BOWL" },
    { sku: "STAND-2", price: 2, type: "STAND" },
  ]);
  const evidence = makeEvidence(
    [100, 100, 100, 100, 100, 100, 100],
    pairs`0-1:40 0-2:39 0-3:38 0-4:37 0-5:20 0-6:30`,
    10_000,
  );
  const candidates = scored([
    [1, 0.9],
    [2, 0.8],
    [3, 0.7],
    [4, 0.6],
    [5, 0.5],
    [6, 0.4],
  ]);
  const input = { catalog, evidence, exclude: new Set<number>(), candidates, rules: CROSS_SELL_DEFAULTS, limit: 6 };

  it("caps a list at two of a type (crossSell.maxPerCategory)", () => {
    const { items, reasons } = selectCrossSells({ ...input, anchors: [{ index: 0, priceMinor: 1000 }] });
    expect(items.map((i) => catalog.sku.get(i.index))).toEqual(["CASES-A", "CASES-B", "BOWL", "STAND-2"]);
    expect(reasons).toContain("diversity");
  });

  it("a cart gets a product of a line's own type only on strong evidence", () => {
    const cart = { ...input, anchors: [{ index: 0, priceMinor: 1000 }], ownTypeNeedsStrongPair: true };
    // STAND-2 shares the cart line's type; 30 of 100 baskets at a 1% base rate is strong (p ≈ 1e-40).
    expect(selectCrossSells(cart).items.map((i) => catalog.sku.get(i.index))).toContain("STAND-2");
    const weak = makeEvidence([100, 100, 100, 100, 100, 100, 2000], pairs`0-1:40 0-5:20 0-6:30`, 10_000);
    const found = selectCrossSells({ ...cart, evidence: weak }).items.map((i) => catalog.sku.get(i.index));
    // 30 of 100 at a 20% base rate passes the level's test (p ≈ 0.01) but is not strong: left out.
    expect(isRelevantPair(weak.pair(0, 6), relevanceKnobs(CROSS_SELL_DEFAULTS, weak))).toBe(true);
    expect(found).not.toContain("STAND-2");
    expect(selectCrossSells({ ...cart, evidence: weak, ownTypeNeedsStrongPair: false }).items.length).toBe(3);
  });

  it("judges a same-type suggestion by its pair with the line of its type, not with another line", () => {
    // Two lines: STAND and BOWL. STAND-2 is bought with the bowl a lot (strong), never with the stand.
    const twoLines = makeEvidence([100, 100, 100, 100, 100, 100, 100], pairs`5-6:40 0-1:30`, 10_000);
    const found = selectCrossSells({
      ...input,
      evidence: twoLines,
      anchors: [
        { index: 0, priceMinor: 1000 },
        { index: 5, priceMinor: 1000 },
      ],
      ownTypeNeedsStrongPair: true,
    }).items.map((i) => catalog.sku.get(i.index));
    expect(found).toContain("CASES-A");
    expect(found).not.toContain("STAND-2");
  });
});
