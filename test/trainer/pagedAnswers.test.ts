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
import { keptStringBytes } from "../../models/blobContainer.js";
import { PageCache } from "../../worker/model/pageCache.js";
import type { DecodedPage } from "../../worker/model/pageStore.js";
import { ITEM_PAGE_OBJECT_BYTES } from "../../models/paging/itemPage.js";
import { skuBucket } from "../../models/paging/pageLayout.js";

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

  it("counts the titles and SKUs a page keeps once decoded against the page cache's bound", async () => {
    const cache = new PageCache<DecodedPage>(64 * 1024 * 1024);
    const session = new PageSession(f.paged(cache));
    const { catalog } = session.shop;
    const kept = (text: string) => keptStringBytes(new TextEncoder().encode(text).byteLength);
    // Reads the first page (items 0–63), then decodes and keeps SKU 0.
    const sku0 = await session.complete(() => catalog.sku.get(0));
    const page = cache.heldBytes - kept(sku0);
    expect(page).toBeGreaterThan(0);
    const titles = Array.from({ length: 5 }, (_, i) => catalog.title.get(i));
    const skus = Array.from({ length: 4 }, (_, i) => catalog.sku.get(i + 1));
    const counted = [sku0, ...titles, ...skus].reduce((sum, text) => sum + kept(text), 0);
    expect(cache.heldBytes).toBe(page + counted);
    // Kept once: reading them again adds nothing.
    for (let i = 0; i < 5; i++) catalog.title.get(i);
    expect(cache.heldBytes).toBe(page + counted);
    expect(titles).toEqual(Array.from({ length: 5 }, (_, i) => f.whole.catalog.title.get(i)));
  });

  it("never leaves a request waiting on another request's read of the same page", async () => {
    // workerd never finishes the I/O of a request it cancelled (its client went away), and cancels as
    // hung (a 500) any other request left waiting on it: so a request reads each page it lacks itself.
    let reads = 0;
    const parts = f.paged(64 * 1024, (kv) => ({
      get: (key, options) => (++reads === 1 ? new Promise<ArrayBuffer | null>(() => {}) : kv.get(key, options)),
    }));
    const sku = f.whole.catalog.sku.get(0);
    void new PageSession(parts).lookup([sku]);
    const found = await new PageSession(parts).lookup([sku]);
    expect(found.get(sku)).toBe(0);
    expect(reads).toBe(2);
  }, 5_000);

  it("finds every SKU through its SKU page, and no SKU that is not in the catalog", async () => {
    const session = new PageSession(f.paged(1024 * 1024));
    const { catalog } = f.whole;
    const skus = Array.from({ length: catalog.size }, (_, i) => catalog.sku.get(i));
    const found = await session.lookup([...skus, "NOT-A-SKU-§"]);
    skus.forEach((sku) => expect(found.get(sku)).toBe(catalog.indexOf(sku)));
    expect(found.has("NOT-A-SKU-§")).toBe(false);
  });

  it("counts decoded pages at what they hold: the value, and an item page's objects or a SKU page's index", async () => {
    const cache = new PageCache<DecodedPage>(64 * 1024 * 1024);
    const session = new PageSession(f.paged(cache));
    const { head } = session;
    await session.complete(() => session.itemPage(0));
    expect(cache.heldBytes).toBe((head.pageBytes[0] ?? 0) + ITEM_PAGE_OBJECT_BYTES);
    const held = cache.heldBytes;
    const sku = f.whole.catalog.sku.get(0);
    await session.lookup([sku]);
    expect(cache.size).toBe(2);
    // The index reads the value's UTF-8 SKUs in place, with a table of two slots a SKU at most.
    const value = head.pageBytes[head.itemPages + skuBucket(sku, head.skuPages)] ?? 0;
    expect(cache.heldBytes - held).toBeGreaterThan(value);
    expect(cache.heldBytes - held).toBeLessThan(2 * value + 2 * 1024);
  });

  it("says the whole model fits only when every item page, decoded, fits the page cache", () => {
    const { head } = f.paged(1).pages;
    const decoded = (head.pageOffsets[head.itemPages] ?? 0) + head.itemPages * ITEM_PAGE_OBJECT_BYTES;
    expect(f.paged(decoded).pages.wholeFits).toBe(true);
    expect(f.paged(decoded - 1).pages.wholeFits).toBe(false);
  });
});

describe("the page cache's count of kept strings", () => {
  it("grows only the page object it holds under the key", () => {
    const cache = new PageCache<{ bytes: number }>(1000);
    const first = { bytes: 100 };
    cache.set("v/1", first);
    cache.grow("v/1", first, 10);
    expect(cache.heldBytes).toBe(110);
    // Dropped and read again: another object under the same key; the old one's strings count for nothing.
    const again = { bytes: 100 };
    cache.set("v/1", again);
    cache.grow("v/1", first, 10);
    cache.grow("v/2", first, 10);
    expect(cache.heldBytes).toBe(100);
    // Growing past the bound drops the least recently used page, never the one that grew.
    cache.set("v/3", { bytes: 850 });
    cache.grow("v/1", again, 100);
    expect(cache.get("v/1")).toBe(again);
    expect(cache.get("v/3")).toBeUndefined();
    expect(cache.heldBytes).toBe(200);
  });
});
