import { Float32List, Int32List } from "../ingest/growable.js";
import type { Baskets } from "../ingest/orders.js";

/** Symmetric co-purchase counts in CSR form: how many distinct baskets hold both i and j. */
export interface CoPurchase {
  itemCount: number;
  /** Distinct baskets containing each item. */
  itemBaskets: Int32Array;
  /** Row i's neighbours are cols[rowStart[i] .. rowStart[i+1]) with counts at the same positions. */
  rowStart: Int32Array;
  cols: Int32Array;
  counts: Int32Array;
  /**
   * The same pairs weighed by basket size (basketWeight): what the learner reads instead of counts, so
   * a wholesale order of 700 items says less about each of its pairs than a basket of 3. Absent for
   * counts a warehouse computed (--pair-counts), which carry no basket sizes.
   */
  weighted?: Float32Array;
  /** Σ basketWeight over the baskets holding each item: the weighted diagonal (with `weighted`). */
  itemWeight?: Float64Array;
  /** Baskets with 2..maxBasket items, the ones that contributed pairs. */
  basketsCounted: number;
  basketsOverCap: number;
}

/**
 * How much one basket of `size` distinct items says about each pair in it, before normalising:
 * 1 / log2(1 + size), as inverse user frequency discounts heavy users in item-based collaborative
 * filtering: a 3-item basket 0.5, a 20-item one 0.23, a 700-item wholesale order 0.106.
 */
export function rawBasketWeight(size: number): number {
  return 1 / Math.log2(1 + size);
}

export interface CoPurchaseOptions {
  /** Baskets with more distinct items than this add no pairs (bulk orders say little about affinity). */
  maxBasket: number;
  /** Only baskets whose index passes this filter are counted (e.g. a time split). */
  include?: (basket: number) => boolean;
  /** Whether to weigh pairs by basket size (`weighted`, `itemWeight`); on unless false. */
  weighBaskets?: boolean;
}

/**
 * Pair counts row by row with a dense accumulator (Gustavson's sparse product of the basket matrix
 * with its transpose): for each item, walk the baskets that hold it and count the items after it.
 * No hashing of pair keys: at 10 million lines a Map of pair keys took 16 s for 6.9 million pairs.
 * Rows come out with their columns in ascending order.
 */
export function countCoPurchases(baskets: Baskets, options: CoPurchaseOptions): CoPurchase {
  const n = baskets.skus.length;
  const { offsets, items } = baskets;
  const basketCount = offsets.length - 1;
  const itemBaskets = new Int32Array(n);
  // Which baskets add pairs, and for each item the baskets that hold it (an inverted index).
  const counted = new Uint8Array(basketCount);
  let basketsCounted = 0;
  let basketsOverCap = 0;
  const holdStart = new Int32Array(n + 1);
  for (let b = 0; b < basketCount; b++) {
    if (options.include && !options.include(b)) continue;
    const start = offsets[b] ?? 0;
    const end = offsets[b + 1] ?? 0;
    for (let p = start; p < end; p++) {
      const i = items[p] ?? 0;
      itemBaskets[i] = (itemBaskets[i] ?? 0) + 1;
    }
    const size = end - start;
    if (size < 2) continue;
    if (size > options.maxBasket) {
      basketsOverCap++;
      continue;
    }
    basketsCounted++;
    counted[b] = 1;
    for (let p = start; p < end; p++) {
      const slot = (items[p] ?? 0) + 1;
      holdStart[slot] = (holdStart[slot] ?? 0) + 1;
    }
  }
  for (let i = 0; i < n; i++) holdStart[i + 1] = (holdStart[i + 1] ?? 0) + (holdStart[i] ?? 0);
  // Positions in `items` (not basket numbers): the walk starts right after the item itself.
  const held = new Int32Array(holdStart[n] ?? 0);
  const next = holdStart.slice(0, n);
  for (let b = 0; b < basketCount; b++) {
    if (counted[b] === 0) continue;
    for (let p = offsets[b] ?? 0; p < (offsets[b + 1] ?? 0); p++) {
      const i = items[p] ?? 0;
      held[next[i] ?? 0] = p;
      next[i] = (next[i] ?? 0) + 1;
    }
  }
  const basketOf = new Int32Array(items.length);
  for (let b = 0; b < basketCount; b++) basketOf.fill(b, offsets[b] ?? 0, offsets[b + 1] ?? 0);
  // Basket weights, scaled so an average line weighs 1 (the learner's λ keeps its meaning): Σ size·w
  // over the baskets counted equals Σ size.
  let lines = 0;
  let weightedLines = 0;
  for (let b = 0; b < basketCount; b++) {
    if (options.include && !options.include(b)) continue;
    const size = (offsets[b + 1] ?? 0) - (offsets[b] ?? 0);
    lines += size;
    weightedLines += size * rawBasketWeight(size);
  }
  const scale = weightedLines > 0 ? lines / weightedLines : 1;
  const basketWeight = new Float32Array(basketCount);
  const itemWeight = new Float64Array(n);
  for (let b = 0; b < basketCount; b++) {
    if (options.include && !options.include(b)) continue;
    const start = offsets[b] ?? 0;
    const end = offsets[b + 1] ?? 0;
    const w = scale * rawBasketWeight(end - start);
    basketWeight[b] = w;
    for (let p = start; p < end; p++) {
      const i = items[p] ?? 0;
      itemWeight[i] = (itemWeight[i] ?? 0) + w;
    }
  }

  // Upper triangle (j > i) by rows.
  const upperStart = new Int32Array(n + 1);
  const upperCols = new Int32List(1 << 20);
  const upperCounts = new Int32List(1 << 20);
  const upperWeights = new Float32List(1 << 20);
  const accumulator = new Int32Array(n);
  const weightSum = new Float64Array(n);
  const touched = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let h = holdStart[i] ?? 0; h < (holdStart[i + 1] ?? 0); h++) {
      const p = held[h] ?? 0;
      const basket = basketOf[p] ?? 0;
      const end = offsets[basket + 1] ?? 0;
      const w = basketWeight[basket] ?? 0;
      for (let q = p + 1; q < end; q++) {
        const j = items[q] ?? 0;
        if (accumulator[j] === 0) touched[t++] = j;
        accumulator[j] = (accumulator[j] ?? 0) + 1;
        weightSum[j] = (weightSum[j] ?? 0) + w;
      }
    }
    const row = touched.subarray(0, t).sort();
    for (const j of row) {
      upperCols.push(j);
      upperCounts.push(accumulator[j] ?? 0);
      upperWeights.push(weightSum[j] ?? 0);
      accumulator[j] = 0;
      weightSum[j] = 0;
    }
    upperStart[i + 1] = upperCols.length;
  }

  const weigh = options.weighBaskets !== false;
  const full = mirrorUpper(
    n,
    upperStart,
    upperCols.view(),
    upperCounts.view(),
    weigh ? upperWeights.view() : undefined,
  );
  const { weighted, ...pairs } = full;
  return {
    itemCount: n,
    itemBaskets,
    ...pairs,
    ...(weighted ? { weighted, itemWeight } : {}),
    basketsCounted,
    basketsOverCap,
  };
}

