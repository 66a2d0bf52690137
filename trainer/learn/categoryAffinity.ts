import { NO_GROUP, NO_PRICE } from "../../models/catalog.js";
import type { CatalogRows } from "../../models/catalog.js";
import type { CategoryAffinityRows } from "../../models/categoryEvidence.js";
import type { Reporter } from "../progress.js";
import { Int32List } from "../ingest/growable.js";
import type { Baskets } from "../ingest/orders.js";
import { binomialUpperTail, PValueTally, type PValueCounts } from "../../models/rules/significance.js";

export interface CategoryAffinityOptions {
  /** Baskets with more distinct items than this are left out, as in co-purchase counting. */
  maxBasket: number;
  /** Only baskets whose index passes this filter are counted (the eval's train baskets). */
  include?: (basket: number) => boolean;
  /** The privacy floor: category pairs in fewer baskets are not kept. */
  minSupport: number;
  /** Partner categories kept per category. */
  partners: number;
  /** Best sellers listed per category. */
  categoryItems: number;
  /** Never-sold items listed per category after its best sellers. */
  newItems: number;
  /** How much stronger both other sides of a triangle must be to explain a pair away (see directPairs). */
  indirectMargin?: number;
}

export const CATEGORY_AFFINITY_DEFAULTS = { partners: 16, categoryItems: 16, newItems: 8 } as const;

/** Both other sides of a triangle must be this much (relative) stronger to explain a pair away. */
export const INDIRECT_MARGIN = 0.1;

/**
 * z of the one-sided 97.5% Wilson bound that ranks a category's partners (which 16 are kept, best
 * first): a partner must be convincing, not just lucky, to rank high. Stricter than the 1.28 of
 * models/rules/relevance.ts on purpose: that one decides at answer time whether an item pair may be
 * shown at all, where a strict bound empties small shops' answers; this one only orders partners that
 * already passed the floor and lift > 1, so shrinking thin evidence harder changes which partners come
 * first and which 16 stay, never whether a category has any.
 */
const PARTNER_RANK_Z = 1.96;

/**
 * The evidence's category level for a catalog (undefined when it has no categories), with the
 * trainer's floor and basket cap and the default list lengths, and a line saying what it found.
 */
export function categoryLevel(
  baskets: Baskets,
  catalog: Pick<CatalogRows, "categoryIds" | "categoryNames" | "prices">,
  options: Pick<CategoryAffinityOptions, "maxBasket" | "minSupport" | "include">,
  reporter: Reporter,
): CategoryLevelRows | undefined {
  const C = catalog.categoryNames.length;
  if (C === 0) return undefined;
  const level = learnCategoryAffinity(baskets, catalog.categoryIds, C, catalog.prices, {
    ...CATEGORY_AFFINITY_DEFAULTS,
    maxBasket: options.maxBasket,
    minSupport: options.minSupport,
    ...(options.include ? { include: options.include } : {}),
  });
  let withPartners = 0;
  for (let c = 0; c < C; c++) if ((level.partnerStart[c + 1] ?? 0) > (level.partnerStart[c] ?? 0)) withPartners++;
  reporter.info(
    `category level: ${withPartners} of ${C} categories have complementary categories ` +
      `(${level.partners.length} pairs from ${level.totalBaskets} baskets)`,
  );
  return level;
}

/** The category level and how its pairs' p-values fell (for the false-discovery control). */
export type CategoryLevelRows = CategoryAffinityRows & { pValues: PValueCounts };

/** Adds one at `index` (typed arrays read as number | undefined under noUncheckedIndexedAccess). */
function bump(counts: Int32Array, index: number): number {
  const value = (counts[index] ?? 0) + 1;
  counts[index] = value;
  return value - 1;
}

/** Wilson lower bound of a proportion k/n: near k/n with many baskets, well under it with few. */
function wilsonLower(k: number, n: number): number {
  const p = k / n;
  const z2 = PARTNER_RANK_Z * PARTNER_RANK_Z;
  const centre = p + z2 / (2 * n);
  const spread = PARTNER_RANK_Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return (centre - spread) / (1 + z2 / n);
}

