import { NO_PRICE } from "../catalog.js";
import type { BundleRules } from "../config/rulesConfig.js";
import { isSubstitute } from "./complement.js";
import { selectCrossSells, type CrossSellInput } from "./crossSell.js";
import { isRelevantPair, relevanceKnobs } from "./relevance.js";
import type { Selection } from "./selection.js";
import type { PairEvidence } from "../evidence.js";

export interface BundlePair extends PairEvidence {
  items: [number, number];
}

export interface Bundle {
  /** The anchor first, then its complements, the one bought with the anchor most often first. */
  items: number[];
  /** Sum of the prices in minor units, or null when any price is unknown. */
  totalMinor: number | null;
  /** Evidence for every pair in the bundle: each add-on with the anchor first, then the add-ons' own pair. */
  pairs: BundlePair[];
}

/** An add-on that passed the cross-sell rules with the anchor, and its evidence about the anchor. */
interface AddOn {
  index: number;
  withAnchor: PairEvidence;
}

/** A candidate set's add-ons (one or two) and, for two, their evidence with each other. */
interface Option {
  addOns: AddOn[];
  between: PairEvidence | null;
}

/**
 * More of the anchor's baskets first, then the catalog order. Every pair here shares the anchor, so
 * support orders them as confidence (support ÷ the anchor's baskets) does, in exact integers.
 */
const byAnchorEvidence = (a: AddOn, b: AddOn) => b.withAnchor.support - a.withAnchor.support || a.index - b.index;

/** The set's evidence with the anchor: anchor baskets holding each add-on, summed (confidence × anchor baskets). */
const anchorStrength = (option: Option) => option.addOns.reduce((sum, a) => sum + a.withAnchor.support, 0);

/**
 * Whether `a` makes the better bundle: the stronger evidence with the anchor first; the add-ons'
 * evidence with each other (support) only breaks a tie. Ranking the other way round, or adding the
 * two, let two add-ons bought with each other in 73 baskets but with the anchor in 7 beat the anchor's
 * real complements (issue 18): a bundle is the anchor's set, not the add-ons'.
 */
function better(a: Option, b: Option | null): boolean {
  if (b === null) return true;
  const strength = anchorStrength(a) - anchorStrength(b);
  if (strength !== 0) return strength > 0;
  // A full tie keeps the set found first, the one earlier in the anchor's order.
  return (a.between?.support ?? 0) > (b.between?.support ?? 0);
}

/**
 * Frequently bought together: the anchor plus up to two of its complements. Each add-on passes the
 * cross-sell rules with the anchor, with the bundle's own price anchor (bundle.priceRatio × the
 * anchor's price, on by default), and is one of the anchor's `pairPool` strongest complements by
 * evidence with the anchor. Two add-ons must also be a relevant pair with each other and not variants
 * of one another. Of the single add-ons and the pairs, the set with the most evidence with the anchor
 * wins (see `better`), so a pair must add to the best single complement, not replace it.
 */
export function selectBundle(
  input: Omit<CrossSellInput, "limit" | "applyPriceAnchor">,
  rules: BundleRules,
): Selection<Bundle> {
  const { catalog, evidence } = input;
  const anchor = input.anchors[0]?.index;
  if (anchor === undefined) return { items: [], reasons: ["no_evidence"] };
  const everything = Math.max(1, input.candidates.items.length);
  // Every complement that passes the rules (the candidates are the anchor's neighbour list, or the
  // whole catalog in the reference: the same set passes), ranked by its evidence with the anchor, not
  // by the model's score: a bundle claims "bought together with this".
  const complements = selectCrossSells({
    ...input,
    limit: everything,
    applyPriceAnchor: rules.applyPriceAnchor,
    indirectPairs: "drop",
    rules: { ...input.rules, priceRatio: rules.priceRatio, maxPerCategory: everything },
  });
  const pool: AddOn[] = complements.items
    .map((c) => ({ index: c.index, withAnchor: pairOnly(c.evidence) }))
    .sort(byAnchorEvidence)
    .slice(0, rules.pairPool);
  const first = pool[0];
  if (first === undefined) return { items: [], reasons: complements.reasons };

  const knobs = relevanceKnobs(input.rules, evidence);
  let best: Option = { addOns: [first], between: null };
  let paired = false;
  if (rules.maxComplements >= 2) {
    for (let i = 0; i < pool.length; i++) {
      for (let j = i + 1; j < pool.length; j++) {
        const a = pool[i];
        const b = pool[j];
        if (!a || !b) continue;
        const between = evidence.pair(a.index, b.index);
        if (!isRelevantPair(between, knobs) || isSubstitute(catalog, [a.index], b.index, input.rules)) continue;
        const option = { addOns: [a, b], between: pairOnly(between) };
        if (better(option, best)) {
          best = option;
          paired = true;
        }
      }
    }
  }
  const items = [anchor, ...best.addOns.map((a) => a.index)];
  const prices = items.map((i) => catalog.price[i] ?? NO_PRICE);
  const pairs: BundlePair[] = best.addOns.map((a) => ({ items: [anchor, a.index], ...a.withAnchor }));
  const [a, b] = best.addOns;
  if (best.between && a && b) pairs.push({ items: [a.index, b.index], ...best.between });
  return {
    items: [{ items, pairs, totalMinor: prices.includes(NO_PRICE) ? null : prices.reduce((s, p) => s + p, 0) }],
    reasons: paired || rules.maxComplements < 2 ? [] : ["no_pair"],
  };
}

/** The pair's numbers alone (the cross-sell evidence also names its anchor and level). */
function pairOnly({ support, confidence, lift }: PairEvidence): PairEvidence {
  return { support, confidence, lift };
}
