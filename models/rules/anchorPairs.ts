import type { PairEvidence } from "../evidence.js";
import type { Reason } from "./reasons.js";
import { strongerEvidence, type AnchoredEvidence } from "./relevance.js";

/** A relevant item pair of one anchor (a product, a cart line) with a candidate. */
export interface AnchorPair {
  anchor: number;
  pair: PairEvidence;
}

/**
 * The anchor a candidate is credited to: of the anchors it has relevant pairs with (in the anchors'
 * order), the one with the strongest evidence whose price anchor it fits, or the reason none does.
 * An add-on is cheap next to the product it goes with, not next to a cart total that a television
 * makes large for a cable bought with the phone case. An anchor whose pair with the candidate is
 * indirect (bought together only through a third category) is credited only when no direct anchor
 * fits, and then the suggestion comes after the direct ones: with a phone and its case in the cart,
 * a screen protector belongs to the phone.
 */
export function pairAnchor(
  pairs: readonly AnchorPair[],
  priceFails: (anchor: number) => Reason | null,
  isIndirect: (anchor: number) => boolean,
): { evidence: AnchoredEvidence; indirect: boolean } | { reason: Reason } {
  let best: AnchorPair | null = null;
  let bestIndirect = true;
  let refused: Reason | null = null;
  for (const found of pairs) {
    const reason = priceFails(found.anchor);
    if (reason !== null) {
      refused ??= reason;
      continue;
    }
    const indirect = isIndirect(found.anchor);
    if (best !== null && indirect && !bestIndirect) continue;
    if (best === null || (bestIndirect && !indirect) || strongerEvidence(found.pair, best.pair)) {
      best = found;
      bestIndirect = indirect;
    }
  }
  if (best === null) return { reason: refused ?? "price_anchor" };
  return { evidence: { ...best.pair, anchor: best.anchor }, indirect: bestIndirect };
}
