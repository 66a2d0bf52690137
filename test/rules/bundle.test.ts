import { describe, expect, it } from "vitest";
import type { Catalog } from "../../models/catalog.js";
import { BUNDLE_DEFAULTS, CROSS_SELL_DEFAULTS, type CrossSellRules } from "../../models/config/rulesConfig.js";
import type { Evidence } from "../../models/evidence.js";
import { selectBundle } from "../../models/rules/bundle.js";
import { isRelevantPair } from "../../models/rules/relevance.js";
import { type ItemSpec, makeCatalog, makeEvidence, pairs, ranked, scored, LONE_TEST_KNOBS } from "./fixtures.js";

/**
 * A catalog's items written one line, item 0 first: products`CAMERA:500:cameras BAG:40:bags` is
 * [{ sku: "CAMERA", price: 500, category: "cameras" }, { sku: "BAG", … }] (sku:price:category, each
 * item in a category of its own here); a price of `-` is none (null).
 */
function products(strings: TemplateStringsArray): ItemSpec[] {
  return String.raw({ raw: strings })
    .trim()
    .split(/\s+/)
    .map((token) => {
      const match = /^([^:]+):(\d+|-):([^:]+)$/.exec(token);
      if (!match?.[1] || !match[2] || !match[3]) throw new Error(`products: "${token}" is not sku:price:category`);
      return { sku: match[1], price: match[2] === "-" ? null : Number(match[2]), category: match[3] };
    });
}

/** A bundle input anchored on item 0 (CAMERA, £500), items 1 to `candidates` scored 0.9, 0.8, … */
function cameraAnchored(
  catalog: Catalog,
  evidence: Evidence,
  candidates: number,
  rules: CrossSellRules = CROSS_SELL_DEFAULTS,
): Parameters<typeof selectBundle>[0] {
  return {
    catalog,
    evidence,
    anchors: [{ index: 0, priceMinor: 50000 }],
    exclude: new Set(),
    candidates: ranked([0.9, 0.8, 0.7, 0.6].slice(0, candidates)),
    rules,
  };
}

