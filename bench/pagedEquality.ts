/**
 * npm run bench:paged-equal -- [version folder] [every n-th anchor]: answers every surface from a
 * version's pages, through the worker's own page session with a page cache far below one request's
 * pages, and from its whole catalog and evidence, and counts where they differ. Both sides score
 * with the same reference scorer, so a difference is the paging's. Prints one JSON line. The
 * bundled sample and the journey slice are checked in full by test/trainer/pagedAnswers.test.ts;
 * this runs the same comparison on a benchmark shop (default: the 50k planted shop bench:serve trains).
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Catalog } from "../models/catalog.js";
import { DEFAULT_RULES, type RulesConfig } from "../models/config/rulesConfig.js";
import { BlobName } from "../models/contract.js";
import { Evidence } from "../models/evidence.js";
import { decodeHead } from "../models/paging/headBlob.js";
import { PagedCatalog, PagedResident } from "../models/paging/pagedViews.js";
import { referenceCandidates } from "../models/referenceCandidates.js";
import { LadderIndex } from "../models/rules/ladder.js";
import { referenceScoreAll, type ScoringTables } from "../models/scoringTables.js";
import { alsoBought, answer, bundle, cart, upgrades, type CandidateSource, type Shop } from "../models/surfaces.js";
import { decodeTables, neighbourAt } from "../models/tablesBlob.js";
import { readArtifacts, readPages } from "../trainer/artifacts.js";
import { pageEntries } from "../trainer/publish/publishVersion.js";
import { PageCache } from "../worker/model/pageCache.js";
import { PageSession, type PagedParts } from "../worker/model/pageSession.js";
import { PageStore, type DecodedPage, type PageValues } from "../worker/model/pageStore.js";
import { describeItem, presentBundle, presentCrossSell, presentUpgrade } from "../worker/recommend/present.js";

export interface PagedFixture {
  /** The whole model: the catalog and evidence blobs the pages were cut from. */
  whole: Shop & { catalog: Catalog };
  /** One scorer for both sides: every item in the basket's neighbour lists, as the graph gives them. */
  source: CandidateSource;
  /**
   * The paged model's resident part over the version's pages, with a page cache of `cache` bytes (or
   * that cache), its page reads going through `kv` when given.
   */
  paged: (cache: number | PageCache<DecodedPage>, kv?: (pages: PageValues) => PageValues) => PagedParts;
}

/**
 * A version folder's whole form and a reference scorer. The scorer's scalars are the trainer's
 * defaults: both forms use the same scorer, so a comparison is of the paging, whatever the scalars.
 */
export async function wholeFixture(dir: string): Promise<Pick<PagedFixture, "whole" | "source">> {
  return (await readFixture(dir, false)).fixture;
}

/**
 * The most popular anchor whose also-bought list is not empty (from the version's whole model): the
 * serving benches time a cold start on an answer that reads what an answer reads, titles and
 * evidence included.
 */
export async function answeredAnchor(dir: string, skus: readonly string[]): Promise<{ sku: string; items: number }> {
  const { whole, source } = await wholeFixture(dir);
  const rules = DEFAULT_RULES.crossSell;
  for (const sku of skus) {
    const anchor = whole.catalog.indexOf(sku);
    if (anchor === undefined) continue;
    const plan = alsoBought(whole, { anchor, rules, exclude: new Set(), limit: rules.limit });
    const items = answer(plan, source).items.length;
    if (items > 0) return { sku, items };
  }
  throw new Error(`${dir}: no popular anchor has an also-bought answer`);
}

/** A version folder's whole and paged forms. */
export async function pagedFixture(dir: string): Promise<PagedFixture> {
  const { fixture, paged } = await readFixture(dir, true);
  if (paged === null) throw new Error("unreachable: pages were asked for");
  return { ...fixture, paged };
}

async function readFixture(
  dir: string,
  withPages: boolean,
): Promise<{ fixture: Pick<PagedFixture, "whole" | "source">; paged: PagedFixture["paged"] | null }> {
  const artifacts = await readArtifacts(dir);
  const blob = (name: BlobName) => {
    const bytes = artifacts.blobs[name];
    if (bytes === undefined) throw new Error(`${dir} has no ${name}`);
    return bytes;
  };
  const catalog = new Catalog(blob(BlobName.catalog));
  const evidence = new Evidence(blob(BlobName.evidence), catalog.size);
  const rows = decodeTables(blob(BlobName.tables));
  const scoring: ScoringTables = {
    ...rows,
    neighbourItems: Int32Array.from({ length: rows.itemCount * rows.neighbours }, (_, s) =>
      neighbourAt(rows.neighbourLow, rows.neighbourHigh, s),
    ),
    confidenceBlend: 1,
    blendPower: 3,
    embeddingWeight: 0,
  };
  const source = referenceCandidates(scoring, (basket) => {
    const all = referenceScoreAll(
      scoring,
      basket,
      basket.map(() => 1),
    );
    return { items: all.map((s) => s.c), scores: all.map((s) => s.score) };
  });
  const fixture = { whole: { catalog, evidence, ladders: new LadderIndex(catalog) }, source };
  if (!withPages) return { fixture, paged: null };
  const values = new Map(await pageEntries(artifacts, await readPages(artifacts)));
  const kv = {
    get: (key: string, _options: { type: "arrayBuffer"; cacheTtl: number }) => {
      const value = values.get(key);
      return Promise.resolve(value === undefined ? null : value.slice().buffer);
    },
  };
  const head = decodeHead(blob(BlobName.head));
  const resident = new PagedResident(head);
  const ladders = new LadderIndex(new PagedCatalog(resident, { head, itemPage: () => null }), head.ladders);
  return {
    fixture,
    paged: (cache, through = (pages) => pages) => ({
      head,
      resident,
      ladders,
      pages: new PageStore(through(kv), head, typeof cache === "number" ? new PageCache<DecodedPage>(cache) : cache),
    }),
  };
}

