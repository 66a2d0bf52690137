import type { CoPurchase } from "./coPurchase.js";

export interface NeighbourLists {
  neighbours: number;
  /** [N × K]; unused slots hold the item's own index (weight 0), which the graph always drops. */
  items: Int32Array;
  /** [N × K] the model's weight (EASE) for the strongest few; 0 for the other slots. */
  weights: Float64Array;
  /** [N × K] confidence P(j | i) = baskets(i, j) / baskets(i) for every slot. */
  confidence: Float64Array;
  /** [N × K] co-purchase counts behind each slot, for evidence. */
  support: Int32Array;
  /** [N × K] the mean basket-size weight of each slot's baskets (coPurchase.ts), 1 without weights. */
  basketWeight: Float32Array;
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
  /** The model's weight of j for i (default: confidence). Only positive weights count. */
  weight?: (i: number, j: number, count: number) => number;
  /** How many slots carry the model's weight: the strongest few (more adds noise, measured). */
  weightedSlots: number;
}

interface Candidate {
  j: number;
  count: number;
  w: number;
  conf: number;
  mean: number;
}

/**
 * Each item's K neighbours, from pairs seen in at least minSupport distinct baskets (the privacy
 * and evidence floor):
 * - the `weightedSlots` strongest by the model's weight (EASE), which carry that weight;
 * - then the most frequent companions by confidence P(j | i), which serve single-anchor queries
 *   (raw co-counts win that task) and carry confidence only;
 * - and `addonSlots` for the strongest cheap companions (price ≤ addonPriceRatio × the item, lift > 1):
 *   the price-anchor rule only ever serves those, and for a cheap popular item they rank far down
 *   (for 85123A the first one priced ≤ 0.3× is the 20th neighbour).
 */
export function topNeighbours(co: CoPurchase, options: NeighbourOptions): NeighbourLists {
  const { neighbours: K, minSupport, prices, addonSlots, addonPriceRatio, totalBaskets } = options;
  const n = co.itemCount;
  const confidenceOf = (i: number, count: number) => count / (co.itemBaskets[i] || 1);
  const weight = options.weight ?? ((i: number, _j: number, count: number) => confidenceOf(i, count));
  const items = new Int32Array(n * K);
  const weights = new Float64Array(n * K);
  const confidence = new Float64Array(n * K);
  const support = new Int32Array(n * K);
  const basketWeight = new Float32Array(n * K).fill(1);
  let covered = 0;
  for (let i = 0; i < n; i++) {
    const baskets = co.itemBaskets[i] || 1;
    const candidates: Candidate[] = [];
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
      const count = co.counts[p] ?? 0;
      if (count < minSupport) continue;
      const j = co.cols[p] ?? 0;
      const mean = co.weighted ? (co.weighted[p] ?? count) / count : 1;
      candidates.push({ j, count, w: weight(i, j, count), conf: confidenceOf(i, count), mean });
    }
    const byConfidence = [...candidates].sort((a, b) => b.count - a.count || a.j - b.j);
    const price = prices[i] ?? -1;
    const isAddon = ({ j, count }: Candidate) => {
      const p = prices[j] ?? -1;
      const lift = (count * totalBaskets) / (baskets * (co.itemBaskets[j] || 1));
      return price > 0 && p >= 0 && p <= addonPriceRatio * price && lift > 1;
    };
    const strongest = candidates
      .filter((c) => c.w > 0)
      .sort((a, b) => b.w - a.w || a.j - b.j)
      .slice(0, Math.min(options.weightedSlots, K));
    const carriesWeight = new Set(strongest.map((c) => c.j));
    const addons = byConfidence.filter(isAddon).slice(0, Math.min(addonSlots, K));
    const taken = new Set(addons.map((c) => c.j));
    const weighted = strongest.filter((c) => !taken.has(c.j)).slice(0, K - addons.length);
    for (const c of weighted) taken.add(c.j);
    const rest = byConfidence.filter((c) => !taken.has(c.j)).slice(0, Math.max(0, K - weighted.length - addons.length));
    const kept = [...weighted, ...rest, ...addons].map((c) => ({ ...c, w: carriesWeight.has(c.j) ? c.w : 0 }));
    items.fill(i, i * K, (i + 1) * K);
    kept.forEach(({ j, count, w, conf, mean }, k) => {
      basketWeight[i * K + k] = mean;
      items[i * K + k] = j;
      weights[i * K + k] = w;
      confidence[i * K + k] = conf;
      support[i * K + k] = count;
    });
    if (kept.length > 0) covered++;
  }
  return { neighbours: K, items, weights, confidence, support, basketWeight, coverage: n === 0 ? 0 : covered / n };
}
