import { describe, expect, it } from "vitest";
import { BUNDLE_DEFAULTS, CROSS_SELL_DEFAULTS } from "../../models/config/rulesConfig.js";
import { selectBundle } from "../../models/rules/bundle.js";
import { makeCatalog, makeEvidence, scored } from "./fixtures.js";

describe("frequently bought together", () => {
  const catalog = makeCatalog([
    { sku: "CAMERA", price: 500, category: "cameras" }, // 0
    { sku: "SD-CARD", price: 20, category: "cards" }, // 1
    { sku: "BAG", price: 40, category: "bags" }, // 2
    { sku: "TRIPOD", price: 60, category: "tripods" }, // 3
  ]);
  const input = (pairs: [number, number, number][]) => ({
    catalog,
    evidence: makeEvidence([200, 80, 60, 40], pairs, 2000),
    anchors: [0],
    anchorPriceMinor: 50000,
    exclude: new Set<number>(),
    candidates: scored([
      [1, 0.9],
      [2, 0.8],
      [3, 0.7],
    ]),
    rules: CROSS_SELL_DEFAULTS,
  });

  it("picks two complements that are also bought with each other, with the total and every pair's evidence", () => {
    const result = selectBundle(
      input([
        [0, 1, 30],
        [0, 2, 20],
        [0, 3, 25],
        [2, 3, 10],
      ]),
      BUNDLE_DEFAULTS,
    );
    const bundle = result.items[0];
    expect(bundle?.items.map((i) => catalog.sku.get(i))).toEqual(["CAMERA", "BAG", "TRIPOD"]);
    expect(bundle?.totalMinor).toBe(60000);
    expect(bundle?.pairs.map((p) => p.items)).toEqual([
      [0, 2],
      [0, 3],
      [2, 3],
    ]);
    expect(result.reasons).toEqual([]);
  });

  it("falls back to the best single complement when no two go together", () => {
    const result = selectBundle(
      input([
        [0, 1, 30],
        [0, 2, 20],
      ]),
      BUNDLE_DEFAULTS,
    );
    expect(result.items[0]?.items).toEqual([0, 1]);
    expect(result.reasons).toEqual(["no_pair"]);
  });

  it("keeps a pair under the privacy floor out", () => {
    const result = selectBundle(
      input([
        [0, 1, 30],
        [0, 2, 20],
        [0, 3, 25],
        [2, 3, 4],
      ]),
      BUNDLE_DEFAULTS,
    );
    expect(result.items[0]?.items).toEqual([0, 1]);
  });

  it("has nothing for an anchor without evidence", () => {
    const result = selectBundle(input([]), BUNDLE_DEFAULTS);
    expect(result.items).toEqual([]);
    expect(result.reasons).toContain("no_evidence");
  });
});