/**
 * Category × category co-purchase from the baskets, and each category's items to fill with.
 *
 * Partners are kept when their pair passes the privacy floor and lift > 1, and ranked by the *added
 * value the evidence vouches for*: the Wilson lower bound of P(d | c) minus P(d). Plain lift puts a
 * category bought in 3 baskets (2 of them with c) first; plain confidence puts the big staples first
 * even at lift 1.05 (everyone buys milk). The bound shrinks thin evidence, and subtracting P(d)
 * removes what d's popularity alone explains, so the top partners are both real and well attested.
 *
 * Counting walks each category's baskets with a dense accumulator (as countCoPurchases does for
 * items), so memory is O(lines + categories) whatever the category count, and each basket's
 * distinct categories are counted once.
 */
export function learnCategoryAffinity(
  baskets: Baskets,
  categoryIds: Int32Array,
  categoryCount: number,
  prices: Int32Array,
  options: CategoryAffinityOptions,
): CategoryLevelRows {
  const n = baskets.skus.length;
  const C = categoryCount;
  const { offsets, items } = baskets;
  const basketCount = offsets.length - 1;
  // Best sellers are ranked by the same count as the evidence's itemBaskets: every included basket.
  const itemBaskets = new Int32Array(n);
  const categoryBaskets = new Int32Array(C);
  // Each counted basket's distinct categories, back to back (basket k is cats[catStart[k] .. catStart[k+1])).
  const catStart = new Int32List(1 << 16);
  const cats = new Int32List(1 << 20);
  catStart.push(0);
  const lastBasket = new Int32Array(C).fill(-1);
  for (let b = 0; b < basketCount; b++) {
    if (options.include && !options.include(b)) continue;
    const start = offsets[b] ?? 0;
    const end = offsets[b + 1] ?? 0;
    for (let p = start; p < end; p++) bump(itemBaskets, items[p] ?? 0);
    if (end - start < 2 || end - start > options.maxBasket) continue;
    for (let p = start; p < end; p++) {
      const c = categoryIds[items[p] ?? 0] ?? NO_GROUP;
      if (c === NO_GROUP || lastBasket[c] === b) continue;
      lastBasket[c] = b;
      bump(categoryBaskets, c);
      cats.push(c);
    }
    catStart.push(cats.length);
  }
  const counted = catStart.length - 1;
  const starts = catStart.view();
  const basketCats = cats.view();

  // Inverted index: the counted baskets holding each category.
  const holdStart = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) holdStart[c + 1] = (holdStart[c] ?? 0) + (categoryBaskets[c] ?? 0);
  const held = new Int32Array(holdStart[C] ?? 0);
  const fill = holdStart.slice(0, C);
  for (let k = 0; k < counted; k++) {
    for (let q = starts[k] ?? 0; q < (starts[k + 1] ?? 0); q++) {
      const c = basketCats[q] ?? 0;
      held[bump(fill, c)] = k;
    }
  }

  // Every category pair past the floor with lift > 1, each category's row back to back.
  const candidateStart = new Int32Array(C + 1);
  const candidate = new Int32List(1 << 12);
  const candidateSupport = new Int32List(1 << 12);
  const accumulator = new Int32Array(C);
  const touched = new Int32Array(C);
  // Every directed category pair past the floor is a test (the answer side tests c's partner d from c's
  // side; pairSignificance.ts says why pairs under the floor are not); pairs at chance count with p = 1.
  const pValues = new PValueTally();
  for (let c = 0; c < C; c++) {
    let t = 0;
    for (let h = holdStart[c] ?? 0; h < (holdStart[c + 1] ?? 0); h++) {
      const k = held[h] ?? 0;
      for (let q = starts[k] ?? 0; q < (starts[k + 1] ?? 0); q++) {
        const d = basketCats[q] ?? 0;
        if (d === c) continue;
        if (accumulator[d] === 0) touched[t++] = d;
        bump(accumulator, d);
      }
    }
    const own = categoryBaskets[c] ?? 0;
    for (let u = 0; u < t; u++) {
      const d = touched[u] ?? 0;
      const support = accumulator[d] ?? 0;
      accumulator[d] = 0;
      // lift > 1 ⇔ support / own > baskets(d) / counted.
      const base = (categoryBaskets[d] ?? 0) / counted;
      if (support < options.minSupport) continue;
      if (support / own <= base) {
        pValues.add(1);
        continue;
      }
      pValues.add(binomialUpperTail(support, own, base));
      candidate.push(d);
      candidateSupport.push(support);
    }
    candidateStart[c + 1] = candidate.length;
  }
  const pairs = { start: candidateStart, partner: candidate.view(), support: candidateSupport.view() };
  const direct = directPairs(pairs, categoryBaskets, counted, options.indirectMargin ?? INDIRECT_MARGIN);

  const partnerStart = new Int32Array(C + 1);
  const partners = new Int32List(1 << 12);
  const partnerSupport = new Int32List(1 << 12);
  const indirectStart = new Int32Array(C + 1);
  const indirect = new Int32List(1 << 12);
  const score = new Float64Array(C);
  const supportOf = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    const own = categoryBaskets[c] ?? 0;
    const kept: number[] = [];
    for (let s = pairs.start[c] ?? 0; s < (pairs.start[c + 1] ?? 0); s++) {
      const d = pairs.partner[s] ?? 0;
      if (direct[s] !== 1) {
        indirect.push(d);
        continue;
      }
      const support = pairs.support[s] ?? 0;
      score[d] = wilsonLower(support, own) - (categoryBaskets[d] ?? 0) / counted;
      supportOf[d] = support;
      kept.push(d);
    }
    kept.sort((a, b) => (score[b] ?? 0) - (score[a] ?? 0) || a - b);
    for (const d of kept.slice(0, options.partners)) {
      partners.push(d);
      partnerSupport.push(supportOf[d] ?? 0);
    }
    partnerStart[c + 1] = partners.length;
    indirectStart[c + 1] = indirect.length;
  }

  const fillItems = categoryFill(itemBaskets, categoryIds, C, prices, options);
  return {
    totalBaskets: counted,
    categoryBaskets,
    partnerStart,
    partners: partners.view().slice(),
    partnerSupport: partnerSupport.view().slice(),
    indirectStart,
    indirect: indirect.view().slice(),
    ...fillItems,
    pValues: pValues.counts(),
  };
}

