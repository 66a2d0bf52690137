/**
 * A paged model answers exactly as the whole model it was cut from: every anchor of the bundled
 * sample and of the journey slice, every surface, and carts, through the worker's own page session
 * (misses, rounds, a page cache far smaller than one request's pages), against the whole catalog and
 * evidence. Both sides score with the same reference scorer, so any difference is the paging's.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { PageSession } from "../../worker/model/pageSession.js";
import { compareForms, pagedFixture, sampleCarts, type PagedFixture } from "../../bench/pagedEquality.js";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";

describe.each(["seedModel", "journeyModel"] as const)("a paged model (%s)", (seedName) => {
  let f: PagedFixture;
  beforeAll(async () => {
    f = await pagedFixture(inject(seedName).dir);
  });

  it("answers every anchor and 200 carts as the whole model does, with a page cache of 64 KiB", async () => {
    const { size } = f.whole.catalog;
    const anchors = Array.from({ length: size }, (_, i) => i);
    const sold = anchors.filter((i) => (f.whole.evidence.itemBaskets[i] ?? 0) > 0);
    // The comparison needs answers: the journey slice's pairs are too few to beat chance at the default
    // false-discovery rate (docs/design.md, "Evidence that beats chance"), so it compares at q = 1.
    const rules =
      seedName === "journeyModel"
        ? { ...DEFAULT_RULES, crossSell: { ...DEFAULT_RULES.crossSell, falseDiscoveryRate: 1 } }
        : DEFAULT_RULES;
    // Far below one cold request's pages: the session keeps what it read, the cache evicts as it goes.
    const figures = await compareForms(f, anchors, sampleCarts(sold, 200), 64 * 1024, rules);
    expect(figures.firstDifference).toBeNull();
    expect(figures.differences).toBe(0);
    // The comparison means something only if answers were there to compare and pages had to be read;
    // three surfaces in one step take the anchor's row, then its candidates' and the answers' pages.
    expect(figures.nonEmpty).toBeGreaterThan(size / 10);
    expect(figures.maxRounds).toBeGreaterThanOrEqual(1);
    expect(figures.maxRounds).toBeLessThanOrEqual(3);
  }, 180_000);

  it("finds every SKU through its SKU page, and no SKU that is not in the catalog", async () => {
    const session = new PageSession(f.paged(1024 * 1024));
    const { catalog } = f.whole;
    const skus = Array.from({ length: catalog.size }, (_, i) => catalog.sku.get(i));
    const found = await session.lookup([...skus, "NOT-A-SKU-§"]);
    skus.forEach((sku) => expect(found.get(sku)).toBe(catalog.indexOf(sku)));
    expect(found.has("NOT-A-SKU-§")).toBe(false);
  });
});
