import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import type { CrossSell } from "../../models/rules/crossSell.js";
import type { CoPurchase } from "../../trainer/learn/coPurchase.js";
import { crossSellViolations } from "../../trainer/eval/ruleViolations.js";
import { makeCatalog } from "../rules/fixtures.js";

/**
 * A (£10) and its variant A2 (same family); A2 is bought with C (£2) in 20 of 100 baskets, L (£9)
 * with C in 5, A with nothing. L stands for a lookalike of A.
 */
const catalog = makeCatalog([
  { sku: "A", price: 10, family: "fa" },
  { sku: "A2", price: 10, family: "fa" },
  { sku: "C", price: 2 },
  { sku: "L", price: 9 },
]);
const co: CoPurchase = {
  itemCount: 4,
  itemBaskets: Int32Array.from([10, 30, 30, 5]),
  rowStart: Int32Array.from([0, 0, 1, 3, 4]),
  cols: Int32Array.from([2, 1, 3, 2]),
  counts: Int32Array.from([20, 20, 5, 5]),
  basketsCounted: 100,
  basketsOverCap: 0,
};
const walk = (via: number, viaRelation: "bought_with" | "variant" | "lookalike"): CrossSell[] => [
  {
    index: 2,
    score: 1,
    source: "graph",
    evidence: { anchor: 0, support: 20, confidence: 0.67, lift: 2.2, via, viaRelation },
  },
];
const check = (answer: CrossSell[], isLookalike?: (a: number, v: number) => boolean) =>
  crossSellViolations(catalog, co, 100, 0, answer, DEFAULT_RULES.crossSell, 10, isLookalike);

describe("the eval's rule check of a graph walk's first step", () => {
  it("a variant step holds by the family, not by a pair the anchor never had", () => {
    expect(check(walk(1, "variant"))).toEqual([]);
    // Claimed as bought with A: A and A2 were never bought together.
    expect(check(walk(1, "bought_with"))).toEqual(["privacy floor", "lift"]);
    // Claimed as a variant, but L is not in A's family.
    expect(check(walk(3, "variant"))).toEqual(["privacy floor", "lift"]);
  });

  it("a lookalike step holds when the evidence lists it as the anchor's lookalike", () => {
    expect(check(walk(3, "lookalike"))).toEqual(["privacy floor", "lift"]);
    expect(check(walk(3, "lookalike"), (a, v) => a === 0 && v === 3)).toEqual([]);
  });
});
