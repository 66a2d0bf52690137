import type { PairEvidence } from "../evidence.js";

export interface RelevanceKnobs {
  minSupport: number;
  minLift: number;
}

/**
 * The knobs a pair is judged by: the rules' support floor, never below the trainer's (the privacy
 * floor the evidence was pruned at: a config cannot lower it), and the rules' lift.
 */
export function relevanceKnobs(rules: RelevanceKnobs, evidence: { minSupport: number }): RelevanceKnobs {
  return { minSupport: Math.max(rules.minSupport, evidence.minSupport), minLift: rules.minLift };
}

/**
 * Relevant, not merely popular: bought together in at least minSupport distinct baskets (also the
 * privacy floor: a rarer pair is never shown or explained) and more often than chance (lift).
 */
export function isRelevantPair(pair: PairEvidence | null, knobs: RelevanceKnobs): pair is PairEvidence {
  return pair !== null && pair.support >= knobs.minSupport && pair.lift > knobs.minLift && beatsChance(pair);
}

/**
 * z of a one-sided 90% bound: on bench:synth's 50k shop 1.28 and 1.96 both keep ≥ 96% of also-bought
 * items in planted leaves, and 1.96 empties more answers of small shops (2k items: 94% non-empty
 * instead of 96%). Laxer than the trainer's PARTNER_RANK_Z (1.96, trainer/learn/categoryAffinity.ts) on
 * purpose: this bound decides whether a pair is shown at all; that one only orders category partners
 * that already passed the floor.
 */
const Z = 1.28;

/**
 * More often than chance *with confidence*: the Wilson lower bound of the confidence (support out of
 * the anchor's baskets) is above the partner's base rate (confidence ÷ lift). A best seller in 16% of
 * all baskets meets every other best seller in a few baskets by chance alone (lift 1.1, support 8
 * where 6.8 is expected); those pairs say nothing about either product.
 */
export function beatsChance(pair: PairEvidence): boolean {
  return pair.lift > 0 && confidenceBound(pair) > pair.confidence / pair.lift;
}

/**
 * The Wilson lower bound of a pair's confidence (support out of the anchor's baskets), 0 for no
 * evidence: what the confidence is at least, given how few baskets it was counted in. 5 of 10 baskets
 * is a confidence of 0.5 but a bound of 0.31; 157 of 1,279 keeps 0.11 of its 0.12.
 */
export function confidenceBound({ support, confidence }: PairEvidence): number {
  if (support <= 0 || confidence <= 0) return 0;
  const n = support / confidence;
  const z2 = Z * Z;
  const centre = confidence + z2 / (2 * n);
  const spread = Z * Math.sqrt((confidence * (1 - confidence)) / n + z2 / (4 * n * n));
  return (centre - spread) / (1 + z2 / n);
}

export interface AnchoredEvidence extends PairEvidence {
  /** The anchor (catalog index) the evidence is about. */
  anchor: number;
}

/**
 * Whether evidence `a` beats `b`: higher confidence, then more support. Equal evidence is not
 * stronger, so whatever was seen first (anchor, cart line) keeps a tie.
 */
export function strongerEvidence(a: PairEvidence, b: PairEvidence): boolean {
  return a.confidence > b.confidence || (a.confidence === b.confidence && a.support > b.support);
}
