import { describe, expect, it } from "vitest";
import { UPSELL_DEFAULTS } from "../../models/config/rulesConfig.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import {
  coveredBySpend,
  inPriceBand,
  isHigherTier,
  isSmallerPack,
  isStepUp,
  isTopOfLadder,
  rankUpgrades,
  upgradeCandidates,
  type UpgradeInput,
} from "../../models/rules/upsell.js";
import { PackMeasure } from "../../models/catalog.js";
import { makeCatalog } from "./fixtures.js";

describe("upsell predicates", () => {
  it("price band: strictly above the anchor, at most band × anchor", () => {
    expect(inPriceBand(2100, 3300, 1.6)).toBe(true); // $21k → $33k trim (+58%)
    expect(inPriceBand(2100, 2100, 1.6)).toBe(false); // equal price is no upgrade
    expect(inPriceBand(2100, 3360, 1.6)).toBe(true); // exactly the band
    expect(inPriceBand(2100, 10500, 1.6)).toBe(false); // five times the price
    expect(inPriceBand(-1, 100, 1.6)).toBe(false);
    expect(inPriceBand(0, 100, 1.6)).toBe(false); // a free anchor has no band
  });
  it("a step up is at least minStep × the anchor, not a rounding difference", () => {
    expect(isStepUp(40902, 40918, 1.05)).toBe(false); // +0.04%
    expect(isStepUp(40000, 42000, 1.05)).toBe(true);
    expect(inPriceBand(40000, 41000, 1.6, 1.05)).toBe(false);
  });
  it("spend-based: a higher item costing no more than what the customer spends", () => {
    expect(coveredBySpend(1000, 2500, 3000)).toBe(true);
    expect(coveredBySpend(1000, 3500, 3000)).toBe(false);
    expect(coveredBySpend(1000, 900, 3000)).toBe(false);
    expect(coveredBySpend(1000, 2500, null)).toBe(false);
  });
  const tiered = makeCatalog([
    { sku: "BASIC", price: 10, category: "plans", tier: 1 },
    { sku: "PLUS", price: 15, category: "plans", tier: 2 },
    { sku: "PRO", price: 30, category: "plans", tier: 3 },
    { sku: "ODD", price: 12, category: "plans" },
  ]);
  it("a higher tier when the catalog ranks its ladders", () => {
    expect(isHigherTier(tiered, 0, 1)).toBe(true);
    expect(isHigherTier(tiered, 1, 0)).toBe(false);
    expect(isHigherTier(tiered, 0, 3)).toBe(false); // no tier: cannot claim it is higher
  });
  it("nothing above the top of the ladder", () => {
    const ladders = new LadderIndex(tiered);
    expect(isTopOfLadder(tiered, ladders, 2)).toBe(true);
    expect(isTopOfLadder(tiered, ladders, 0)).toBe(false);
    const single = makeCatalog([{ sku: "ONLY", price: 5, category: "solo" }]);
    expect(isTopOfLadder(single, new LadderIndex(single), 0)).toBe(true); // a ladder of one
  });
});

