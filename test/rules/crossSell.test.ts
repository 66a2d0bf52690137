import { describe, expect, it } from "vitest";
import { CROSS_SELL_DEFAULTS, type CrossSellRules } from "../../models/config/rulesConfig.js";
import { isAvailable } from "../../models/rules/availability.js";
import { isSubstitute } from "../../models/rules/complement.js";
import { selectCrossSells, type CrossSellInput } from "../../models/rules/crossSell.js";
import { DiversityCap } from "../../models/rules/diversity.js";
import { objectiveValue } from "../../models/rules/objective.js";
import { withinPriceAnchor } from "../../models/rules/priceAnchor.js";
import { isRelevantPair } from "../../models/rules/relevance.js";
import { makeCatalog, makeEvidence, ranked, scored, LONE_TEST_KNOBS } from "./fixtures.js";

describe("price anchor", () => {
  it("passes add-ons up to ratio × the anchor, inclusive", () => {
    expect(withinPriceAnchor(300, 1000, 0.3)).toBe(true); // equal to the limit
    expect(withinPriceAnchor(301, 1000, 0.3)).toBe(false);
    expect(withinPriceAnchor(200, 1000, 0.2)).toBe(true);
  });
  it("never passes an unknown price, on either side", () => {
    expect(withinPriceAnchor(-1, 1000, 0.3)).toBe(false);
    expect(withinPriceAnchor(100, -1, 0.3)).toBe(false);
  });
  it("with a free anchor, only free add-ons fit", () => {
    expect(withinPriceAnchor(0, 0, 0.3)).toBe(true);
    expect(withinPriceAnchor(1, 0, 0.3)).toBe(false);
  });
});

describe("relevance floor", () => {
  const evidence = makeEvidence(
    [100, 50, 10, 900],
    [
      [0, 1, 20],
      [0, 2, 4],
      [0, 3, 80],
    ],
    1000,
  );
  it("needs min support in distinct baskets and lift above the floor", () => {
    const knobs = LONE_TEST_KNOBS;
    expect(isRelevantPair(evidence.pair(0, 1), knobs)).toBe(true); // lift 0.2 / 0.05 = 4
    expect(isRelevantPair(evidence.pair(0, 2), knobs)).toBe(false); // support 4 < 5
    expect(isRelevantPair(evidence.pair(0, 3), knobs)).toBe(false); // lift 0.8 / 0.9 < 1: merely popular
    expect(isRelevantPair(evidence.pair(1, 2), knobs)).toBe(false); // never together
  });
  it("explains with confidence, support and lift", () => {
    expect(evidence.pair(0, 1)).toEqual({ support: 20, confidence: 0.2, lift: 4 });
    expect(evidence.pair(1, 0)).toEqual({ support: 20, confidence: 0.4, lift: 4 });
  });
});

