import { NO_PRICE } from "../catalog.js";

/** Default share of the anchor's price an add-on may cost (DESIGN §1: "price anchor"). */
export const DEFAULT_PRICE_RATIO = 0.3;

/**
 * Price anchor: once a customer agreed to pay the anchor price, an add-on feels cheap only when it
 * is a small fraction of it. Items without a known price never pass, and neither does anything
 * when the anchor price itself is unknown: we cannot claim an add-on is cheap relative to nothing.
 */
export function withinPriceAnchor(candidateMinor: number, anchorMinor: number, ratio = DEFAULT_PRICE_RATIO): boolean {
  if (candidateMinor === NO_PRICE || anchorMinor === NO_PRICE) return false;
  return candidateMinor <= ratio * anchorMinor;
}
