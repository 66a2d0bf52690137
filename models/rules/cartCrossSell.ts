import { NO_PRICE, type Catalog } from "../catalog.js";
import type { CrossSellRules } from "../config/rulesConfig.js";
import type { Evidence, PairEvidence } from "../evidence.js";
import { rankCandidates, ruleCheck, shortfall, type ScoredCandidates, type Selection } from "./crossSell.js";
import { DiversityCap } from "./diversity.js";
import { objectiveValue } from "./objective.js";
import { withinPriceAnchor } from "./priceAnchor.js";
import { ReasonTally, type Reason } from "./reasons.js";
import { isRelevantPair, strongerEvidence, type AnchoredEvidence, type RelevanceKnobs } from "./relevance.js";
import { isSecondHandPair } from "./secondHand.js";
import { categoryCandidates, type LevelEvidence } from "./fallbackLevels.js";

/** A cart line as the rules see it: the product and what the customer pays for one. */
export interface PricedLine {
  index: number;
  /** The line's unit price in minor units (NO_PRICE when unknown: such a line carries no add-on). */
  unitPriceMinor: number;
}

export interface CartCrossSellInput {
  catalog: Catalog;
  evidence: Evidence;
  /** The lines the candidates were scored for, most valuable first (earlier lines win evidence ties). */
  lines: readonly PricedLine[];
  /** Never suggested: every cart line (scored or not) and what the customer owns. */
  exclude: ReadonlySet<number>;
  /** The graph's candidates for the whole basket (one run per request), or every item in a reference. */
  candidates: ScoredCandidates;
  rules: CrossSellRules;
  limit: number;
}

/**
 * A cart add-on, explained by the line it complements (`evidence.anchor`): an item pair of that line,
 * or (source "category", when the rules' fallback has it) the line's category and its own.
 */
export interface CartCrossSell {
  index: number;
  score: number;
  source: "item" | "category";
  evidence: LevelEvidence;
}

/** A line's relevant pair with a candidate, and the line's unit price. */
interface LineEvidence {
  line: PricedLine;
  pair: PairEvidence;
}

/**
 * Every relevant pair of every line, by candidate: one pass over the lines' neighbour lists (B·K
 * pairs), the lines' own order kept, so each candidate can go to the best line that passes the rules.
 */
function evidenceByCandidate(
  evidence: Evidence,
  lines: readonly PricedLine[],
  knobs: RelevanceKnobs,
): Map<number, LineEvidence[]> {
  const byCandidate = new Map<number, LineEvidence[]>();
  for (const line of lines) {
    for (let slot = evidence.rowBegin(line.index); slot < evidence.rowEnd(line.index); slot++) {
      const pair = evidence.pairAt(line.index, slot);
      if (!isRelevantPair(pair, knobs)) continue;
      const candidate = evidence.neighbourAt(slot);
      const list = byCandidate.get(candidate);
      if (list) list.push({ line, pair });
      else byCandidate.set(candidate, [{ line, pair }]);
    }
  }
  return byCandidate;
}

/**
 * The line a candidate belongs to: of the lines it has relevant evidence with, the one with the
 * strongest evidence under whose unit price it falls (price ≤ ratio × that line's unit price), or
 * the reason none qualifies. An add-on is cheap next to the product it goes with, not next to a cart
 * total that a television makes large for a cable bought with the phone case. A line whose pair with
 * the candidate is second-hand (isSecondHandPair) is named only when no direct line qualifies, and
 * then the suggestion is marked so it comes after the direct ones: with a phone and its case in the
 * cart, a screen protector belongs to the phone.
 */
function attribute(
  found: readonly LineEvidence[],
  priceMinor: number,
  ratio: number,
  secondHand: (line: number) => boolean,
): { evidence: AnchoredEvidence; secondHand: boolean } | { reason: Reason } {
  if (priceMinor === NO_PRICE) return { reason: "no_price" };
  let best: LineEvidence | null = null;
  let bestSecondHand = true;
  for (const candidate of found) {
    if (!withinPriceAnchor(priceMinor, candidate.line.unitPriceMinor, ratio)) continue;
    const indirect = secondHand(candidate.line.index);
    if (best !== null && indirect && !bestSecondHand) continue;
    if (best === null || (bestSecondHand && !indirect) || strongerEvidence(candidate.pair, best.pair)) {
      best = candidate;
      bestSecondHand = indirect;
    }
  }
  return best === null
    ? { reason: "price_anchor" }
    : { evidence: { ...best.pair, anchor: best.line.index }, secondHand: bestSecondHand };
}

