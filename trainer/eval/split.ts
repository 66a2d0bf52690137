import type { Baskets } from "../ingest/orders.js";

export interface Split {
  /** Baskets (indices into `baskets`) whose time is before the cut: the training set. */
  isTrain: (basket: number) => boolean;
  /** Items bought in at least one training basket. */
  trainItems: Set<number>;
  /** Test baskets: their distinct train-known items, at least two. */
  testBaskets: number[][];
}

/**
 * The protocol's time split: a basket's time is its earliest line; train = before the cut, test = at
 * or after it. Test baskets keep only items seen in training, and need two of them.
 */
export function splitAt(baskets: Baskets, cutMs: number): Split {
  const count = baskets.offsets.length - 1;
  const train = new Uint8Array(count);
  const trainItems = new Set<number>();
  for (let b = 0; b < count; b++) {
    if (!((baskets.times[b] ?? Number.NaN) < cutMs)) continue;
    train[b] = 1;
    for (let p = baskets.offsets[b] ?? 0; p < (baskets.offsets[b + 1] ?? 0); p++) trainItems.add(baskets.items[p] ?? 0);
  }
  const testBaskets: number[][] = [];
  for (let b = 0; b < count; b++) {
    if (train[b] || Number.isNaN(baskets.times[b] ?? Number.NaN)) continue;
    const items = Array.from(baskets.items.subarray(baskets.offsets[b], baskets.offsets[b + 1])).filter((i) =>
      trainItems.has(i),
    );
    if (items.length >= 2) testBaskets.push(items);
  }
  return { isTrain: (b) => train[b] === 1, trainItems, testBaskets };
}
