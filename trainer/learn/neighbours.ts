import type { CoPurchase } from "./coPurchase.js";

export interface NeighbourLists {
  neighbours: number;
  /** [N × K]; unused slots hold the item's own index (weight 0), which the server always drops. */
  items: Int32Array;
  /** [N × K] confidence P(j | i) = baskets(i, j) / baskets(i). */
  weights: Float64Array;
  /** [N × K] co-purchase counts behind each weight, for evidence. */
  support: Int32Array;
  /** Share of items with at least one neighbour. */
  coverage: number;
}

export interface NeighbourOptions {
  neighbours: number;
  /** Privacy and evidence floor: distinct baskets a pair needs to be kept. */
  minSupport: number;
  /** Item prices in minor units (negative = unknown), for the add-on slots. */
  prices: Int32Array;
  /** Slots reserved for the strongest neighbours that cost at most addonPriceRatio × the item. */
  addonSlots: number;
  addonPriceRatio: number;
  /** Baskets behind the counts, for lift. */
  totalBaskets: number;
}

/**
 * Each item's K strongest co-purchase neighbours by confidence, keeping only pairs seen in at least
 * minSupport distinct baskets: the privacy floor, and the evidence floor for a trustworthy suggestion.
 *
 * Part of the K slots goes to the strongest *cheap* neighbours (price ≤ addonPriceRatio × the item's):
 * the price-anchor rule only ever serves those as cross-sells, and for a cheap popular item they
 * rank far down the plain list (for 85123A the first one priced ≤ 0.3× is the 20th neighbour).
 * Add-on slots also require lift > 1 (the relevance rule's default): a cheap item bought with
 * everything (lift ≤ 1) would take a slot and then be refused at serving time.
 * Without these slots the candidate set would hold nothing the rules let through.
 */
export function topNeighbours(co: CoPurchase, options: NeighbourOptions): NeighbourLists {
  const { neighbours, minSupport, prices, addonSlots, addonPriceRatio, totalBaskets } = options;
  const n = co.itemCount;
  const items = new Int32Array(n * neighbours);
  const weights = new Float64Array(n * neighbours);
  const support = new Int32Array(n * neighbours);
  let covered = 0;
  for (let i = 0; i < n; i++) {
    const start = co.rowStart[i] ?? 0;
    const end = co.rowStart[i + 1] ?? 0;
    const baskets = co.itemBaskets[i] ?? 1;
    const candidates: { j: number; count: number }[] = [];
    for (let p = start; p < end; p++) {
      const count = co.counts[p] ?? 0;
      if (count >= minSupport) candidates.push({ j: co.cols[p] ?? 0, count });
    }
    candidates.sort((a, b) => b.count - a.count || a.j - b.j);
    const price = prices[i] ?? -1;
    const isAddon = (j: number, count: number) => {
      const cheap = price > 0 && (prices[j] ?? -1) >= 0 && (prices[j] ?? -1) <= addonPriceRatio * price;
      const lift = (count * totalBaskets) / (baskets * (co.itemBaskets[j] ?? 1));
      return cheap && lift > 1;
    };
    const addons = candidates.filter(({ j, count }) => isAddon(j, count)).slice(0, addonSlots);
    const taken = new Set(addons.map(({ j }) => j));
    const general = candidates.filter(({ j }) => !taken.has(j)).slice(0, neighbours - addons.length);
    const kept = [...general, ...addons].sort((a, b) => b.count - a.count || a.j - b.j);
    items.fill(i, i * neighbours, (i + 1) * neighbours);
    kept.forEach(({ j, count }, k) => {
      items[i * neighbours + k] = j;
      weights[i * neighbours + k] = count / baskets;
      support[i * neighbours + k] = count;
    });
    if (candidates.length > 0) covered++;
  }
  return { neighbours, items, weights, support, coverage: n === 0 ? 0 : covered / n };
}
