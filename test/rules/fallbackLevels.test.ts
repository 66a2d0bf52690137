import { describe, expect, it } from "vitest";
import { CROSS_SELL_DEFAULTS } from "../../models/config/rulesConfig.js";
import { selectCrossSells, type CrossSellInput } from "../../models/rules/crossSell.js";
import { makeCatalog, makeEvidence, pairs, scored } from "./fixtures.js";

describe("graph level: neighbours of neighbours", () => {
  // 0 is the anchor (£10); 1 is bought with it; 2, 3, 4 and 5 are bought with 1, never with 0.
  const catalog = makeCatalog([
    { sku: "ANCHOR", price: 10 },
    { sku: "VIA", price: 2 },
    { sku: "END2", price: 2 },
    { sku: "END3", price: 2.5 },
    { sku: "DEAR", price: 9 },
    { sku: "RARE", price: 1 },
  ]);
  const evidence = makeEvidence([100, 50, 30, 30, 30, 30], pairs`0-1:20 1-2:10 1-3:6 1-4:10 1-5:4`, 1000);
  const input = (fallback: CrossSellInput["fallback"]): CrossSellInput => ({
    catalog,
    evidence,
    anchors: [{ index: 0, priceMinor: 1000 }],
    exclude: new Set(),
    candidates: scored([[1, 0.9]]),
    rules: CROSS_SELL_DEFAULTS,
    limit: 6,
    fallback,
  });

  it("fills a short item list with two-step walks, each labelled and explained by its via", () => {
    const { items } = selectCrossSells(input(["graph"]));
    expect(items.map((i) => [catalog.sku.get(i.index), i.source])).toEqual([
      ["VIA", "item"],
      ["END2", "graph"],
      ["END3", "graph"],
    ]);
    const end2 = items[1];
    expect(end2?.evidence).toMatchObject({ anchor: 0, via: 1, support: 10, confidence: 0.2 });
  });

  it("keeps the price anchor and the privacy floor on every step (DEAR costs 0.9x, RARE has 4 baskets)", () => {
    const { items, reasons } = selectCrossSells(input(["graph"]));
    const skus = items.map((i) => catalog.sku.get(i.index));
    expect(skus).not.toContain("DEAR");
    expect(skus).not.toContain("RARE");
    expect(reasons).toContain("price_anchor");
  });

  it("is off without the level: item pairs only", () => {
    expect(selectCrossSells(input([])).items.map((i) => i.source)).toEqual(["item"]);
    expect(selectCrossSells(input(undefined)).items).toHaveLength(1);
  });

  it("leaves a full item list alone", () => {
    const { items } = selectCrossSells({ ...input(["graph"]), limit: 1 });
    expect(items.map((i) => i.source)).toEqual(["item"]);
  });
});

describe("graph level: a product never sold, through its variants", () => {
  // A catalog without categories. TEACUP-TEAL is new (never sold); its sister colour TEACUP-PINK is
  // bought with SAUCER and SPOON. CAKESTAND is bought with nothing.
  const catalog = makeCatalog([
    { sku: "TEACUP-TEAL", price: 10, family: "TEACUP" },
    { sku: "TEACUP-PINK", price: 10, family: "TEACUP" },
    { sku: "SAUCER", price: 2 },
    { sku: "SPOON", price: 1 },
    { sku: "CAKESTAND", price: 10 },
  ]);
  const evidence = makeEvidence([0, 60, 40, 30, 20], pairs`1-2:24 1-3:12`, 1000);
  const alsoBought = (anchor: number) =>
    selectCrossSells({
      catalog,
      evidence,
      anchors: [{ index: anchor, priceMinor: 1000 }],
      exclude: new Set(),
      candidates: scored([]),
      rules: CROSS_SELL_DEFAULTS,
      limit: 6,
      fallback: ["category", "graph"],
    });

  it("answers with what its variants are bought with, naming the variant", () => {
    const { items } = alsoBought(0);
    expect(items.map((i) => [catalog.sku.get(i.index), i.source])).toEqual([
      ["SAUCER", "graph"],
      ["SPOON", "graph"],
    ]);
    expect(items[0]?.evidence).toMatchObject({
      anchor: 0,
      via: 1,
      viaRelation: "variant",
      support: 24,
      confidence: 0.4,
    });
  });

  it("gives a product with neither pairs nor variants nothing", () => {
    expect(alsoBought(4).items).toEqual([]);
  });
});

describe("graph level: thin evidence counts for less", () => {
  // A colour launched today (0) with two sister colours: THIN sold in 10 baskets, 6 of them with X
  // (confidence 0.6); BROAD in 120, 60 of them with Y (0.5). X and Y are equally popular.
  const catalog = makeCatalog([
    { sku: "NEW", price: 10, family: "f" },
    { sku: "THIN", price: 10, family: "f" },
    { sku: "BROAD", price: 10, family: "f" },
    { sku: "X", price: 2 },
    { sku: "Y", price: 2 },
  ]);
  const evidence = makeEvidence([0, 10, 120, 30, 30], pairs`1-3:6 2-4:60`, 1000);

  it("ranks the end reached through 60 of 120 baskets above the one through 6 of 10", () => {
    const { items } = selectCrossSells({
      catalog,
      evidence,
      anchors: [{ index: 0, priceMinor: 1000 }],
      exclude: new Set(),
      candidates: scored([]),
      rules: CROSS_SELL_DEFAULTS,
      limit: 6,
      fallback: ["graph"],
    });
    expect(items.map((i) => [catalog.sku.get(i.index), i.evidence.via])).toEqual([
      ["Y", 2],
      ["X", 1],
    ]);
  });
});
