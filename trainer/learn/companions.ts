import type { CoPurchase } from "./coPurchase.js";
import { positionInRow } from "./rowSearch.js";

/** Each item's strongest companions: row j is items[start[j] … start[j+1]) with their counts. */
export interface Companions {
  start: Int32Array;
  items: Int32Array;
  counts: Int32Array;
  /** The pairs' entries of the learner's Gram matrix: basket-size weighted (co.weighted), else counts. */
  gram: Float64Array;
}

/**
 * Each item's `limit` companions with the most shared baskets (ties: the lower index), among pairs
 * seen in at least `minSupport` baskets. A row that fits whole is kept in index order; a longer one
 * is ranked by one numeric sort of count·2²¹ + (2²¹ − 1 − index) keys (exact in a double for any
 * count below 2³¹ and catalogs below 2 million items), which beat a comparator sort of objects here.
 */
export function strongestCompanions(co: CoPurchase, options: { limit: number; minSupport: number }): Companions {
  const n = co.itemCount;
  const { limit, minSupport } = options;
  const start = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    let kept = 0;
    for (let p = co.rowStart[j] ?? 0; p < (co.rowStart[j + 1] ?? 0); p++) if ((co.counts[p] ?? 0) >= minSupport) kept++;
    start[j + 1] = (start[j] ?? 0) + Math.min(kept, limit);
  }
  const items = new Int32Array(start[n] ?? 0);
  const counts = new Int32Array(items.length);
  const SHIFT = 2 ** 21;
  let keys = new Float64Array(1024);
  for (let j = 0; j < n; j++) {
    const from = co.rowStart[j] ?? 0;
    const to = co.rowStart[j + 1] ?? 0;
    let at = start[j] ?? 0;
    const end = start[j + 1] ?? 0;
    if (end - at === 0) continue;
    let kept = 0;
    for (let p = from; p < to; p++) if ((co.counts[p] ?? 0) >= minSupport) kept++;
    if (kept <= limit) {
      for (let p = from; p < to; p++) {
        const count = co.counts[p] ?? 0;
        if (count < minSupport) continue;
        items[at] = co.cols[p] ?? 0;
        counts[at++] = count;
      }
      continue;
    }
    if (keys.length < kept) keys = new Float64Array(kept * 2);
    let k = 0;
    for (let p = from; p < to; p++) {
      const count = co.counts[p] ?? 0;
      if (count >= minSupport) keys[k++] = count * SHIFT + (SHIFT - 1 - (co.cols[p] ?? 0));
    }
    const ranked = keys.subarray(0, k).sort();
    for (let r = k - 1; at < end; r--) {
      const key = ranked[r] ?? 0;
      const count = Math.floor(key / SHIFT);
      items[at] = SHIFT - 1 - (key - count * SHIFT);
      counts[at++] = count;
    }
  }
  const gram = Float64Array.from(counts);
  const { weighted } = co;
  if (weighted) {
    for (let j = 0; j < n; j++) {
      for (let at = start[j] ?? 0; at < (start[j + 1] ?? 0); at++)
        gram[at] = weighted[positionInRow(co, j, items[at] ?? 0)] ?? 0;
    }
  }
  return { start, items, counts, gram };
}
