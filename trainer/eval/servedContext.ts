import { NO_PRICE, type Catalog } from "../../models/catalog.js";
import { scoredLines } from "../../models/rules/scoredLines.js";
import type { Evidence } from "../../models/evidence.js";
import type { LadderIndex } from "../../models/rules/ladder.js";
import { anchorOf } from "./evaluate.js";
import type { QueryScorer } from "./scorers.js";
import { CandidateTable } from "./servedCandidates.js";
import { lineRevenue, type TestLine } from "./testLines.js";

/** Test items a query could hit, each with the revenue its line brought in (minor units). */
export type Targets = ReadonlyMap<number, number>;

export interface AnchorQuery {
  anchor: number;
  /** The basket's other items. */
  targets: Targets;
  /** Their revenue: what add-ons to this anchor could have captured at most. */
  addOnMinor: number;
}

export interface BasketQuery {
  /** The cart: the test basket without the held-out item. */
  lines: readonly TestLine[];
  held: number;
  heldMinor: number;
}

export interface UpgradeQuery {
  anchor: number;
  /** The basket's items a class above the anchor on its ladders. */
  targets: Targets;
  addOnMinor: number;
  /** Embedding similarity to the anchor of every ladder member priced above it (the graph's output). */
  similarity: ReadonlyMap<number, number>;
}

/** The basket task's carts for one maxScoredLines: each query's scored lines and their candidates. */
export interface CartTable {
  lines: readonly (readonly TestLine[])[];
  candidates: CandidateTable;
}

/** What rules-on evaluation computes once per split: queries, targets, the graph's candidates. */
export interface ServedContext {
  catalog: Catalog;
  evidence: Evidence;
  ladders: LadderIndex;
  anchors: readonly AnchorQuery[];
  anchorCandidates: CandidateTable;
  /** Anchors drawn uniformly from the whole catalog (never-sold products too), for catalog coverage. */
  sample: readonly number[];
  sampleCandidates: CandidateTable;
  baskets: readonly BasketQuery[];
  /** Every (basket, held-out item) pair, of which `baskets` is the fixed subsample. */
  basketQueriesTotal: number;
  /** The carts' candidates for a maxScoredLines (a rules knob), computed on first use and kept. */
  carts(maxScoredLines: number): CartTable;
  upgrades: readonly UpgradeQuery[];
}

export interface ServedInput {
  catalog: Catalog;
  evidence: Evidence;
  ladders: LadderIndex;
  /** The served model's scorer (scorers.ts `served`): its finite scores are the graph's candidates. */
  scorer: QueryScorer;
  /** The graph's candidate_similarity: each candidate against the anchor. */
  similarity: (anchor: number, candidates: readonly number[]) => ArrayLike<number>;
  skus: readonly string[];
  testBaskets: readonly (readonly TestLine[])[];
}

/** How many catalog products are sampled (evenly spaced) for the also-bought catalog coverage. */
export const CATALOG_SAMPLE = 2000;

/**
 * The basket task's cap: a cart's rules walk hundreds of candidates, so all 63k (basket, held-out)
 * pairs of the shared split cost ~12 s per rules setting; 10,000 evenly spaced ones cost ~2 s and
 * keep HR@10's standard error near 0.002. The same pairs for every rules setting and arm.
 */
export const BASKET_QUERIES = 10_000;

/** `cap` of `items` evenly spaced by position (all of them when they fit): deterministic, order kept. */
export function evenSample<T>(items: readonly T[], cap: number): T[] {
  if (items.length <= cap) return [...items];
  return Array.from({ length: cap }, (_, i) => items[Math.floor((i * items.length) / cap)] as T);
}

/** A class above the anchor on its ladder: a higher tier where the catalog ranks both, else a higher price. */
function isClassAbove(catalog: Catalog, anchor: number, item: number): boolean {
  const anchorTier = catalog.tier[anchor] ?? Number.NaN;
  if (catalog.hasTiers && !Number.isNaN(anchorTier)) return (catalog.tier[item] ?? Number.NaN) > anchorTier;
  const anchorPrice = catalog.price[anchor] ?? NO_PRICE;
  const price = catalog.price[item] ?? NO_PRICE;
  return anchorPrice !== NO_PRICE && price !== NO_PRICE && price > anchorPrice;
}

const targetsOf = (lines: readonly TestLine[], keep: (l: TestLine) => boolean) =>
  new Map(lines.filter(keep).map((l) => [l.index, lineRevenue(l)]));
const total = (targets: Targets) => [...targets.values()].reduce((a, b) => a + b, 0);

/**
 * The served eval's queries, built once: the scorer does not depend on the rules, so the graph's
 * candidates are computed here and every rules setting after that costs only the rules.
 */
export function servedContext(input: ServedInput): ServedContext {
  const { catalog, ladders, scorer, skus } = input;
  const anchors: AnchorQuery[] = [];
  const allBaskets: BasketQuery[] = [];
  const upgrades: UpgradeQuery[] = [];
  for (const lines of input.testBaskets) {
    const anchor = anchorOf(
      lines.map((l) => l.index),
      skus,
    );
    const targets = targetsOf(lines, (l) => l.index !== anchor);
    anchors.push({ anchor, targets, addOnMinor: total(targets) });
    for (const held of lines) {
      allBaskets.push({ lines: lines.filter((l) => l !== held), held: held.index, heldMinor: lineRevenue(held) });
    }
    const ladder = new Set(ladders.members(anchor));
    const above = targetsOf(lines, (l) => ladder.has(l.index) && isClassAbove(catalog, anchor, l.index));
    if (above.size === 0) continue;
    const anchorPrice = catalog.price[anchor] ?? NO_PRICE;
    const members = anchorPrice === NO_PRICE ? [] : ladders.membersPricedIn(anchor, anchorPrice, Infinity);
    const similarity = input.similarity(anchor, members);
    upgrades.push({
      anchor,
      targets: above,
      addOnMinor: total(above),
      similarity: new Map(members.map((m, i) => [m, similarity[i] ?? Number.NEGATIVE_INFINITY])),
    });
  }
  const stride = Math.max(1, Math.floor(catalog.size / CATALOG_SAMPLE));
  const sample = Array.from({ length: Math.ceil(catalog.size / stride) }, (_, i) => i * stride);
  const baskets = evenSample(allBaskets, BASKET_QUERIES);
  const longest = baskets.reduce((m, q) => Math.max(m, q.lines.length), 0);
  const carts = new Map<number, CartTable>();
  return {
    catalog,
    evidence: input.evidence,
    ladders,
    anchors,
    anchorCandidates: new CandidateTable(
      scorer,
      anchors.map((q) => [q.anchor]),
      catalog.size,
    ),
    sample,
    sampleCandidates: new CandidateTable(
      scorer,
      sample.map((a) => [a]),
      catalog.size,
    ),
    baskets,
    basketQueriesTotal: allBaskets.length,
    carts(maxScoredLines) {
      // Every cart fits under any cap at or above the longest: one table serves them all.
      const key = Math.min(maxScoredLines, longest);
      let table = carts.get(key);
      if (table === undefined) {
        const lines = baskets.map((q) => scoredLines(q.lines, key));
        const queries = lines.map((scored) => scored.map((l) => l.index));
        table = { lines, candidates: new CandidateTable(scorer, queries, catalog.size) };
        carts.set(key, table);
      }
      return table;
    },
    upgrades,
  };
}