/**
 * Each category's items to fill from: its best sellers (most baskets first, ties by index), then for
 * every price the best seller at or below it (the price–sales Pareto front, most baskets first: an
 * anchor's price anchor may rule out every best seller, and the front holds the best seller under any
 * cap), then its first never-sold items. Each item once.
 */
function categoryFill(
  itemBaskets: Int32Array,
  categoryIds: Int32Array,
  C: number,
  prices: Int32Array,
  options: CategoryAffinityOptions,
): { itemStart: Int32Array; items: Int32Array } {
  // Bucket the catalog by category, in index order.
  const bucketStart = new Int32Array(C + 1);
  for (const c of categoryIds) if (c !== NO_GROUP && c < C) bump(bucketStart, c + 1);
  for (let c = 0; c < C; c++) bucketStart[c + 1] = (bucketStart[c + 1] ?? 0) + (bucketStart[c] ?? 0);
  const bucket = new Int32Array(bucketStart[C] ?? 0);
  const next = bucketStart.slice(0, C);
  categoryIds.forEach((c, i) => {
    if (c !== NO_GROUP && c < C) bucket[bump(next, c)] = i;
  });
  const itemStart = new Int32Array(C + 1);
  const out = new Int32List(1 << 12);
  const baskets = (i: number) => itemBaskets[i] ?? 0;
  const byBaskets = (a: number, b: number) => baskets(b) - baskets(a) || a - b;
  const price = (i: number) => prices[i] ?? NO_PRICE;
  for (let c = 0; c < C; c++) {
    const members = bucket.subarray(bucketStart[c] ?? 0, bucketStart[c + 1] ?? 0);
    const sold = members.filter((i) => baskets(i) > 0).sort(byBaskets);
    const listed = new Set(sold.subarray(0, options.categoryItems));
    const front: number[] = [];
    let bestBelow = 0;
    const cheapestFirst = sold
      .filter((i) => price(i) !== NO_PRICE)
      .sort((a, b) => price(a) - price(b) || byBaskets(a, b));
    for (const i of cheapestFirst) {
      if (baskets(i) <= bestBelow) continue;
      bestBelow = baskets(i);
      if (!listed.has(i)) front.push(i);
    }
    for (const i of listed) out.push(i);
    for (const i of front.sort(byBaskets)) out.push(i);
    let fresh = 0;
    for (const i of members) {
      if (fresh === options.newItems) break;
      if (baskets(i) > 0) continue;
      out.push(i);
      fresh++;
    }
    itemStart[c + 1] = out.length;
  }
  return { itemStart, items: out.view().slice() };
}

