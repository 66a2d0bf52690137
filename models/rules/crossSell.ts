import { NO_GROUP, NO_PRICE, type CatalogView } from "../catalog.js";
import type { CrossSellRules } from "../config/rulesConfig.js";
import type { EvidenceView } from "../evidence.js";
import { pValueAtMost } from "./significance.js";
import { isAvailable } from "./availability.js";
import { isSubstitute } from "./complement.js";
import { DiversityCap } from "./diversity.js";
import { keepsOrder, orderByObjective, objectiveValue } from "./objective.js";
import { withinPriceAnchor } from "./priceAnchor.js";
import { ReasonTally, type Reason } from "./reasons.js";
import { shortfall, type Selection } from "./selection.js";
import {
  categoryCandidates,
  graphCandidates,
  type FallbackLevel,
  type LevelCandidate,
  type LevelEvidence,
  type Source,
} from "./fallbackLevels.js";
import { isRelevantPair, relevanceKnobs, type RelevanceKnobs } from "./relevance.js";
import { pairAnchor, type AnchorPair } from "./anchorPairs.js";
import { isIndirectPair, type IndirectPairs } from "./indirectPairs.js";

export interface ScoredCandidates {
  items: ArrayLike<number>;
  scores: ArrayLike<number>;
}

/**
 * An anchor of a cross-sell question: a product page's product (priced at its catalog price) or a
 * cart line (at the unit price the shopper pays). Its add-ons are priced against `priceMinor`.
 */
export interface Anchor {
  index: number;
  /** Minor units; NO_PRICE when unknown (then no add-on qualifies for it). */
  priceMinor: number;
}

export interface CrossSellInput {
  catalog: CatalogView;
  evidence: EvidenceView;
  /**
   * The product, or the cart lines the candidates were scored for, most valuable first: a candidate
   * goes to the anchor with the strongest evidence it qualifies for, the earlier one on a tie. Never
   * suggested.
   */
  anchors: readonly Anchor[];
  /** Items the customer already has or owns (a cart's unscored lines too). */
  exclude: ReadonlySet<number>;
  /** Scored candidates, in any order (from the model, or every catalog item in a reference). */
  candidates: ScoredCandidates;
  rules: CrossSellRules;
  limit: number;
  /** Bundles may switch the price anchor off. */
  applyPriceAnchor?: boolean;
  /** Levels that fill a list the anchors' own co-purchase pairs leave short, in order. None by default. */
  fallback?: readonly FallbackLevel[];
  /**
   * A level's candidates depend only on the anchors and the relevance knobs, not on the price anchor
   * or the other rules: a caller that serves the same anchors many times over one catalog and evidence
   * (the eval's sweeps) may keep them here. The worker answers one request at a time and passes none.
   */
  levelMemo?: Map<string, readonly LevelCandidate[]>;
  /** Item pairs bought together only through a third category: the rules' `indirectPairs` unless given. */
  indirectPairs?: IndirectPairs;
  /**
   * Carts: a product of an anchor's own product type (catalogs without categories, where the types
   * are learned from titles) only on strong evidence of its own (STRONG_PAIR_SHARE of the level's
   * p-value threshold): a cart with cake cases wants the stand, not a fifth pack of cases.
   */
  ownTypeNeedsStrongPair?: boolean;
}

/** A same-type cart suggestion's pair must beat chance this much more surely than the level asks. */
export const STRONG_PAIR_SHARE = 0.01;

/** A suggestion; `evidence.anchor` names the anchor (cart line) it complements. */
export interface CrossSell {
  index: number;
  score: number;
  /** The level the suggestion and its evidence come from. */
  source: Source;
  evidence: LevelEvidence;
}

const byRank = (a: { index: number; score: number }, b: { index: number; score: number }) =>
  b.score - a.score || a.index - b.index;

/** Candidates best first, ties by catalog index, each item once. */
export function rankCandidates(candidates: ScoredCandidates): { index: number; score: number }[] {
  const seen = new Set<number>();
  const ranked: { index: number; score: number }[] = [];
  let inOrder = true;
  for (let i = 0; i < candidates.items.length; i++) {
    const index = candidates.items[i] ?? -1;
    const score = candidates.scores[i] ?? Number.NEGATIVE_INFINITY;
    if (index < 0 || seen.has(index) || !Number.isFinite(score)) continue;
    seen.add(index);
    const item = { index, score };
    const last = ranked[ranked.length - 1];
    if (last !== undefined && byRank(last, item) > 0) inOrder = false;
    ranked.push(item);
  }
  // The graph's TopK answers best first already; only ties (by catalog index) may need moving.
  return inOrder ? ranked : ranked.sort(byRank);
}

