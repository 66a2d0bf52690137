import type { Catalog } from "../catalog.js";
import { DEFAULT_PRICE_RATIO, withinPriceAnchor } from "./priceAnchor.js";

export interface CrossSellOptions {
  limit: number;
  priceRatio?: number;
}

export interface RankedItem {
  index: number;
  score: number;
}

/**
 * Cross-sells for one anchor from scored candidates (best first): never the anchor, only items that
 * can be sold, and only add-ons within the price anchor.
 */
export function selectCrossSells(
  catalog: Catalog,
  anchor: number,
  candidates: { items: ArrayLike<number>; scores: ArrayLike<number> },
  options: CrossSellOptions,
): RankedItem[] {
  const ratio = options.priceRatio ?? DEFAULT_PRICE_RATIO;
  const anchorPrice = catalog.price[anchor] ?? -1;
  const chosen: RankedItem[] = [];
  for (let i = 0; i < candidates.items.length && chosen.length < options.limit; i++) {
    const index = candidates.items[i] ?? anchor;
    if (index === anchor || catalog.available[index] !== 1) continue;
    if (!withinPriceAnchor(catalog.price[index] ?? -1, anchorPrice, ratio)) continue;
    chosen.push({ index, score: candidates.scores[i] ?? 0 });
  }
  return chosen;
}
