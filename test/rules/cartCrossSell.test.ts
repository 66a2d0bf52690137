import { describe, expect, it } from "vitest";
import { NO_PRICE } from "../../models/catalog.js";
import { CROSS_SELL_DEFAULTS } from "../../models/config/rulesConfig.js";
import { selectCrossSells, type Anchor } from "../../models/rules/crossSell.js";
import { makeCatalog, makeEvidence, pairs, scored } from "./fixtures.js";

describe("cart cross-sells: each add-on belongs to a line", () => {
  const catalog = makeCatalog([
    { sku: "TV", price: 800, category: "tvs" }, // 0
    { sku: "PHONE-CASE", price: 10, category: "cases" }, // 1
    { sku: "CABLE", price: 2, category: "cables" }, // 2: the case's (and weakly the TV's)
    { sku: "HDMI", price: 50, category: "hdmi" }, // 3: the TV's
    { sku: "PROTECTOR", price: 8, category: "protectors" }, // 4: the case's, but 0.8 × its price
    { sku: "MOUNT", price: 100, category: "mounts" }, // 5: bought most with the case, priced for the TV
  ]);
  const evidence = makeEvidence([100, 200, 150, 80, 120, 60], pairs`0-3:30 1-2:40 0-2:10 1-4:50 1-5:60 0-5:20`, 5000);
  const TV: Anchor = { index: 0, priceMinor: 80000 };
  const CASE: Anchor = { index: 1, priceMinor: 1000 };
  const select = (lines: Anchor[], rules = CROSS_SELL_DEFAULTS) =>
    selectCrossSells({
      catalog,
      evidence,
      anchors: lines,
      exclude: new Set(lines.map((l) => l.index)),
      candidates: scored([
        [3, 0.9],
        [5, 0.8],
        [4, 0.7],
        [2, 0.6],
      ]),
      rules,
      limit: 10,
    });
  const named = (result: ReturnType<typeof select>) =>
    result.items.map((i) => [catalog.sku.get(i.index), catalog.sku.get(i.evidence.anchor)]);

  it("prices each add-on against its own line: the protector (8) is dropped for a 10 case, though under 0.3 × the 810 cart", () => {
    const result = select([TV, CASE]);
    expect(named(result)).toEqual([
      ["HDMI", "TV"],
      ["MOUNT", "TV"],
      ["CABLE", "PHONE-CASE"],
    ]);
    expect(result.reasons).toContain("price_anchor");
  });

  it("keeps a cheap add-on for the cheap line it belongs to, with that line's evidence", () => {
    const cable = select([TV, CASE]).items.find((i) => catalog.sku.get(i.index) === "CABLE");
    // Bought with the case in 40 of its 200 baskets (0.2), with the TV in 10 of 100 (0.1): the case's.
    expect(cable?.evidence).toEqual({ ...evidence.pair(1, 2), anchor: 1 });
  });

  it("credits an add-on too dear for its strongest line to the line it is cheap for, with that pair's evidence", () => {
    const mount = select([TV, CASE]).items.find((i) => catalog.sku.get(i.index) === "MOUNT");
    // 0.3 of the case's baskets, 0.2 of the TV's; 100 is far above 0.3 × 10, under 0.3 × 800.
    expect(mount?.evidence).toEqual({ ...evidence.pair(0, 5), anchor: 0 });
  });

  it("always names a line, and the evidence is that line's pair", () => {
    for (const lines of [[TV, CASE], [CASE, TV], [TV], [CASE]]) {
      const result = select(lines);
      expect(result.items.length).toBeGreaterThan(0);
      for (const item of result.items) {
        expect(lines.map((l) => l.index)).toContain(item.evidence.anchor);
        const { anchor, ...pair } = item.evidence;
        expect(pair).toEqual(evidence.pair(anchor, item.index));
        expect(item.source).toBe("item");
      }
    }
  });

  it("drops an add-on with no line it is cheap for, with the reason", () => {
    const alone = select([CASE]);
    expect(named(alone)).toEqual([["CABLE", "PHONE-CASE"]]);
    expect(alone.reasons).toContain("price_anchor");
  });

  it("follows crossSell.priceRatio per line", () => {
    // At 0.8 × the line the protector is the case's, and the mount still only fits the TV.
    expect(named(select([TV, CASE], { ...CROSS_SELL_DEFAULTS, priceRatio: 0.8 }))).toEqual([
      ["HDMI", "TV"],
      ["MOUNT", "TV"],
      ["PROTECTOR", "PHONE-CASE"],
      ["CABLE", "PHONE-CASE"],
    ]);
  });

  it("a line of unknown price carries no add-on; others may still take its candidates", () => {
    const result = select([TV, { index: 1, priceMinor: NO_PRICE }]);
    expect(named(result)).toEqual([
      ["HDMI", "TV"],
      ["MOUNT", "TV"],
      ["CABLE", "TV"],
    ]);
  });

  it("never suggests a cart line, and reports no_evidence for lines never bought with anything", () => {
    const result = selectCrossSells({
      catalog,
      evidence: makeEvidence([1, 1, 1, 1, 1, 1], [], 5000),
      anchors: [TV],
      exclude: new Set([0]),
      candidates: scored([[0, 1]]),
      rules: CROSS_SELL_DEFAULTS,
      limit: 3,
    });
    expect(result.items).toEqual([]);
    expect(result.reasons).toContain("no_evidence");
  });
});
