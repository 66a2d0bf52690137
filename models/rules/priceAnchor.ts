import { NO_PRICE } from "../catalog.js";

/**
 * Price anchor: once a customer agreed to pay the anchor price (or the cart total), an add-on feels
 * cheap only when it is a small fraction of it. An item without a known price never passes, and
 * nothing passes an anchor of unknown price: "cheap" relative to nothing cannot be claimed.
 */
export function withinPriceAnchor(candidateMinor: number, anchorMinor: number, ratio: number): boolean {
  if (candidateMinor === NO_PRICE || anchorMinor === NO_PRICE) return false;
  return candidateMinor <= ratio * anchorMinor;
}