/**
 * The upper triangle (row i holds its j > i, columns ascending) mirrored into full symmetric rows:
 * row i gets (i', count) from every earlier row i' first, then its own upper part, so its columns
 * stay ascending.
 */
export function mirrorUpper(
  n: number,
  upperStart: Int32Array,
  upperCols: Int32Array,
  upperCounts: Int32Array,
  upperWeights?: Float32Array,
): { rowStart: Int32Array; cols: Int32Array; counts: Int32Array; weighted?: Float32Array } {
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowStart[i + 1] = (upperStart[i + 1] ?? 0) - (upperStart[i] ?? 0);
  for (const j of upperCols) rowStart[j + 1] = (rowStart[j + 1] ?? 0) + 1;
  for (let i = 0; i < n; i++) rowStart[i + 1] = (rowStart[i + 1] ?? 0) + (rowStart[i] ?? 0);
  const fill = rowStart.slice(0, n);
  const cols = new Int32Array(rowStart[n] ?? 0);
  const counts = new Int32Array(cols.length);
  const weighted = upperWeights ? new Float32Array(cols.length) : undefined;
  for (let i = 0; i < n; i++) {
    for (let u = upperStart[i] ?? 0; u < (upperStart[i + 1] ?? 0); u++) {
      const j = upperCols[u] ?? 0;
      const count = upperCounts[u] ?? 0;
      const pi = fill[i] ?? 0;
      cols[pi] = j;
      counts[pi] = count;
      fill[i] = pi + 1;
      const pj = fill[j] ?? 0;
      cols[pj] = i;
      counts[pj] = count;
      fill[j] = pj + 1;
      if (weighted && upperWeights) {
        const w = upperWeights[u] ?? 0;
        weighted[pi] = w;
        weighted[pj] = w;
      }
    }
  }
  return weighted ? { rowStart, cols, counts, weighted } : { rowStart, cols, counts };
}

/** Number of distinct baskets holding both i and j (0 when never together). */
export function pairCount(co: CoPurchase, i: number, j: number): number {
  const start = co.rowStart[i] ?? 0;
  const end = co.rowStart[i + 1] ?? 0;
  for (let p = start; p < end; p++) if (co.cols[p] === j) return co.counts[p] ?? 0;
  return 0;
}
