import { NO_PRICE, type Catalog } from "../catalog.js";
import type { CrossSellRules } from "../config/rulesConfig.js";
import type { Evidence } from "../evidence.js";
import { isAvailable } from "./availability.js";
import { isSubstitute } from "./complement.js";
import { DiversityCap } from "./diversity.js";
import { objectiveValue } from "./objective.js";
import { withinPriceAnchor } from "./priceAnchor.js";
import { ReasonTally, type Reason } from "./reasons.js";
import {
  categoryCandidates,
  graphCandidates,
  type FallbackLevel,
  type LevelCandidate,
  type LevelEvidence,
  type Source,
} from "./fallbackLevels.js";
import { bestEvidenceByCandidate } from "./relevance.js";
import { isSecondHandPair, type SecondHand } from "./secondHand.js";

export interface ScoredCandidates {
  items: ArrayLike<number>;
  scores: ArrayLike<number>;
}

export interface CrossSellInput {
  catalog: Catalog;
  evidence: Evidence;
  /** The anchor item, or the cart's items. Never suggested. */
  anchors: readonly number[];
  /** What the price anchor compares with: the anchor's price, or the cart total (minor units). */
  anchorPriceMinor: number;
  /** Items the customer already has or owns. */
  exclude: ReadonlySet<number>;
  /** Scored candidates, in any order (from the model, or every catalog item in a reference). */
  candidates: ScoredCandidates;
  rules: CrossSellRules;
  limit: number;
  /** Bundles may switch the price anchor off. */
  applyPriceAnchor?: boolean;
  /**
   * Levels that fill a list the anchors' own co-purchase pairs leave short, in order (also-bought:
   * the rules' `fallback`). None by default: bundles and carts stay with item pairs.
   */
  fallback?: readonly FallbackLevel[];
  /**
   * A level's candidates depend only on the anchors and the relevance knobs, not on the price anchor
   * or the other rules: a caller that serves the same anchors many times over one catalog and evidence
   * (the eval's sweeps) may keep them here. The worker answers one request at a time and passes none.
   */
  levelMemo?: Map<string, readonly LevelCandidate[]>;
  /**
   * Item pairs whose categories are bought together only through a third (isSecondHandPair); the
   * rules' `secondHand` unless given (bundles always drop them: a bundle claims a set bought with the anchor).
   */
  secondHand?: SecondHand;
}

export interface CrossSell {
  index: number;
  score: number;
  /** The level the suggestion and its evidence come from. */
  source: Source;
  evidence: LevelEvidence;
}

export interface Selection<T> {
  items: T[];
  /** Why fewer than `limit` came back (empty when the list is full). */
  reasons: Reason[];
}

/** Candidates best first, ties by catalog index, each item once. */
export function rankCandidates(candidates: ScoredCandidates): { index: number; score: number }[] {
  const seen = new Set<number>();
  const ranked: { index: number; score: number }[] = [];
  for (let i = 0; i < candidates.items.length; i++) {
    const index = candidates.items[i] ?? -1;
    const score = candidates.scores[i] ?? Number.NEGATIVE_INFINITY;
    if (index < 0 || seen.has(index) || !Number.isFinite(score)) continue;
    seen.add(index);
    ranked.push({ index, score });
  }
  return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
}

/**
 * The cross-sell question for one anchor (a product page, a bundle): priced against the anchor's own
 * price. The limit and the fallback levels are the caller's (also-bought has them, bundles do not).
 */
export function singleAnchorInput(
  shop: { catalog: Catalog; evidence: Evidence },
  anchor: number,
  candidates: ScoredCandidates,
  rules: CrossSellRules,
  exclude: ReadonlySet<number> = new Set(),
): Omit<CrossSellInput, "limit"> {
  const { catalog, evidence } = shop;
  return {
    catalog,
    evidence,
    anchors: [anchor],
    anchorPriceMinor: catalog.price[anchor] ?? NO_PRICE,
    exclude,
    candidates,
    rules,
  };
}

/**
 * Cross-sells: every cross-sell rule applied to scored candidates, in a fixed order (exclusions,
 * availability, relevance and privacy floor, complement-not-substitute, price anchor), then the
 * objective and the diversity cap while taking the best `limit`.
 */
