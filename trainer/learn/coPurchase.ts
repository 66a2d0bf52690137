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
  /** Baskets with 2..maxBasket items, the ones that contributed pairs. */
  basketsCounted: number;
  basketsOverCap: number;
}

export interface CoPurchaseOptions {
  /** Baskets with more distinct items than this add no pairs (bulk orders say little about affinity). */
  maxBasket: number;
  /** Only baskets whose index passes this filter are counted (e.g. a time split). */
  include?: (basket: number) => boolean;
}

export function countCoPurchases(baskets: Baskets, options: CoPurchaseOptions): CoPurchase {
  const n = baskets.skus.length;
  const itemBaskets = new Int32Array(n);
  // Upper-triangle pair counts keyed i * n + j (i < j): exact in a double for n up to ~9e7.
  const pairs = new Map<number, number>();
  let basketsCounted = 0;
  let basketsOverCap = 0;
  const basketCount = baskets.offsets.length - 1;
  for (let b = 0; b < basketCount; b++) {
    if (options.include && !options.include(b)) continue;
    const start = baskets.offsets[b] ?? 0;
    const end = baskets.offsets[b + 1] ?? 0;
    for (let p = start; p < end; p++) {
      const i = baskets.items[p] ?? 0;
      itemBaskets[i] = (itemBaskets[i] ?? 0) + 1;
    }
    const size = end - start;
    if (size < 2) continue;
    if (size > options.maxBasket) {
      basketsOverCap++;
      continue;
    }
    basketsCounted++;
    for (let p = start; p < end; p++) {
      const base = (baskets.items[p] ?? 0) * n;
      for (let q = p + 1; q < end; q++) {
        const key = base + (baskets.items[q] ?? 0);
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
    }
  }

  const degree = new Int32Array(n + 1);
  for (const key of pairs.keys()) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    degree[i + 1] = (degree[i + 1] ?? 0) + 1;
    degree[j + 1] = (degree[j + 1] ?? 0) + 1;
  }
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowStart[i + 1] = (rowStart[i] ?? 0) + (degree[i + 1] ?? 0);
  const fill = rowStart.slice(0, n);
  const cols = new Int32Array(rowStart[n] ?? 0);
  const counts = new Int32Array(cols.length);
  for (const [key, count] of pairs) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    const pi = fill[i] ?? 0;
    cols[pi] = j;
    counts[pi] = count;
    fill[i] = pi + 1;
    const pj = fill[j] ?? 0;
    cols[pj] = i;
    counts[pj] = count;
    fill[j] = pj + 1;
  }
  return { itemCount: n, itemBaskets, rowStart, cols, counts, basketsCounted, basketsOverCap };
}

/** Number of distinct baskets holding both i and j (0 when never together). */
export function pairCount(co: CoPurchase, i: number, j: number): number {
  const start = co.rowStart[i] ?? 0;
  const end = co.rowStart[i + 1] ?? 0;
  for (let p = start; p < end; p++) if (co.cols[p] === j) return co.counts[p] ?? 0;
  return 0;
}
