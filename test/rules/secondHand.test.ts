import { describe, expect, it } from "vitest";
import { BUNDLE_DEFAULTS, CROSS_SELL_DEFAULTS, type CrossSellRules } from "../../models/config/rulesConfig.js";
import { selectBundle } from "../../models/rules/bundle.js";
import { selectCartCrossSells } from "../../models/rules/cartCrossSell.js";
import { selectCrossSells } from "../../models/rules/crossSell.js";
import { beatsChance } from "../../models/rules/relevance.js";
import { makeCatalog, makeEvidence, scored } from "./fixtures.js";

// A phone with two accessories: the case and the screen protector are each bought with the phone, and
// with each other only in the phone's baskets, so the category level holds Cases–Glass second-hand.
const [PHONE, CASE, GLASS] = [0, 1, 2];
const catalog = makeCatalog([
  { sku: "PHONE", price: 100, category: "Phones" },
  { sku: "CASE", price: 10, category: "Cases" },
  { sku: "GLASS", price: 2.5, category: "Glass" },
]);
const evidence = makeEvidence(
  [200, 40, 45],
  [
    [PHONE, CASE, 30],
    [PHONE, GLASS, 30],
    [CASE, GLASS, 12],
  ],
  1000,
  {
    categories: {
      totalBaskets: 1000,
      categoryBaskets: Int32Array.from([200, 40, 45]),
      partnerStart: Int32Array.from([0, 2, 3, 4]),
      partners: Int32Array.from([1, 2, 0, 0]),
      partnerSupport: Int32Array.from([30, 30, 30, 30]),
      indirectStart: Int32Array.from([0, 0, 1, 2]),
      indirect: Int32Array.from([2, 1]),
      itemStart: Int32Array.from([0, 1, 2, 3]),
      items: Int32Array.from([PHONE, CASE, GLASS]),
    },
  },
);
// A wide price anchor, so the phone may follow its case: the test is about the evidence, not prices.
const rules = (secondHand: CrossSellRules["secondHand"]): CrossSellRules => ({
  ...CROSS_SELL_DEFAULTS,
  priceRatio: 20,
  secondHand,
});
const skus = (items: readonly { index: number }[]) => items.map((i) => catalog.sku.get(i.index));
/** The case as the anchor, with the screen glass and the phone as scored candidates. */
const caseAnchor = (secondHand: CrossSellRules["secondHand"]) => ({
  catalog,
  evidence,
  anchors: [CASE],
  anchorPriceMinor: 1000,
  exclude: new Set<number>(),
  candidates: scored([
    [GLASS, 0.9],
    [PHONE, 0.5],
  ]),
  rules: rules(secondHand),
});
const alsoBought = (secondHand: CrossSellRules["secondHand"]) =>
  selectCrossSells({ ...caseAnchor(secondHand), limit: 6, fallback: ["category"] });

describe("second-hand item pairs", () => {
  it("leaves the protector off the case's page by default (its pair goes through the phone)", () => {
    expect(CROSS_SELL_DEFAULTS.secondHand).toBe("drop");
    expect(skus(alsoBought("drop").items)).toEqual(["PHONE"]);
  });

  it("shows it after every direct suggestion with secondHand: last", () => {
    expect(skus(alsoBought("last").items)).toEqual(["PHONE", "GLASS"]);
  });

  it("names the phone, not the case, for a protector in a cart holding both", () => {
    // CASE–GLASS is the stronger pair by confidence (12/40 against 30/200), but second-hand.
    const { items } = selectCartCrossSells({
      catalog,
      evidence,
      lines: [
        { index: CASE, unitPriceMinor: 1000 },
        { index: PHONE, unitPriceMinor: 10000 },
      ],
      exclude: new Set(),
      candidates: scored([[GLASS, 0.9]]),
      rules: rules("drop"),
      limit: 4,
    });
    expect(items.map((i) => [catalog.sku.get(i.index), catalog.sku.get(i.evidence.anchor)])).toEqual([
      ["GLASS", "PHONE"],
    ]);
  });

  it("suggests nothing second-hand for a cart of the case alone, unless told to", () => {
    const cart = (secondHand: CrossSellRules["secondHand"]) =>
      selectCartCrossSells({
        catalog,
        evidence,
        lines: [{ index: CASE, unitPriceMinor: 1000 }],
        exclude: new Set(),
        candidates: scored([[GLASS, 0.9]]),
        // Item pairs alone: the category level would add the phone here (the next test).
        rules: { ...rules(secondHand), fallback: [] },
        limit: 4,
      }).items;
    expect(cart("drop")).toEqual([]);
    expect(skus(cart("last"))).toEqual(["GLASS"]);
  });

  it("fills a short cart from each line's complementary categories, naming the line", () => {
    const { items } = selectCartCrossSells({
      catalog,
      evidence,
      lines: [{ index: PHONE, unitPriceMinor: 10000 }],
      exclude: new Set(),
      candidates: scored([]),
      rules: CROSS_SELL_DEFAULTS,
      limit: 4,
    });
    expect(items.map((i) => [catalog.sku.get(i.index), i.source, catalog.sku.get(i.evidence.anchor)])).toEqual([
      ["CASE", "category", "PHONE"],
      ["GLASS", "category", "PHONE"],
    ]);
    expect(items[0]?.evidence.categories).toEqual([0, 1]);
  });

  it("never puts a second-hand add-on in a bundle, whatever the knob", () => {
    const bundle = selectBundle(caseAnchor("last"), { ...BUNDLE_DEFAULTS, priceRatio: 20 });
    expect(bundle.items[0]?.items.map((i) => catalog.sku.get(i))).toEqual(["CASE", "PHONE"]);
  });
});

describe("relevance beats chance with confidence", () => {
  it("refuses a best seller's chance meetings (lift 1.17 on 8 of 4,068 baskets) and keeps a real pair", () => {
    expect(beatsChance({ support: 8, confidence: 8 / 4068, lift: 1.17 })).toBe(false);
    expect(beatsChance({ support: 8, confidence: 8 / 20, lift: 3 })).toBe(true);
    // Thin evidence: 5 of 6 baskets at lift 1.2 is not yet more than chance.
    expect(beatsChance({ support: 5, confidence: 5 / 6, lift: 1.2 })).toBe(false);
  });
});