describe("upgrade selection", () => {
  const catalog = makeCatalog([
    { sku: "PHONE-64", price: 400, category: "phones", family: "p" }, // 0 anchor
    { sku: "PHONE-128", price: 480, category: "phones", family: "p" }, // 1 in band
    { sku: "PHONE-256", price: 600, category: "phones", family: "p" }, // 2 in band (1.5×)
    { sku: "PHONE-1TB", price: 900, category: "phones", family: "p" }, // 3 over band
    { sku: "PHONE-OOS", price: 500, category: "phones", available: false }, // 4
    { sku: "CASE", price: 20, category: "cases" }, // 5 other ladder
    { sku: "PHONE-CHEAP", price: 300, category: "phones" }, // 6 below
    { sku: "PHONE-SAME", price: 400, category: "phones" }, // 7 equal price
    { sku: "NOPRICE", price: null, category: "phones" }, // 8
  ]);
  const ladders = new LadderIndex(catalog);
  const input = (over: Partial<UpgradeInput> = {}): UpgradeInput => ({
    catalog,
    ladders,
    anchor: 0,
    rules: UPSELL_DEFAULTS,
    stage: "product",
    spendMinor: null,
    exclude: new Set(),
    ...over,
  });
  const rank = (over: Partial<UpgradeInput>, similarity: (i: number) => number, limit = 3) => {
    const i = input(over);
    const found = upgradeCandidates(i);
    return rankUpgrades(i, found, found.candidates.map(similarity), limit);
  };

  it("offers same-ladder items in the price band, most similar first, with price and similarity evidence", () => {
    const result = rank({}, (i) => (i === 2 ? 0.9 : 0.5));
    expect(result.items.map((u) => catalog.sku.get(u.index))).toEqual(["PHONE-256", "PHONE-128"]);
    expect(result.items[0]).toMatchObject({
      priceDeltaMinor: 20000,
      priceRatio: 1.5,
      similarity: 0.9,
      savingMinor: null,
    });
    expect(result.reasons).toEqual(expect.arrayContaining(["price_band", "unavailable"]));
  });
  it("among equally similar upgrades, prefers the anchor's brand", () => {
    const branded = makeCatalog([
      { sku: "S-BASE", price: 100, category: "phones", brand: "samsung" },
      { sku: "A-UP", price: 120, category: "phones", brand: "apple" },
      { sku: "S-UP", price: 130, category: "phones", brand: "samsung" },
    ]);
    const i = { ...input(), catalog: branded, ladders: new LadderIndex(branded) };
    const found = upgradeCandidates(i);
    const result = rankUpgrades(
      i,
      found,
      found.candidates.map(() => 0),
      3,
    );
    expect(result.items.map((u) => branded.sku.get(u.index))).toEqual(["S-UP", "A-UP"]);
  });
  it("drops candidates below the similarity floor", () => {
    const result = rank({ rules: { ...UPSELL_DEFAULTS, minSimilarity: 0.6 } }, (i) => (i === 2 ? 0.9 : 0.5));
    expect(result.items.map((u) => u.index)).toEqual([2]);
    expect(result.reasons).toContain("similarity");
  });
  it("offers nothing after the purchase", () => {
    expect(rank({ stage: "post_purchase" }, () => 1)).toEqual({ items: [], reasons: ["stage"] });
  });
  it("offers nothing above the top, and says why", () => {
    expect(rank({ anchor: 3 }, () => 1)).toEqual({ items: [], reasons: ["top_of_ladder"] });
    expect(rank({ anchor: 5 }, () => 1)).toEqual({ items: [], reasons: ["top_of_ladder"] }); // a ladder of one
  });
  it("needs the anchor's price and ladder", () => {
    expect(rank({ anchor: 8 }, () => 1).reasons).toEqual(["no_price"]);
    const flat = makeCatalog([
      { sku: "A", price: 1 },
      { sku: "B", price: 2 },
    ]);
    const i = { ...input(), catalog: flat, ladders: new LadderIndex(flat) };
    expect(rankUpgrades(i, upgradeCandidates(i), [], 3).reasons).toEqual(["no_ladder"]);
  });
  it("offers no smaller pack of the same measure for more money, and says why", () => {
    const { mass, volume, count } = PackMeasure;
    const eggs = makeCatalog([
      { sku: "EGGS-18", price: 1.49, category: "eggs", pack: [count, 18] }, // 0 anchor
      { sku: "EGGS-12", price: 1.79, category: "eggs", pack: [count, 12] }, // 1 smaller, dearer
      { sku: "EGGS-24", price: 1.99, category: "eggs", pack: [count, 24] }, // 2 bigger
      { sku: "EGGS-18-FREE-RANGE", price: 2.09, category: "eggs", pack: [count, 18] }, // 3 the same count
      { sku: "EGGS-UNSIZED", price: 1.89, category: "eggs" }, // 4 no size: never judged
      { sku: "EGGS-LIQUID", price: 1.69, category: "eggs", pack: [volume, 500] }, // 5 another measure
      { sku: "EGGS-17.7", price: 1.59, category: "eggs", pack: [count, 17.7] }, // 6 within 2%
    ]);
    expect(isSmallerPack(eggs, 0, 1)).toBe(true);
    expect(isSmallerPack(eggs, 1, 0)).toBe(false);
    expect(isSmallerPack(eggs, 0, 4)).toBe(false);
    expect(isSmallerPack(eggs, 4, 0)).toBe(false);
    expect(isSmallerPack(eggs, 0, 5)).toBe(false);
    expect(isSmallerPack(eggs, 0, 6)).toBe(false);
    const i = { ...input(), catalog: eggs, ladders: new LadderIndex(eggs) };
    const found = upgradeCandidates(i);
    const result = rankUpgrades(
      i,
      found,
      found.candidates.map(() => 0),
      10,
    );
    expect(result.items.map((u) => eggs.sku.get(u.index)).sort()).toEqual(
      ["EGGS-17.7", "EGGS-18-FREE-RANGE", "EGGS-24", "EGGS-LIQUID", "EGGS-UNSIZED"].sort(),
    );
    expect(result.reasons).toEqual(["smaller_pack"]);
    // Each upgrade says how its pack compares, where both packs are known in one measure.
    const sizeRatio = (sku: string) => result.items.find((u) => eggs.sku.get(u.index) === sku)?.sizeRatio;
    expect(sizeRatio("EGGS-24")).toBeCloseTo(24 / 18, 6);
    expect(sizeRatio("EGGS-18-FREE-RANGE")).toBe(1);
    expect(sizeRatio("EGGS-UNSIZED")).toBeNull();
    expect(sizeRatio("EGGS-LIQUID")).toBeNull();
    // A catalog with sizes but an anchor without one judges nothing by size.
    const cereal = makeCatalog([
      { sku: "CEREAL", price: 3.39, category: "cereal" },
      { sku: "CEREAL-SMALL", price: 3.69, category: "cereal", pack: [mass, 350] },
    ]);
    expect(isSmallerPack(cereal, 0, 1)).toBe(false);
    // Where the catalog ranks the ladder, its tier decides: free-range is a step up in a smaller box.
    const ranked = makeCatalog([
      { sku: "EGGS-18", price: 1.49, category: "eggs", tier: 1, pack: [count, 18] },
      { sku: "FREE-RANGE-12", price: 1.79, category: "eggs", tier: 2, pack: [count, 12] },
    ]);
    const r = { ...input(), catalog: ranked, ladders: new LadderIndex(ranked) };
    expect(upgradeCandidates(r).candidates).toEqual([1]);
  });
  it("shows one upgrade per title: products a shopper cannot tell apart are one card", () => {
    const phones = makeCatalog([
      { sku: "P-975", price: 975.57, category: "smartphone", brand: "apple", title: "smartphone (apple)" },
      { sku: "P-1027-GOLD", price: 1027.05, category: "smartphone", brand: "apple", title: "smartphone (apple)" },
      { sku: "P-1027-GREY", price: 1027.05, category: "smartphone", brand: "apple", title: " Smartphone (Apple)" },
      { sku: "P-1100", price: 1100, category: "smartphone", brand: "apple", title: "smartphone pro (apple)" },
      { sku: "P-1050", price: 1050, category: "smartphone", brand: "apple", title: "" },
      { sku: "P-1060", price: 1060, category: "smartphone", brand: "apple", title: "" },
    ]);
    const i = { ...input(), catalog: phones, ladders: new LadderIndex(phones) };
    const found = upgradeCandidates(i);
    const result = rankUpgrades(
      i,
      found,
      found.candidates.map(() => 0),
      5,
    );
    // The cheaper step first among equals; the second card titled alike is dropped; untitled ones never clash.
    expect(result.items.map((u) => phones.sku.get(u.index))).toEqual(["P-1027-GOLD", "P-1050", "P-1060", "P-1100"]);
    expect(result.reasons).toEqual(["diversity"]);
  });
  it("spend-based: offers a higher item beyond the band when the spend covers it, with the saving", () => {
    const result = rank({ spendMinor: 95000 }, () => 0.5, 5);
    const upgrade1tb = result.items.find((u) => catalog.sku.get(u.index) === "PHONE-1TB");
    expect(upgrade1tb?.savingMinor).toBe(5000);
    expect(result.items.find((u) => u.index === 1)?.savingMinor).toBe(47000);
  });
});