export function selectCrossSells(input: CrossSellInput): Selection<CrossSell> {
  const { catalog, evidence, rules } = input;
  const knobs = { minSupport: Math.max(rules.minSupport, evidence.minSupport), minLift: rules.minLift };
  const tally = new ReasonTally();
  const check = ruleCheck(input);
  const anchorPrice = input.applyPriceAnchor === false ? null : input.anchorPriceMinor;
  const passes = (index: number, relevant: boolean) => passesAll(tally, check(index, relevant, anchorPrice));
  const passing: (CrossSell & { value: number })[] = [];
  const secondHand: (CrossSell & { value: number })[] = [];
  const ranked = rankCandidates(input.candidates);
  const evidenceOf = bestEvidenceByCandidate(evidence, input.anchors, knobs);
  for (const { index, score } of ranked) {
    const found = evidenceOf.get(index) ?? null;
    if (!passes(index, found !== null)) continue;
    if (found === null) continue;
    const price = catalog.price[index] ?? NO_PRICE;
    const item = {
      index,
      score,
      source: "item" as const,
      evidence: found,
      value: objectiveValue(rules.objective, score, price),
    };
    if (isSecondHandPair(catalog, evidence, found.anchor, index)) secondHand.push(item);
    else passing.push(item);
  }
  if (rules.objective === "revenue") {
    for (const list of [passing, secondHand]) list.sort((a, b) => b.value - a.value || a.index - b.index);
  }

  const cap = new DiversityCap(catalog, rules.maxPerCategory);
  const items: CrossSell[] = [];
  const chosen = new Set<number>();
  const take = (list: readonly CrossSell[]) => {
    for (const item of list) {
      if (items.length >= input.limit) return;
      if (chosen.has(item.index)) continue;
      if (!cap.admit(item.index)) {
        tally.add("diversity");
        continue;
      }
      chosen.add(item.index);
      items.push({ index: item.index, score: item.score, source: item.source, evidence: item.evidence });
    }
  };
  take(passing);
  for (const level of input.fallback ?? []) {
    if (items.length >= input.limit) break;
    // The graph walk is the level for catalogs without categories: where the category level exists,
    // its two-step walks land in the complements' other complements (none of 200 in a planted leaf
    // on bench:synth's 50k shop), not in the anchor's.
    if (level === "graph" && catalog.hasCategories) continue;
    const find = () =>
      level === "category"
        ? categoryCandidates(catalog, evidence, input.anchors, knobs)
        : graphCandidates(catalog, evidence, input.anchors, knobs);
    const memo = input.levelMemo;
    const key = memo ? `${level} ${knobs.minSupport} ${knobs.minLift} ${input.anchors.join(",")}` : "";
    const remembered = memo?.get(key);
    const candidates = remembered ?? find();
    if (memo && remembered === undefined) memo.set(key, candidates);
    take(levelPassing(input, level, candidates, passes, chosen));
  }
  if ((input.secondHand ?? rules.secondHand) === "last") take(secondHand);
  const hasEvidence = input.anchors.some((a) => evidence.hasNeighbours(a)) || items.length > 0;
  return { items, reasons: shortfall(items.length, input.limit, hasEvidence, tally) };
}

/** What the cross-sell rules judge a candidate against: the anchors (or cart lines) and what is owned. */
export interface RuleScope {
  catalog: Catalog;
  anchors: readonly number[];
  exclude: ReadonlySet<number>;
  rules: CrossSellRules;
}

/**
 * Every rule in a fixed order (exclusions, availability, relevance, complement-not-substitute, price
 * anchor): the first one a candidate breaks, or null. Relevance is the caller's to judge, since each
 * level has its own evidence; so is the price it is anchored to (the anchor's, a cart line's), or null
 * where the price anchor does not apply or the caller prices it itself (a cart's item pairs, per line).
 */
export function ruleCheck(
  scope: RuleScope,
): (index: number, relevant: boolean, anchorPriceMinor: number | null) => Reason | null {
  const { catalog, rules } = scope;
  const anchors = new Set(scope.anchors);
  return (index, relevant, anchorPriceMinor) => {
    if (anchors.has(index) || scope.exclude.has(index)) return "excluded";
    if (!isAvailable(catalog, index)) return "unavailable";
    if (!relevant) return "relevance";
    if (isSubstitute(catalog, scope.anchors, index, rules)) return "substitute";
    if (anchorPriceMinor === null) return null;
    const price = catalog.price[index] ?? NO_PRICE;
    if (price === NO_PRICE) return "no_price";
    return withinPriceAnchor(price, anchorPriceMinor, rules.priceRatio) ? null : "price_anchor";
  };
}

/** Counts the reason a candidate is dropped; true when it passes. */
function passesAll(tally: ReasonTally, reason: Reason | null): boolean {
  if (reason === null) return true;
  tally.add(reason);
  return false;
}

/** A fallback level's candidates that pass the rules, ranked by the objective within the level. */
function levelPassing(
  input: CrossSellInput,
  level: FallbackLevel,
  candidates: readonly LevelCandidate[],
  passes: (index: number, relevant: boolean) => boolean,
  chosen: ReadonlySet<number>,
): CrossSell[] {
  const { catalog, rules } = input;
  const kept: (CrossSell & { value: number })[] = [];
  const seen = new Set<number>();
  for (const { index, score, evidence } of candidates) {
    if (chosen.has(index) || seen.has(index)) continue;
    seen.add(index);
    if (!passes(index, true)) continue;
    const value = objectiveValue(rules.objective, score, catalog.price[index] ?? NO_PRICE);
    kept.push({ index, score, source: level, evidence, value });
  }
  // Category candidates come round by round over the partner categories; only revenue reorders them.
  if (rules.objective === "revenue") kept.sort((a, b) => b.value - a.value || a.index - b.index);
  return kept;
}

/** Reasons for a short list; "no_evidence" when nothing was even a candidate. */
export function shortfall(found: number, limit: number, hasEvidence: boolean, tally: ReasonTally): Reason[] {
  if (found >= limit) return [];
  const reasons = tally.list();
  return hasEvidence && reasons.length > 0 ? reasons : [...reasons, "no_evidence"];
}