interface PairRows {
  /** [C + 1] category c's pairs are at start[c] .. start[c + 1]. */
  start: Int32Array;
  partner: Int32Array;
  support: Int32Array;
}

/** Pearson's φ of two categories' basket indicators: association with both popularities removed. */
function phi(both: number, a: number, b: number, total: number): number {
  const spread = a * (total - a) * b * (total - b);
  return spread > 0 ? (both * total - a * b) / Math.sqrt(spread) : 0;
}

/**
 * Marks each pair that is *direct* (1) or explained away by a third category (0), by the data
 * processing inequality as ARACNE uses it (Margolin et al. 2006): in a triangle c–d–z where c–z and
 * d–z are both clearly stronger than c–d, c and d are most likely bought together only because both
 * go with z. A phone case and a screen protector are each bought with the phone; their own pair is
 * real but second-hand, and suggesting one on the other's page skips the product that links them. A
 * pair that is strong in its own right (stronger than either side through z) stays.
 */
export function directPairs(pairs: PairRows, categoryBaskets: Int32Array, total: number, margin: number): Uint8Array {
  const C = pairs.start.length - 1;
  const strength = new Float64Array(pairs.partner.length);
  for (let c = 0; c < C; c++) {
    for (let s = pairs.start[c] ?? 0; s < (pairs.start[c + 1] ?? 0); s++) {
      const d = pairs.partner[s] ?? 0;
      strength[s] = phi(pairs.support[s] ?? 0, categoryBaskets[c] ?? 0, categoryBaskets[d] ?? 0, total);
    }
  }
  // strengthOf(d, z) by a scan of d's row, marked in a scratch row so each lookup is O(1).
  const row = new Float64Array(C);
  const direct = new Uint8Array(pairs.partner.length).fill(1);
  for (let c = 0; c < C; c++) {
    const begin = pairs.start[c] ?? 0;
    const end = pairs.start[c + 1] ?? 0;
    for (let s = begin; s < end; s++) row[pairs.partner[s] ?? 0] = strength[s] ?? 0;
    for (let s = begin; s < end; s++) {
      const d = pairs.partner[s] ?? 0;
      const bar = (strength[s] ?? 0) * (1 + margin);
      for (let t = pairs.start[d] ?? 0; t < (pairs.start[d + 1] ?? 0); t++) {
        const z = pairs.partner[t] ?? 0;
        if (z !== c && (strength[t] ?? 0) > bar && (row[z] ?? 0) > bar) {
          direct[s] = 0;
          break;
        }
      }
    }
    for (let s = begin; s < end; s++) row[pairs.partner[s] ?? 0] = 0;
  }
  return direct;
}