/** Every item surface for one anchor, presented as the worker presents it. */
export function surfaceAnswers(
  shop: Shop,
  source: CandidateSource,
  anchor: number,
  rules: RulesConfig = DEFAULT_RULES,
) {
  const { catalog } = shop;
  const exclude = new Set<number>();
  const crossSell = answer(
    alsoBought(shop, { anchor, rules: rules.crossSell, exclude, limit: rules.crossSell.limit }),
    source,
  );
  const ups = answer(
    upgrades(shop, {
      anchor,
      rules: rules.upsell,
      stage: "product",
      spendMinor: null,
      exclude,
      limit: rules.upsell.limit,
    }),
    source,
  );
  const found = answer(bundle(shop, { anchor, crossSell: rules.crossSell, bundle: rules.bundle, exclude }), source);
  return {
    anchor: describeItem(catalog, anchor),
    alsoBought: crossSell.items.map((item) => presentCrossSell(catalog, item)),
    alsoBoughtReasons: crossSell.reasons,
    upgrades: ups.items.map((item) => presentUpgrade(catalog, item)),
    upgradeReasons: ups.reasons,
    bundle: found.items.map((b) => presentBundle(catalog, b)),
  };
}

/** A cart's suggestions, presented as the worker presents them. */
export function cartAnswers(
  shop: Shop,
  source: CandidateSource,
  lines: readonly number[],
  rules: RulesConfig = DEFAULT_RULES,
) {
  const { catalog } = shop;
  const result = answer(
    cart(shop, {
      lines: lines.map((index) => ({ index, quantity: 1, unitPriceMinor: catalog.price[index] ?? -1 })),
      rules,
      stage: "cart",
      exclude: new Set(),
      limit: rules.crossSell.limit,
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

/** Carts of 1–10 distinct sold products, spread over the catalog the same way every run. */
export function sampleCarts(sold: readonly number[], count: number): number[][] {
  return Array.from({ length: count }, (_, c) => [
    ...new Set(Array.from({ length: 1 + (c % 10) }, (_, k) => sold[(c * 7919 + k * 104729) % sold.length] ?? 0)),
  ]);
}

export interface EqualityFigures {
  anchors: number;
  carts: number;
  /** Anchors or carts whose paged answer differs from the whole model's. */
  differences: number;
  /** The most rounds of page reads one anchor's three surfaces took. */
  maxRounds: number;
  /** Anchors whose also-bought list was not empty (so the comparison compared something). */
  nonEmpty: number;
  firstDifference: string | null;
}

export async function compareForms(
  fixture: PagedFixture,
  anchors: readonly number[],
  carts: readonly number[][],
  cacheBytes: number,
  rules: RulesConfig = DEFAULT_RULES,
): Promise<EqualityFigures> {
  const parts = fixture.paged(cacheBytes);
  const figures: EqualityFigures = {
    anchors: anchors.length,
    carts: carts.length,
    differences: 0,
    maxRounds: 0,
    nonEmpty: 0,
    firstDifference: null,
  };
  const check = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    figures.differences++;
    figures.firstDifference ??= what;
  };
  for (const anchor of anchors) {
    const session = new PageSession(parts);
    const got = await session.complete(() => surfaceAnswers(session.shop, fixture.source, anchor, rules));
    const want = surfaceAnswers(fixture.whole, fixture.source, anchor, rules);
    check(`anchor ${anchor}`, got, want);
    figures.maxRounds = Math.max(figures.maxRounds, session.trace.rounds);
    if (want.alsoBought.length > 0) figures.nonEmpty++;
  }
  for (const [c, lines] of carts.entries()) {
    const session = new PageSession(parts);
    const got = await session.complete(() => cartAnswers(session.shop, fixture.source, lines, rules));
    check(`cart ${c}`, got, cartAnswers(fixture.whole, fixture.source, lines, rules));
  }
  return figures;
}

async function main(): Promise<void> {
  const [folder, every = "5"] = process.argv.slice(2);
  const models = join("bench", "out", "models-50k");
  const dir = folder ?? join(models, (await readdir(models)).sort().at(-1) ?? "");
  const fixture = await pagedFixture(dir);
  const { size } = fixture.whole.catalog;
  const step = Math.max(1, Number(every));
  const anchors = Array.from({ length: Math.ceil(size / step) }, (_, i) => i * step);
  const sold = Array.from({ length: size }, (_, i) => i).filter(
    (i) => (fixture.whole.evidence.itemBaskets[i] ?? 0) > 0,
  );
  const started = performance.now();
  const figures = await compareForms(fixture, anchors, sampleCarts(sold, 1000), 1024 * 1024);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  process.stdout.write(`${JSON.stringify({ dir, items: size, ...figures, cacheBytes: 1024 * 1024, seconds })}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
