import { describe, expect, it } from "vitest";
import {
  BUNDLE_DEFAULTS,
  CROSS_SELL_DEFAULTS,
  DEFAULT_RULES,
  type CrossSellRules,
} from "../../models/config/rulesConfig.js";
import { selectBundle } from "../../models/rules/bundle.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { beatsChance } from "../../models/rules/relevance.js";
import { alsoBought, answer, cart, type CandidateSource } from "../../models/surfaces.js";
import { makeCatalog, makeEvidence, scored } from "./fixtures.js";

// A phone with two accessories: the case and the screen protector are each bought with the phone, and
// with each other only in the phone's baskets, so the category level holds Cases–Glass as indirect.
// A second phone, never sold, is what the Phones category offers besides the first.
const [PHONE, CASE, GLASS, PHONE2] = [0, 1, 2, 3];
const catalog = makeCatalog([
  { sku: "PHONE", price: 100, category: "Phones" },
  { sku: "CASE", price: 10, category: "Cases" },
  { sku: "GLASS", price: 2.5, category: "Glass" },
  { sku: "PHONE2", price: 90, category: "Phones" },
]);
const evidence = makeEvidence(
  [200, 40, 45, 0],
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
      itemStart: Int32Array.from([0, 2, 3, 4]),
      items: Int32Array.from([PHONE, PHONE2, CASE, GLASS]),
    },
  },
);
const shop = { catalog, evidence, ladders: new LadderIndex(catalog) };
// A wide price anchor, so the phone may follow its case: the test is about the evidence, not prices.
const rules = (indirectPairs: CrossSellRules["indirectPairs"]): CrossSellRules => ({
  ...CROSS_SELL_DEFAULTS,
  priceRatio: 20,
  indirectPairs,
});
/** Every product but the basket's, the screen glass first: what a model that ranks it highest would give. */
const source: CandidateSource = {
  score: ({ basket }) => ({
    ...scored(
      [
        [GLASS, 0.9],
        [PHONE, 0.5],
        [PHONE2, 0.1],
      ].filter(([item]) => !basket.includes(item ?? -1)) as [number, number][],
    ),
    similarity: [],
  }),
};
const skus = (items: readonly { index: number }[]) => items.map((i) => catalog.sku.get(i.index));
const levels = (items: readonly { index: number; source: string }[]) =>
  items.map((i) => `${catalog.sku.get(i.index)}:${i.source}`);
const none = new Set<number>();
const caseAlsoBought = (crossSell: CrossSellRules) =>
  answer(alsoBought(shop, { anchor: CASE, rules: crossSell, exclude: none, limit: 6 }), source).items;
const caseCart = (crossSell: CrossSellRules, lines = [{ index: CASE, quantity: 1, unitPriceMinor: 1000 }]) =>
  answer(
    cart(shop, {
      lines,
      rules: { ...DEFAULT_RULES, crossSell, cart: { ...DEFAULT_RULES.cart, upgradesPerLine: 0 } },
      stage: "cart",
      exclude: none,
      limit: 6,
    }),
    source,
  ).crossSells.items;

describe("indirect item pairs", () => {
  it("leaves the protector off the case's page by default (its pair goes through the phone)", () => {
    expect(CROSS_SELL_DEFAULTS.indirectPairs).toBe("drop");
    expect(skus(caseAlsoBought({ ...rules("drop"), fallback: [] }))).toEqual(["PHONE"]);
  });

  // docs/rules.md: "last" shows them "after every direct suggestion and every fallback level".
  it("comes after the item pairs and every fallback level, on a product page and in a cart alike", () => {
    const order = ["PHONE:item", "PHONE2:category", "GLASS:item"];
    expect(levels(caseAlsoBought(rules("last")))).toEqual(order);
    expect(levels(caseCart(rules("last")))).toEqual(order);
    expect(levels(caseAlsoBought(rules("drop")))).toEqual(order.slice(0, 2));
    expect(levels(caseCart(rules("drop")))).toEqual(order.slice(0, 2));
  });

  it("names the phone, not the case, for a protector in a cart holding both", () => {
    // CASE–GLASS is the stronger pair by confidence (12/40 against 30/200), but indirect.
    const items = caseCart({ ...rules("drop"), priceRatio: 0.3 }, [
      { index: CASE, quantity: 1, unitPriceMinor: 1000 },
      { index: PHONE, quantity: 1, unitPriceMinor: 10000 },
    ]);
    expect(items.map((i) => [catalog.sku.get(i.index), catalog.sku.get(i.evidence.anchor)])).toEqual([
      ["GLASS", "PHONE"],
    ]);
  });

  it("suggests nothing indirect for a cart of the case alone, unless told to", () => {
    // Item pairs alone: the category level would add the phones here (the test above).
    const itemPairs = (indirectPairs: CrossSellRules["indirectPairs"]) => ({ ...rules(indirectPairs), fallback: [] });
    expect(skus(caseCart(itemPairs("drop")))).toEqual(["PHONE"]);
    expect(skus(caseCart(itemPairs("last")))).toEqual(["PHONE", "GLASS"]);
  });

  it("fills a short cart from each line's complementary categories, naming the line", () => {
    const items = caseCart(CROSS_SELL_DEFAULTS, [{ index: PHONE, quantity: 1, unitPriceMinor: 10000 }]);
    expect(items.map((i) => [catalog.sku.get(i.index), i.source, catalog.sku.get(i.evidence.anchor)])).toEqual([
      ["GLASS", "item", "PHONE"],
      ["CASE", "category", "PHONE"],
    ]);
    expect(items[1]?.evidence.categories).toEqual([0, 1]);
  });

  it("never puts an indirect add-on in a bundle, whatever the knob", () => {
    const bundle = selectBundle(
      {
        catalog,
        evidence,
        anchors: [{ index: CASE, priceMinor: 1000 }],
        exclude: none,
        candidates: scored([
          [GLASS, 0.9],
          [PHONE, 0.5],
        ]),
        rules: rules("last"),
      },
      { ...BUNDLE_DEFAULTS, priceRatio: 20 },
    );
    expect(bundle.items[0]?.items.map((i) => catalog.sku.get(i))).toEqual(["CASE", "PHONE"]);
  });
});

describe("relevance beats chance with confidence", () => {
  it("refuses a best seller's chance meetings (lift 1.17 on 8 of 4,068 baskets) and keeps a real pair", () => {
    expect(beatsChance({ support: 8, confidence: 8 / 4068, lift: 1.17 }, 0.1)).toBe(false);
    expect(beatsChance({ support: 8, confidence: 8 / 20, lift: 3 }, 0.1)).toBe(true);
    // Thin evidence: 5 of 6 baskets at lift 1.2 is not yet more than chance.
    expect(beatsChance({ support: 5, confidence: 5 / 6, lift: 1.2 }, 0.1)).toBe(false);
  });
});
