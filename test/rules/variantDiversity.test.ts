import { describe, expect, it } from "vitest";
import { selectCrossSells } from "../../models/rules/crossSell.js";
import { DiversityCap } from "../../models/rules/diversity.js";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import { makeCatalog, makeEvidence, pairs, ranked } from "./fixtures.js";

// The Online Retail sample's case: no categories, three colours of one teacup (a family the trainer
// detected from the titles), bought with the cakestand more than anything else.
const catalog = makeCatalog([
  { sku: "CAKESTAND", price: 12.75, family: "cakestand" }, // 0 anchor
  { sku: "TEACUP-ROSES", price: 2.95, family: "teacup" }, // 1
  { sku: "TEACUP-GREEN", price: 2.95, family: "teacup" }, // 2
  { sku: "TEACUP-PINK", price: 2.95, family: "teacup" }, // 3
  { sku: "CAKE-CASES", price: 0.55, family: "cases" }, // 4
  { sku: "NAPKINS", price: 0.85 }, // 5 no family
]);

describe("diversity without categories", () => {
  it("counts a variant family once", () => {
    const cap = new DiversityCap(catalog, 2);
    expect([1, 2, 3, 4, 5].map((i) => cap.admit(i))).toEqual([true, false, false, true, true]);
  });

  it("gives the cakestand one teacup, not three", () => {
    const evidence = makeEvidence([100, 80, 70, 60, 50, 40], pairs`0-1:40 0-2:35 0-3:30 0-4:20 0-5:15`, 1000);
    const rules = { ...DEFAULT_RULES.crossSell, minSupport: 2, minLift: 0 };
    const { items } = selectCrossSells({
      catalog,
      evidence,
      anchors: [{ index: 0, priceMinor: 1275 }],
      exclude: new Set(),
      candidates: ranked([0.9, 0.8, 0.7, 0.6, 0.5]),
      rules,
      limit: 6,
    });
    expect(items.map((i) => catalog.sku.get(i.index))).toEqual(["TEACUP-ROSES", "CAKE-CASES", "NAPKINS"]);
  });
});
