/**
 * A paged model answers exactly as the whole model it was cut from: every anchor of the bundled
 * sample, every surface, through the worker's own page session (misses, rounds, a page cache far
 * smaller than one request's pages), against the whole catalog and evidence. Both sides score with
 * the same reference scorer, so any difference is the paging's.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Catalog } from "../../models/catalog.js";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import { BlobName } from "../../models/contract.js";
import { Evidence } from "../../models/evidence.js";
import { decodeHead } from "../../models/paging/headBlob.js";
import { PagedCatalog, PagedResident } from "../../models/paging/pagedViews.js";
import { referenceCandidates } from "../../models/referenceCandidates.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { referenceScoreAll } from "../../models/scoringTables.js";
import { alsoBought, answer, bundle, cart, upgrades, type CandidateSource, type Shop } from "../../models/surfaces.js";
import { readArtifacts, readPages } from "../../trainer/artifacts.js";
import { pageEntries } from "../../trainer/publish/publishVersion.js";
import { PageCache } from "../../worker/model/pageCache.js";
import { PageSession, type PagedParts } from "../../worker/model/pageSession.js";
import { PageStore, type DecodedPage } from "../../worker/model/pageStore.js";
import { presentBundle, presentCrossSell, presentUpgrade, describeItem } from "../../worker/recommend/present.js";
import { referenceModel, type ReferenceModel } from "../worker/reference.js";

interface Fixture {
  whole: ReferenceModel;
  source: CandidateSource;
  parts: (cacheBytes: number) => PagedParts;
  values: Map<string, Uint8Array>;
}

async function fixture(seedName: "seedModel" | "journeyModel"): Promise<Fixture> {
  const seed = inject(seedName);
  const artifacts = await readArtifacts(seed.dir);
  const blob = (name: BlobName) => {
    const bytes = artifacts.blobs[name];
    if (bytes === undefined) throw new Error(`${seed.dir} has no ${name}`);
    return bytes;
  };
  const catalog = new Catalog(blob(BlobName.catalog));
  const whole = referenceModel(seed, catalog, new Evidence(blob(BlobName.evidence), catalog.size));
  // The graph's candidates: every item in the basket's neighbour lists, as the worker's run gives them.
  const source = referenceCandidates(whole.tables, (basket) => {
    const all = referenceScoreAll(
      whole.tables,
      basket,
      basket.map(() => 1),
    );
    return { items: all.map((s) => s.c), scores: all.map((s) => s.score) };
  });
  const values = new Map((await pageEntries(artifacts, await readPages(artifacts))).map(([k, v]) => [k, v]));
  const kv = {
    get: (key: string) => {
      const value = values.get(key);
      return Promise.resolve(value === undefined ? null : value.slice().buffer);
    },
  };
  const head = decodeHead(blob(BlobName.head));
  const resident = new PagedResident(head);
  const ladders = new LadderIndex(new PagedCatalog(resident, { head, itemPage: () => null }), head.ladders);
  return {
    whole,
    source,
    values,
    parts: (cacheBytes) => ({
      head,
      resident,
      ladders,
      pages: new PageStore(kv, head, new PageCache<DecodedPage>(cacheBytes)),
    }),
  };
}

/** One surface's presented answer from a shop (the whole model's, or a paged session's). */
function answers(shop: Shop, source: CandidateSource, anchor: number) {
  const { catalog } = shop;
  const exclude = new Set<number>();
  const crossSell = answer(
    alsoBought(shop, { anchor, rules: DEFAULT_RULES.crossSell, exclude, limit: DEFAULT_RULES.crossSell.limit }),
    source,
  );
  const ups = answer(
    upgrades(shop, {
      anchor,
      rules: DEFAULT_RULES.upsell,
      stage: "product",
      spendMinor: null,
      exclude,
      limit: DEFAULT_RULES.upsell.limit,
    }),
    source,
  );
  const found = answer(
    bundle(shop, { anchor, crossSell: DEFAULT_RULES.crossSell, bundle: DEFAULT_RULES.bundle, exclude }),
    source,
  );
  return {
    anchor: describeItem(catalog, anchor),
    alsoBought: crossSell.items.map((item) => presentCrossSell(catalog, item)),
    alsoBoughtReasons: crossSell.reasons,
    upgrades: ups.items.map((item) => presentUpgrade(catalog, item)),
    upgradeReasons: ups.reasons,
    bundle: found.items.map((b) => presentBundle(catalog, b)),
  };
}

