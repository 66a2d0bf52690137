import { NO_PRICE, type Catalog } from "../catalog.js";
import type { CrossSellRules } from "../config/rulesConfig.js";
import type { Evidence } from "../evidence.js";
import { isAvailable } from "./availability.js";
import { isSubstitute } from "./complement.js";
import { DiversityCap } from "./diversity.js";
import { objectiveValue } from "./objective.js";
import { withinPriceAnchor } from "./priceAnchor.js";
import { ReasonTally, type Reason } from "./reasons.js";
import { bestEvidenceByCandidate, type AnchoredEvidence } from "./relevance.js";

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
}

export interface CrossSell {
  index: number;
  score: number;
  evidence: AnchoredEvidence;
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
 * Cross-sells: every rule of DESIGN §1 applied to scored candidates, in a fixed order (exclusions,
 * availability, relevance and privacy floor, complement-not-substitute, price anchor), then the
 * objective and the diversity cap while taking the best `limit`.
 */
export function selectCrossSells(input: CrossSellInput): Selection<CrossSell> {
  const { catalog, evidence, rules } = input;
  const knobs = { minSupport: Math.max(rules.minSupport, evidence.minSupport), minLift: rules.minLift };
  const anchors = new Set(input.anchors);
  const tally = new ReasonTally();
  const passing: (CrossSell & { value: number })[] = [];
  const ranked = rankCandidates(input.candidates);
  const evidenceOf = bestEvidenceByCandidate(evidence, input.anchors, knobs);
  for (const { index, score } of ranked) {
    if (anchors.has(index) || input.exclude.has(index)) {
      tally.add("excluded");
      continue;
    }
    if (!isAvailable(catalog, index)) {
      tally.add("unavailable");
      continue;
    }
    const found = evidenceOf.get(index) ?? null;
    if (found === null) {
      tally.add("relevance");
      continue;
    }
    if (isSubstitute(catalog, input.anchors, index, rules)) {
      tally.add("substitute");
      continue;
    }
    const price = catalog.price[index] ?? NO_PRICE;
    if (input.applyPriceAnchor !== false) {
      if (price === NO_PRICE) {
        tally.add("no_price");
        continue;
      }
      if (!withinPriceAnchor(price, input.anchorPriceMinor, rules.priceRatio)) {
        tally.add("price_anchor");
        continue;
      }
    }
    passing.push({ index, score, evidence: found, value: objectiveValue(rules.objective, score, price) });
  }
  if (rules.objective === "revenue") passing.sort((a, b) => b.value - a.value || a.index - b.index);

  const cap = new DiversityCap(catalog, rules.maxPerCategory);
  const items: CrossSell[] = [];
  for (const { value: _value, ...item } of passing) {
    if (items.length >= input.limit) break;
    if (cap.admit(item.index)) items.push(item);
    else tally.add("diversity");
  }
  const hasEvidence = input.anchors.some((a) => evidence.hasNeighbours(a));
  return { items, reasons: shortfall(items.length, input.limit, hasEvidence, tally) };
}

/** Reasons for a short list; "no_evidence" when nothing was even a candidate. */
export function shortfall(found: number, limit: number, hasEvidence: boolean, tally: ReasonTally): Reason[] {
  if (found >= limit) return [];
  const reasons = tally.list();
  return hasEvidence && reasons.length > 0 ? reasons : [...reasons, "no_evidence"];
}
