import type { PairEvidence } from "../evidence.js";
import { pValueAtMost, pValueThreshold, UNCORRECTED_THRESHOLD, type PValueCounts } from "./significance.js";

/** What a pair is judged by (relevanceKnobs makes them from the rules and the evidence). */
export interface RelevanceKnobs {
  minSupport: number;
  /** What a pair's baskets must be worth in average baskets (PairEvidence.worth), where the model weighs them. */
  minWorth: number;
  minLift: number;
  /** The p-value an item pair (a suggestion's own, or a step of the graph walk) must be at most. */
  pairPValue: number;
  /** The p-value a category pair must be at most. */
  categoryPValue: number;
}

/** What relevanceKnobs reads of the rules. */
export interface RelevanceRules {
  minSupport: number;
  minWorth: number;
  minLift: number;
  /** q of Benjamini–Hochberg over each level's pairs: the expected share of chance pairs among those passing. */
  falseDiscoveryRate: number;
}

/** What relevanceKnobs reads of the evidence: the trainer's floor and how each level's p-values fell. */
export interface RelevanceEvidence {
  minSupport: number;
  significance: { pairs: PValueCounts | null; categories: PValueCounts | null };
}

/** Thresholds by counts and q: every request of a version asks the same few (one per rules in use). */
const thresholds = new WeakMap<PValueCounts, Map<number, number>>();

function thresholdOf(counts: PValueCounts | null, q: number): number {
  if (counts === null) return UNCORRECTED_THRESHOLD;
  let byRate = thresholds.get(counts);
  if (byRate === undefined) thresholds.set(counts, (byRate = new Map()));
  let threshold = byRate.get(q);
  if (threshold === undefined) byRate.set(q, (threshold = pValueThreshold(counts, q)));
  return threshold;
}

/**
 * The knobs a pair is judged by: the rules' support floor, never below the trainer's (the privacy
 * floor the evidence was pruned at: a config cannot lower it), the rules' lift, and each level's
 * p-value threshold at the rules' false-discovery rate.
 */
export function relevanceKnobs(rules: RelevanceRules, evidence: RelevanceEvidence): RelevanceKnobs {
  const q = rules.falseDiscoveryRate;
  return {
    minSupport: Math.max(rules.minSupport, evidence.minSupport),
    minWorth: rules.minWorth,
    minLift: rules.minLift,
    pairPValue: thresholdOf(evidence.significance.pairs, q),
    categoryPValue: thresholdOf(evidence.significance.categories, q),
  };
}

/**
 * Relevant, not merely popular or lucky: bought together in at least minSupport distinct baskets
 * (also the privacy floor: a rarer pair is never shown or explained) worth minWorth average baskets (a
 * pair seen only in wholesale orders of hundreds of items is not), more often than chance (lift),
 * and significantly so among all the pairs of its level that were tried (models/rules/significance.ts).
 * The cheap tests go first: most pairs fail them and then no p-value is computed.
 */
export function isRelevantPair(pair: PairEvidence | null, knobs: RelevanceKnobs): pair is PairEvidence {
  return (
    pair !== null &&
    pair.support >= knobs.minSupport &&
    (pair.worth ?? pair.support) >= knobs.minWorth &&
    pair.lift > knobs.minLift &&
    beatsChance(pair, knobs.pairPValue)
  );
}

/**
 * The mean weight of a pair's baskets (1 where the model has none): the graph walk weighs each step
 * by it, so a walk through wholesale orders counts for less.
 */
export function basketWeightOf(pair: PairEvidence): number {
  return pair.worth === undefined || pair.support === 0 ? 1 : pair.worth / pair.support;
}

/** isRelevantPair for a category pair, at the category level's threshold. */
export function isRelevantCategoryPair(pair: PairEvidence, knobs: RelevanceKnobs): boolean {
  return pair.support >= knobs.minSupport && pair.lift > knobs.minLift && beatsChance(pair, knobs.categoryPValue);
}

/**
 * More often than chance, with the confidence a level's threshold asks for: the pair's exact one-sided
 * binomial p-value is at most `threshold`. A best seller in 16% of all baskets meets every other best
 * seller in a few baskets by chance alone (lift 1.1, support 8 where 6.8 is expected: p = 0.33); nine
 * baskets of 1,428 at a base rate of 0.32% (lift 1.98: p = 0.04) pass a single 10% test but not a
 * level that tried tens of thousands of pairs.
 */
export function beatsChance(pair: PairEvidence, threshold: number): boolean {
  return pair.lift > 1 && pValueAtMost(pair, threshold);
}

/** z of the 90% one-sided bound the graph walk weighs its steps by (not a test: see confidenceBound). */
const Z = 1.28;

/**
 * The Wilson lower bound of a pair's confidence (support out of the anchor's baskets), 0 for no
 * evidence: what the confidence is at least, given how few baskets it was counted in. 5 of 10 baskets
 * is a confidence of 0.5 but a bound of 0.31; 157 of 1,279 keeps 0.11 of its 0.12. The graph walk
 * weighs a step by it, so a sister colour's 6 pairs in 10 baskets do not outrank 60 in 120.
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