describe("ladder counts", () => {
  // A family whose variants sit in two categories, an unpriced variant, and a bigger category ladder.
  const catalog = makeCatalog([
    { sku: "A", price: 10, category: "c1", family: "f" }, // 0 anchor
    { sku: "B", price: 12, category: "c1", family: "f" }, // 1 in both ladders
    { sku: "C", price: 30, category: "c1" }, // 2
    { sku: "D", price: 40, category: "c2", family: "f" }, // 3 family only (other category)
    { sku: "E", price: 50, category: "c1" }, // 4
    { sku: "F", price: 8, category: "c1" }, // 5 below
    { sku: "G", price: null, category: "c1", family: "f" }, // 6 unpriced: in no ladder
    { sku: "H", price: 60, family: "f" }, // 7 family only (no category)
  ]);
  const ladders = new LadderIndex(catalog);
  const stored = new LadderIndex(catalog, ladders.columns());

  it("counts what membersPricedIn lists above a price, each member once, the item excluded", () => {
    for (const index of [ladders, stored]) {
      for (const item of [0, 1, 3, 5, 7]) {
        for (const minor of [-1, 0, 800, 1000, 1200, 2999, 3000, 4500, 6000]) {
          const listed = index.membersPricedIn(item, minor, Number.POSITIVE_INFINITY).length;
          expect(index.countPricedAbove(item, minor), `item ${item} above ${minor}`).toBe(listed);
        }
      }
    }
  });
  it("the dearest member's price, or NO_PRICE without a ladder", () => {
    expect(ladders.highestPrice(0)).toBe(6000);
    expect(ladders.highestPrice(4)).toBe(5000);
    const single = makeCatalog([{ sku: "ONLY", price: 5 }]);
    expect(new LadderIndex(single).highestPrice(0)).toBe(-1);
  });
});
