import type { Evidence, PairEvidence } from "../evidence.js";

export interface RelevanceKnobs {
  minSupport: number;
  minLift: number;
}

/**
 * Relevant, not merely popular: bought together in at least minSupport distinct baskets (also the
 * privacy floor: a rarer pair is never shown or explained) and more often than chance (lift).
 */
export function isRelevantPair(pair: PairEvidence | null, knobs: RelevanceKnobs): pair is PairEvidence {
  return pair !== null && pair.support >= knobs.minSupport && pair.lift > knobs.minLift;
}

export interface AnchoredEvidence extends PairEvidence {
  /** The anchor (catalog index) the evidence is about. */
  anchor: number;
}

/**
 * The strongest relevant evidence linking any of the anchors to a candidate (by confidence, then
 * support), or null when no anchor has a relevant pair with it.
 */
export function bestEvidence(
  evidence: Evidence,
  anchors: readonly number[],
  candidate: number,
  knobs: RelevanceKnobs,
): AnchoredEvidence | null {
  let best: AnchoredEvidence | null = null;
  for (const anchor of anchors) {
    const pair = evidence.pair(anchor, candidate);
    if (!isRelevantPair(pair, knobs)) continue;
    if (
      best === null ||
      pair.confidence > best.confidence ||
      (pair.confidence === best.confidence && pair.support > best.support)
    ) {
      best = { ...pair, anchor };
    }
  }
  return best;
}