/** Without the category level no pair is second-hand (one function, not one per candidate). */
const neverSecondHand = () => false;

/**
 * The category level for a cart: each line's complementary categories (the most valuable line first
 * claims a category), filled as for also-bought, every rule applied with the line the category pair
 * is about: a cheap add-on for that line, never a cart line, an owned product or a substitute. No
 * second-hand pairs: the category level only lists direct ones.
 */
function categoryLevel(
  input: CartCrossSellInput,
  knobs: RelevanceKnobs,
  check: ReturnType<typeof ruleCheck>,
  taken: ReadonlySet<number>,
): (CartCrossSell & { value: number })[] {
  const { catalog, evidence, rules } = input;
  if (!evidence.hasCategoryLevel) return [];
  const anchors = input.lines.map((l) => l.index);
  const unitPrice = new Map(input.lines.map((l) => [l.index, l.unitPriceMinor]));
  const seen = new Set<number>(taken);
  const out: (CartCrossSell & { value: number })[] = [];
  for (const { index, score, evidence: pair } of categoryCandidates(catalog, evidence, anchors, knobs)) {
    if (seen.has(index)) continue;
    seen.add(index);
    if (check(index, true, unitPrice.get(pair.anchor) ?? NO_PRICE) !== null) continue;
    const price = catalog.price[index] ?? NO_PRICE;
    out.push({
      index,
      score,
      source: "category",
      evidence: pair,
      value: objectiveValue(rules.objective, score, price),
    });
  }
  if (rules.objective === "revenue") out.sort((a, b) => b.value - a.value || a.index - b.index);
  return out;
}

/**
 * Cart cross-sells: the cross-sell rules in the same order as selectCrossSells
 * (exclusions, availability, relevance and privacy floor, complement-not-substitute, price anchor),
 * with relevance and price judged per line: every suggestion names the line it complements and
 * carries that pair's evidence. Then the objective and the diversity cap while taking the best
 * `limit`. Item pairs first; where the rules' fallback has the category level, the lines'
 * complementary categories fill a short list (a claim about a line's category, still per line).
 */
export function selectCartCrossSells(input: CartCrossSellInput): Selection<CartCrossSell> {
  const { catalog, evidence, rules } = input;
  const knobs = { minSupport: Math.max(rules.minSupport, evidence.minSupport), minLift: rules.minLift };
  const anchors = input.lines.map((l) => l.index);
  const tally = new ReasonTally();
  const evidenceOf = evidenceByCandidate(evidence, input.lines, knobs);
  // Priced per line below, by attribute(). A variant of any scored line is a substitute in this cart,
  // whichever line it would be credited to.
  const check = ruleCheck({ catalog, anchors, exclude: input.exclude, rules });
  const passing: (CartCrossSell & { value: number })[] = [];
  const secondHand: (CartCrossSell & { value: number })[] = [];
  for (const { index, score } of rankCandidates(input.candidates)) {
    const found = evidenceOf.get(index);
    const broken = check(index, found !== undefined, null);
    if (broken !== null) {
      tally.add(broken);
      continue;
    }
    if (found === undefined) continue; // ruleCheck said "relevance" already
    const price = catalog.price[index] ?? NO_PRICE;
    const attributed = attribute(
      found,
      price,
      rules.priceRatio,
      evidence.hasCategoryLevel ? (line) => isSecondHandPair(catalog, evidence, line, index) : neverSecondHand,
    );
    if ("reason" in attributed) {
      tally.add(attributed.reason);
      continue;
    }
    const value = objectiveValue(rules.objective, score, price);
    (attributed.secondHand ? secondHand : passing).push({
      index,
      score,
      source: "item",
      evidence: attributed.evidence,
      value,
    });
  }
  if (rules.objective === "revenue") {
    for (const list of [passing, secondHand]) list.sort((a, b) => b.value - a.value || a.index - b.index);
  }

  const cap = new DiversityCap(catalog, rules.maxPerCategory);
  const items: CartCrossSell[] = [];
  const ranked = [...passing, ...(rules.secondHand === "last" ? secondHand : [])];
  if (rules.fallback.includes("category"))
    ranked.push(...categoryLevel(input, knobs, check, new Set(ranked.map((r) => r.index))));
  for (const { value: _value, ...item } of ranked) {
    if (items.length >= input.limit) break;
    if (cap.admit(item.index)) items.push(item);
    else tally.add("diversity");
  }
  const hasEvidence = anchors.some((a) => evidence.hasNeighbours(a));
  return { items, reasons: shortfall(items.length, input.limit, hasEvidence, tally) };
}