describe("frequently bought together", () => {
  const catalog = makeCatalog(products`CAMERA:500:cameras SD-CARD:20:cards BAG:40:bags TRIPOD:60:tripods`);
  const input = (evidencePairs: [number, number, number][]) =>
    cameraAnchored(catalog, makeEvidence([200, 80, 60, 40], evidencePairs, 2000), 3);

  /** The camera bought with all three add-ons; BAG and TRIPOD also with each other, in `together` baskets. */
  const threeComplements = (together: number) =>
    selectBundle(input(pairs`0-1:30 0-2:20 0-3:25 2-3:${together}`), BUNDLE_DEFAULTS);

  it("picks two complements that are also bought with each other, with the total and every pair's evidence", () => {
    const result = threeComplements(10);
    const bundle = result.items[0];
    // The add-on bought with the anchor more often first; the anchor's pairs before the add-ons' own.
    expect(bundle?.items.map((i) => catalog.sku.get(i))).toEqual(["CAMERA", "TRIPOD", "BAG"]);
    expect(bundle?.totalMinor).toBe(60000);
    expect(bundle?.pairs.map((p) => p.items)).toEqual([
      [0, 3],
      [0, 2],
      [3, 2],
    ]);
    expect(result.reasons).toEqual([]);
  });

  it("falls back to the best single complement when no two go together", () => {
    const result = selectBundle(input(pairs`0-1:30 0-2:20`), BUNDLE_DEFAULTS);
    expect(result.items[0]?.items).toEqual([0, 1]);
    expect(result.reasons).toEqual(["no_pair"]);
  });

  it("keeps a pair under the privacy floor out", () => {
    const result = threeComplements(4);
    expect(result.items[0]?.items).toEqual([0, 1]);
  });

  it("carries each pair's own evidence, exactly", () => {
    const given = input(pairs`0-1:30 0-2:20 0-3:25 2-3:10`);
    const bundlePairs = selectBundle(given, BUNDLE_DEFAULTS).items[0]?.pairs ?? [];
    expect(bundlePairs).toHaveLength(3);
    for (const { items, ...numbers } of bundlePairs) expect(numbers).toEqual(given.evidence.pair(items[0], items[1]));
  });

  it("has nothing for an anchor without evidence", () => {
    const result = selectBundle(input([]), BUNDLE_DEFAULTS);
    expect(result.items).toEqual([]);
    expect(result.reasons).toContain("no_evidence");
  });

  describe("holds to the anchor (issue 18)", () => {
    // A lamp, two of its real complements, and two products bought with each other far more than with it.
    const shop = makeCatalog(products`LAMP:100:lamps BULB:5:bulbs SHADE:25:shades CANDLE:3:candles MATCHES:1:matches`);
    const shopInput = (evidencePairs: [number, number, number][]) => ({
      catalog: shop,
      evidence: makeEvidence([200, 100, 100, 80, 90], evidencePairs, 20000),
      anchors: [{ index: 0, priceMinor: 10000 }],
      exclude: new Set<number>(),
      // The model likes the candle and matches best: the bundle must not follow it.
      candidates: scored([
        [3, 0.9],
        [4, 0.8],
        [1, 0.7],
        [2, 0.6],
      ]),
      rules: CROSS_SELL_DEFAULTS,
    });
    const anchorPairs = pairs`0-1:30 0-2:25 0-3:7 0-4:6`;

    it("two add-ons bought together a lot but weakly with the anchor lose to the anchor's complements", () => {
      // CANDLE + MATCHES: 73 baskets together, 7 and 6 with the lamp. BULB + SHADE: 30 and 25 with it.
      const given = shopInput([...anchorPairs, [3, 4, 73], [1, 2, 6]]);
      // Not vacuous: each of the four passes the cross-sell rules with the lamp.
      const knobs = LONE_TEST_KNOBS;
      for (const addOn of [1, 2, 3, 4]) expect(isRelevantPair(given.evidence.pair(0, addOn), knobs)).toBe(true);
      const result = selectBundle(given, BUNDLE_DEFAULTS);
      expect(result.items[0]?.items.map((i) => shop.sku.get(i))).toEqual(["LAMP", "BULB", "SHADE"]);
      expect(result.items[0]?.pairs.map((p) => p.items)).toEqual([
        [0, 1],
        [0, 2],
        [1, 2],
      ]);
      expect(result.reasons).toEqual([]);
    });

    it("a pair weaker with the anchor than its best single complement loses to that complement", () => {
      // Only CANDLE + MATCHES go together: 13 of the lamp's baskets against BULB's 30.
      const result = selectBundle(shopInput([...anchorPairs, [3, 4, 73]]), BUNDLE_DEFAULTS);
      expect(result.items[0]?.items.map((i) => shop.sku.get(i))).toEqual(["LAMP", "BULB"]);
      expect(result.reasons).toEqual(["no_pair"]);
    });

    it("takes the pair when it adds to the best single complement", () => {
      const result = selectBundle(shopInput([...anchorPairs, [1, 3, 6]]), BUNDLE_DEFAULTS);
      expect(result.items[0]?.items.map((i) => shop.sku.get(i))).toEqual(["LAMP", "BULB", "CANDLE"]);
    });

    it("uses the add-ons' own pair only to break a tie in evidence with the anchor", () => {
      const tied = pairs`0-1:20 0-2:10 0-3:10`;
      const result = selectBundle(shopInput([...tied, [1, 2, 6], [1, 3, 40]]), BUNDLE_DEFAULTS);
      expect(result.items[0]?.items.map((i) => shop.sku.get(i))).toEqual(["LAMP", "BULB", "CANDLE"]);
    });

    it("only tries the anchor's strongest complements in pairs (bundle.pairPool)", () => {
      const result = selectBundle(shopInput([...anchorPairs, [3, 4, 73]]), { ...BUNDLE_DEFAULTS, pairPool: 2 });
      expect(result.items[0]?.items).toEqual([0, 1]);
    });
  });

  describe("price anchor", () => {
    it("is on by default, at 0.3 × the anchor's price", () => {
      expect(BUNDLE_DEFAULTS).toMatchObject({ applyPriceAnchor: true, priceRatio: 0.3 });
    });

    // The lens costs 200 next to a 500 camera: 0.4 × the anchor.
    const withLens = makeCatalog(
      products`CAMERA:500:cameras LENS:200:lenses BAG:40:bags SD-CARD:20:cards STRAP:-:straps`,
    );
    const lensInput = cameraAnchored(
      withLens,
      makeEvidence([200, 100, 60, 80, 50], pairs`0-1:50 0-4:45 0-2:20 0-3:15 1-2:10 2-3:10`, 2000),
      4,
      // The cross-sell's own ratio does not govern bundles: bundle.priceRatio does.
      { ...CROSS_SELL_DEFAULTS, priceRatio: 0.05 },
    );
    const skus = (r: ReturnType<typeof selectBundle>) => r.items[0]?.items.map((i) => withLens.sku.get(i));

    it("drops an add-on above bundle.priceRatio × the anchor, and one without a price", () => {
      expect(skus(selectBundle(lensInput, BUNDLE_DEFAULTS))).toEqual(["CAMERA", "BAG", "SD-CARD"]);
    });

    it("follows bundle.priceRatio", () => {
      expect(skus(selectBundle(lensInput, { ...BUNDLE_DEFAULTS, priceRatio: 0.5 }))).toEqual(["CAMERA", "LENS", "BAG"]);
    });

    it("can be switched off (bundle.applyPriceAnchor: false)", () => {
      const off = selectBundle(lensInput, { ...BUNDLE_DEFAULTS, applyPriceAnchor: false });
      expect(skus(off)).toEqual(["CAMERA", "LENS", "BAG"]);
    });

    it("leaves an empty bundle with the reason when nothing is cheap enough", () => {
      const result = selectBundle(lensInput, { ...BUNDLE_DEFAULTS, priceRatio: 0.01 });
      expect(result.items).toEqual([]);
      expect(result.reasons).toContain("price_anchor");
    });
  });
});