function cartAnswer(shop: Shop, source: CandidateSource, lines: number[]) {
  const { catalog } = shop;
  const result = answer(
    cart(shop, {
      lines: lines.map((index) => ({ index, quantity: 1, unitPriceMinor: catalog.price[index] ?? -1 })),
      rules: DEFAULT_RULES,
      stage: "cart",
      exclude: new Set(),
      limit: DEFAULT_RULES.crossSell.limit,
    }),
    source,
  );
  return {
    items: result.crossSells.items.map((item) => presentCrossSell(catalog, item, true)),
    reasons: result.crossSells.reasons,
    upgrades: result.upgrades.map(({ line, selection }) => ({
      line: describeItem(catalog, line),
      items: selection.items.map((item) => presentUpgrade(catalog, item)),
    })),
  };
}

describe.each(["seedModel", "journeyModel"] as const)("a paged model (%s)", (seedName) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(seedName);
  });

  it("answers every anchor as the whole model does, with a page cache of 64 KiB", async () => {
    // Far below one cold request's pages: the session keeps what it read, the cache evicts as it goes.
    const parts = f.parts(64 * 1024);
    const size = f.whole.catalog.size;
    let rounds = 0;
    let nonEmpty = 0;
    for (let anchor = 0; anchor < size; anchor++) {
      const session = new PageSession(parts);
      const got = await session.complete(() => answers(session.shop, f.source, anchor));
      const want = answers(f.whole, f.source, anchor);
      expect(got, `anchor ${anchor}`).toEqual(want);
      rounds = Math.max(rounds, session.trace.rounds);
      if (want.alsoBought.length > 0) nonEmpty++;
    }
    // The comparison means something only if answers were there to compare and pages had to be read.
    expect(nonEmpty).toBeGreaterThan(size / 10);
    // Three surfaces in one step: the anchor's row, then its candidates' and the answers' pages.
    expect(rounds).toBeGreaterThanOrEqual(1);
    expect(rounds).toBeLessThanOrEqual(3);
  }, 120_000);

  it("answers carts as the whole model does", async () => {
    const parts = f.parts(256 * 1024);
    const sold = Array.from({ length: f.whole.catalog.size }, (_, i) => i).filter(
      (i) => (f.whole.evidence.itemBaskets[i] ?? 0) > 0,
    );
    for (let c = 0; c < 200; c++) {
      const lines = Array.from({ length: 1 + (c % 10) }, (_, k) => sold[(c * 7919 + k * 104729) % sold.length] ?? 0);
      const session = new PageSession(parts);
      const got = await session.complete(() => cartAnswer(session.shop, f.source, [...new Set(lines)]));
      expect(got, `cart ${c}`).toEqual(cartAnswer(f.whole, f.source, [...new Set(lines)]));
    }
  }, 60_000);

  it("finds every SKU through its SKU page, and no SKU that is not in the catalog", async () => {
    const session = new PageSession(f.parts(1024 * 1024));
    const { catalog } = f.whole;
    const skus = Array.from({ length: catalog.size }, (_, i) => catalog.sku.get(i));
    const found = await session.lookup([...skus, "NOT-A-SKU-§"]);
    skus.forEach((sku) => expect(found.get(sku)).toBe(catalog.indexOf(sku)));
    expect(found.has("NOT-A-SKU-§")).toBe(false);
  });
});