/** A candidate that passed every rule, with its ranking value under the objective. */
type Passing = CrossSell & { value: number };

/**
 * Cross-sells: every cross-sell rule applied to scored candidates, in a fixed order (exclusions,
 * availability, relevance and privacy floor, complement-not-substitute, price anchor), each judged
 * against the anchor the candidate is credited to; then the objective and the diversity cap while
 * taking the best `limit`: the anchors' own item pairs, then each fallback level, then (when the
 * rules keep them) the indirect pairs, after everything direct. One anchor (a product page, a
 * bundle) or many (a cart, each add-on priced against its line) go through the same steps.
 */
export function selectCrossSells(input: CrossSellInput): Selection<CrossSell> {
  const { catalog, evidence, rules } = input;
  const knobs = relevanceKnobs(rules, evidence);
  const tally = new ReasonTally();
  const anchors = input.anchors.map((a) => a.index);
  const check = ruleCheck({ catalog, anchors, exclude: input.exclude, rules });
  const priceOf = new Map(input.anchors.map((a) => [a.index, a.priceMinor]));
  // The price an add-on credited to `anchor` must fit under, or null where the price anchor is off.
  const anchorPrice = (anchor: number) => (input.applyPriceAnchor === false ? null : (priceOf.get(anchor) ?? NO_PRICE));
  const pairsOf = anchorPairs(evidence, input.anchors, knobs);
  const cap = new DiversityCap(catalog, rules.maxPerCategory);
  const items: CrossSell[] = [];
  const chosen = new Set<number>();
  const full = () => items.length >= input.limit;
  const takeOne = (item: CrossSell) => {
    if (chosen.has(item.index)) return;
    if (!cap.admit(item.index)) {
      tally.add("diversity");
      return;
    }
    chosen.add(item.index);
    items.push(item);
  };
  const take = (list: readonly Passing[]) => {
    for (const { value: _value, ...item } of list) {
      if (full()) return;
      takeOne(item);
    }
  };
  const valued = (item: CrossSell): Passing => ({
    ...item,
    value: objectiveValue(rules.objective, item.score, catalog.price[item.index] ?? NO_PRICE),
  });
  // Where the objective keeps each list's own order, a candidate is taken as soon as it passes, and
  // once the list is full the rest need no checking (a full list reports no reasons): a cart's
  // category level may offer thousands of products for the few places left. Otherwise the list is
  // ranked first (take(orderByObjective(…))).
  const inOrder = keepsOrder(rules.objective);
  const offer = (list: Passing[], item: CrossSell): void => {
    if (inOrder) takeOne(item);
    else list.push(valued(item));
  };
  const direct: Passing[] = [];
  const indirect: Passing[] = [];
  for (const { index, score } of rankCandidates(input.candidates)) {
    if (inOrder && full()) break;
    const pairs = pairsOf.get(index);
    const broken = check(index, pairs !== undefined, null);
    if (broken !== null) {
      tally.add(broken);
      continue;
    }
    if (pairs === undefined) continue; // ruleCheck said "relevance" already
    const credited = pairAnchor(
      pairs,
      (anchor) => priceCheck(catalog, index, anchorPrice(anchor), rules),
      (anchor) => isIndirectPair(catalog, evidence, anchor, index),
    );
    if ("reason" in credited) {
      tally.add(credited.reason);
      continue;
    }
    if (input.ownTypeNeedsStrongPair === true && weakSameType(catalog, anchors, index, pairs, knobs)) {
      tally.add("substitute");
      continue;
    }
    const item: CrossSell = { index, score, source: "item", evidence: credited.evidence };
    // Indirect pairs wait for the end, after everything direct.
    if (credited.indirect) indirect.push(valued(item));
    else offer(direct, item);
  }
  take(orderByObjective(rules.objective, direct));
  for (const level of input.fallback ?? []) {
    if (full()) break;
    // The graph walk is the level for catalogs without categories: where the category level exists,
    // its two-step walks land in the complements' other complements (none of 200 in a planted leaf
    // on bench:synth's 50k shop), not in the anchor's.
    if (level === "graph" && catalog.hasCategories) continue;
    const candidates = levelCandidates(input, level, knobs, anchors);
    const passing: Passing[] = [];
    const seen = new Set<number>();
    for (const { index, score, evidence: found } of candidates) {
      if (inOrder && full()) break;
      if (chosen.has(index) || seen.has(index)) continue;
      seen.add(index);
      const broken = check(index, true, anchorPrice(found.anchor));
      if (broken !== null) {
        tally.add(broken);
        continue;
      }
      offer(passing, { index, score, source: level, evidence: found });
    }
    // Category candidates come round by round over the partner categories; only revenue reorders them.
    take(orderByObjective(rules.objective, passing));
  }
  if ((input.indirectPairs ?? rules.indirectPairs) === "last") take(orderByObjective(rules.objective, indirect));
  const hasEvidence = anchors.some((a) => evidence.hasNeighbours(a)) || items.length > 0;
  return { items, reasons: shortfall(items.length, input.limit, hasEvidence, tally) };
}