describe("complement, availability, diversity, objective", () => {
  const catalog = makeCatalog([
    { sku: "TENT", price: 200, category: "camping > tents", family: "tent-x" },
    { sku: "TENT-GREEN", price: 200, category: "camping > tents", family: "tent-x" },
    { sku: "PEGS", price: 10, category: "camping > pegs", family: "pegs" },
    { sku: "MAT", price: 30, category: "camping > mats" },
    { sku: "LAMP", price: 25, category: "camping > lights", available: false },
    { sku: "LAMP2", price: 20, family: "tent-x" },
  ]);
  const both = { excludeSameCategory: true, excludeSameFamily: true };
  it("calls another product of the anchor's leaf category or family a substitute", () => {
    expect(isSubstitute(catalog, [0], 1, both)).toBe(true);
    expect(isSubstitute(catalog, [0], 5, both)).toBe(true); // same family, no category
    expect(isSubstitute(catalog, [0], 5, { ...both, excludeSameFamily: false })).toBe(false);
    expect(isSubstitute(catalog, [0], 2, both)).toBe(false);
    expect(isSubstitute(catalog, [0], 3, both)).toBe(false); // no family: only the category decides
  });
  it("excludes what the catalog marks unavailable", () => {
    expect(isAvailable(catalog, 4)).toBe(false);
    expect(isAvailable(catalog, 3)).toBe(true);
  });
  it("caps suggestions per leaf category, and takes one product of a variant family", () => {
    const cap = new DiversityCap(catalog, 1);
    // 1 is TENT's category, 5 (no category) TENT's family; 3 has neither in common.
    expect([cap.admit(0), cap.admit(1), cap.admit(2), cap.admit(5), cap.admit(3)]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    const twins = makeCatalog([
      { sku: "O1", price: 1, category: "citrus" },
      { sku: "O2", price: 2, category: "citrus" },
      { sku: "O3", price: 2, category: "citrus" },
    ]);
    // makeCatalog titles are the SKUs: give two the same title by their SKU's case.
    const sameTitle = makeCatalog([
      { sku: "ORANGES", price: 1, category: "citrus" },
      { sku: "oranges", price: 2, category: "citrus" },
    ]);
    const byTitle = new DiversityCap(sameTitle, 5);
    expect([byTitle.admit(0), byTitle.admit(1)]).toEqual([true, false]);
    const distinct = new DiversityCap(twins, 5);
    expect([distinct.admit(0), distinct.admit(1), distinct.admit(2)]).toEqual([true, true, true]);
    const roomy = new DiversityCap(catalog, 5);
    expect([roomy.admit(0), roomy.admit(1), roomy.admit(5)]).toEqual([true, false, false]); // TENT-GREEN, LAMP2: TENT's family
  });
  it("ranks by relevance or by expected revenue", () => {
    expect(objectiveValue("relevance", 0.5, 1000)).toBe(0.5);
    expect(objectiveValue("revenue", 0.5, 1000)).toBe(500);
    expect(objectiveValue("revenue", 0.5, -1)).toBe(0);
  });
});

describe("selectCrossSells", () => {
  const catalog = makeCatalog([
    { sku: "TENT", price: 200, category: "tents", family: "t" }, // 0 anchor
    { sku: "PEGS", price: 10, category: "pegs" }, // 1
    { sku: "MAT", price: 30, category: "mats" }, // 2
    { sku: "STOVE", price: 90, category: "stoves" }, // 3: over 0.3 × 200
    { sku: "TENT2", price: 50, category: "tents" }, // 4: substitute
    { sku: "LAMP", price: 20, category: "lights", available: false }, // 5
    { sku: "MUG", price: null, category: "mugs" }, // 6: no price
    { sku: "PEGS2", price: 12, category: "pegs" }, // 7: second peg
    { sku: "PEGS3", price: 8, category: "pegs" }, // 8: third peg
    { sku: "RARE", price: 5, category: "misc" }, // 9: support 3
  ]);
  const evidence = makeEvidence(
    [100, 20, 20, 20, 20, 20, 20, 20, 20, 20],
    [1, 2, 3, 4, 5, 6, 7, 8].map((j): [number, number, number] => [0, j, 10]).concat([[0, 9, 3]]),
    1000,
  );
  const base = (rules: Partial<CrossSellRules> = {}, over: Partial<CrossSellInput> = {}): CrossSellInput => ({
    catalog,
    evidence,
    anchors: [{ index: 0, priceMinor: 20000 }],
    exclude: new Set(),
    candidates: ranked([0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.3, 0.2]),
    rules: { ...CROSS_SELL_DEFAULTS, ...rules },
    limit: 6,
    ...over,
  });

  it("applies every rule and names what removed candidates", () => {
    const result = selectCrossSells(base());
    expect(result.items.map((i) => catalog.sku.get(i.index))).toEqual(["PEGS", "MAT", "PEGS2"]);
    expect(result.reasons).toEqual(
      expect.arrayContaining(["price_anchor", "substitute", "unavailable", "no_price", "relevance", "diversity"]),
    );
    expect(result.items[0]?.evidence).toMatchObject({ support: 10, confidence: 0.1, anchor: 0 });
  });

  it("never returns the anchor or what the customer has", () => {
    const result = selectCrossSells(
      base(
        {},
        {
          candidates: scored([
            [0, 1],
            [1, 0.9],
            [2, 0.8],
          ]),
          exclude: new Set([2]),
        },
      ),
    );
    expect(result.items.map((i) => i.index)).toEqual([1]);
    expect(result.reasons).toContain("excluded");
  });

  it("ranks by revenue when asked", () => {
    const result = selectCrossSells(base({ objective: "revenue", priceRatio: 1 }));
    // 0.7 × 90 > 0.8 × 30 > 0.9 × 10 > 0.4 × 12; the third peg is over the diversity cap.
    expect(result.items.map((i) => catalog.sku.get(i.index))).toEqual(["STOVE", "MAT", "PEGS", "PEGS2"]);
  });

  it("says no_evidence for an anchor nobody bought anything with", () => {
    const result = selectCrossSells(base({}, { anchors: [{ index: 6, priceMinor: 0 }], candidates: scored([]) }));
    expect(result.items).toEqual([]);
    expect(result.reasons).toEqual(["no_evidence"]);
  });

  it("returns nothing, with reasons, when every candidate is excluded (a cart of everything)", () => {
    const all = new Set(Array.from({ length: 10 }, (_, i) => i));
    const result = selectCrossSells(base({}, { exclude: all }));
    expect(result.items).toEqual([]);
    expect(result.reasons).toEqual(["excluded"]);
  });

  it("a stricter price ratio shortens the list", () => {
    expect(selectCrossSells(base({ priceRatio: 0.05 })).items.map((i) => catalog.sku.get(i.index))).toEqual([
      "PEGS",
      "PEGS3",
    ]);
  });
});
