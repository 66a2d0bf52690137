import { NO_PRICE } from "../catalog.js";
import type { BundleRules } from "../config/rulesConfig.js";
import { isSubstitute } from "./complement.js";
import { selectCrossSells, type CrossSellInput, type Selection } from "./crossSell.js";
import { isRelevantPair } from "./relevance.js";
import type { PairEvidence } from "../evidence.js";

export interface BundlePair extends PairEvidence {
  items: [number, number];
}

export interface Bundle {
  /** The anchor first, then its complements. */
  items: number[];
  /** Sum of the prices in minor units, or null when any price is unknown. */
  totalMinor: number | null;
  /** Evidence for every pair in the bundle. */
  pairs: BundlePair[];
}

/**
 * Frequently bought together: the anchor plus up to two complements that pass the cross-sell rules
 * with the anchor and, for two, are also a relevant pair with each other (and not variants of one
 * another). The pair with the highest summed confidence wins; without one, the best single complement.
 */
export function selectBundle(
  input: Omit<CrossSellInput, "limit" | "applyPriceAnchor">,
  rules: BundleRules,
): Selection<Bundle> {
  const { catalog, evidence } = input;
  const anchor = input.anchors[0];
  if (anchor === undefined) return { items: [], reasons: ["no_evidence"] };
  const pool = selectCrossSells({
    ...input,
    limit: rules.pairPool,
    applyPriceAnchor: rules.applyPriceAnchor,
    rules: { ...input.rules, maxPerCategory: rules.pairPool },
  });
  const first = pool.items[0];
  if (first === undefined) return { items: [], reasons: pool.reasons };
  const knobs = { minSupport: Math.max(input.rules.minSupport, evidence.minSupport), minLift: input.rules.minLift };
  const withAnchor = (item: (typeof pool.items)[number]): BundlePair => ({
    items: [anchor, item.index],
    support: item.evidence.support,
    confidence: item.evidence.confidence,
    lift: item.evidence.lift,
  });

  let best: { value: number; pair: [number, number]; between: PairEvidence } | null = null;
  if (rules.maxComplements >= 2) {
    for (let i = 0; i < pool.items.length; i++) {
      for (let j = i + 1; j < pool.items.length; j++) {
        const a = pool.items[i];
        const b = pool.items[j];
        if (!a || !b) continue;
        const between = evidence.pair(a.index, b.index);
        if (!isRelevantPair(between, knobs) || isSubstitute(catalog, [a.index], b.index, input.rules)) continue;
        const value = a.evidence.confidence + b.evidence.confidence + between.confidence;
        if (best === null || value > best.value) best = { value, pair: [i, j], between };
      }
    }
  }
  const chosen = best ? best.pair.map((i) => pool.items[i]).filter((c) => c !== undefined) : [first];
  const items = [anchor, ...chosen.map((c) => c.index)];
  const prices = items.map((i) => catalog.price[i] ?? NO_PRICE);
  const pairs = chosen.map(withAnchor);
  const [a, b] = chosen;
  if (best && a && b) pairs.push({ items: [a.index, b.index], ...best.between });
  return {
    items: [{ items, pairs, totalMinor: prices.includes(NO_PRICE) ? null : prices.reduce((s, p) => s + p, 0) }],
    reasons: best || rules.maxComplements < 2 ? [] : ["no_pair"],
  };
}