/**
 * Whether a candidate shares a cart line's learned product type without strong evidence of their own
 * pair: each line of its type must have been bought with it, STRONG_PAIR_SHARE more surely than the
 * level asks (a pair with another line vouches for the add-on, not for a second one of a kind).
 */
function weakSameType(
  catalog: CatalogView,
  anchors: readonly number[],
  candidate: number,
  pairs: readonly AnchorPair[],
  knobs: RelevanceKnobs,
): boolean {
  const types = catalog.hasCategories ? null : catalog.typeId;
  const type = types?.[candidate] ?? NO_GROUP;
  if (types === null || type === NO_GROUP) return false;
  return anchors.some((line) => {
    if (types[line] !== type) return false;
    const own = pairs.find((p) => p.anchor === line);
    return own === undefined || !pValueAtMost(own.pair, knobs.pairPValue * STRONG_PAIR_SHARE);
  });
}

/** A fallback level's candidates for the anchors, from the memo when the caller keeps one. */
function levelCandidates(
  input: CrossSellInput,
  level: FallbackLevel,
  knobs: RelevanceKnobs,
  anchors: readonly number[],
): Iterable<LevelCandidate> {
  const { catalog, evidence, levelMemo: memo } = input;
  const find = () =>
    level === "category"
      ? categoryCandidates(catalog, evidence, anchors, knobs)
      : graphCandidates(catalog, evidence, anchors, knobs);
  if (memo === undefined) return find();
  // Every knob the levels read is in the key: a sweep serves the same anchors under each value.
  const key = `${level} ${knobs.minSupport} ${knobs.minWorth} ${knobs.minLift} ${knobs.pairPValue} ${knobs.categoryPValue} ${anchors.join(",")}`;
  const remembered = memo.get(key);
  if (remembered !== undefined) return remembered;
  const found = [...find()];
  memo.set(key, found);
  return found;
}

/**
 * Every relevant pair of every anchor, by candidate: one pass over the anchors' neighbour lists (B·K
 * pairs), the anchors' own order kept, so each candidate can go to the best anchor that passes.
 */
function anchorPairs(
  evidence: EvidenceView,
  anchors: readonly Anchor[],
  knobs: RelevanceKnobs,
): Map<number, AnchorPair[]> {
  const byCandidate = new Map<number, AnchorPair[]>();
  for (const { index: anchor } of anchors) {
    for (let slot = evidence.rowBegin(anchor), end = evidence.rowEnd(anchor); slot < end; slot++) {
      const pair = evidence.pairAt(anchor, slot);
      if (!isRelevantPair(pair, knobs)) continue;
      const candidate = evidence.neighbourAt(slot);
      const found = { anchor, pair };
      const list = byCandidate.get(candidate);
      if (list) list.push(found);
      else byCandidate.set(candidate, [found]);
    }
  }
  return byCandidate;
}

/** The price anchor for one candidate and one anchor price (null: off): the reason it fails, or null. */
function priceCheck(catalog: CatalogView, index: number, anchorPriceMinor: number | null, rules: CrossSellRules) {
  if (anchorPriceMinor === null) return null;
  const price = catalog.price[index] ?? NO_PRICE;
  if (price === NO_PRICE) return "no_price";
  return withinPriceAnchor(price, anchorPriceMinor, rules.priceRatio) ? null : "price_anchor";
}

/** What the cross-sell rules judge a candidate against: the anchors (or cart lines) and what is owned. */
export interface RuleScope {
  catalog: CatalogView;
  anchors: readonly number[];
  exclude: ReadonlySet<number>;
  rules: CrossSellRules;
}

/**
 * Every rule in a fixed order (exclusions, availability, relevance, complement-not-substitute, price
 * anchor): the first one a candidate breaks, or null. Relevance is the caller's to judge, since each
 * level has its own evidence; so is the price it is anchored to (the anchor's, a cart line's), or null
 * where the price anchor does not apply or the caller prices it itself (item pairs, per anchor).
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
    return priceCheck(catalog, index, anchorPriceMinor, rules);
  };
}
