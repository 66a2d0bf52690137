import { binomialUpperTail, PValueTally, type PValueCounts } from "../../models/rules/significance.js";
import type { CoPurchase } from "./coPurchase.js";

/**
 * How the item level's p-values fell: every directed pair past the trainer's floor is one test (the
 * answer side tests a pair from the anchor's side: the partner's share of the anchor's baskets against
 * its share of all baskets, as models/rules/relevance.ts does). Pairs at or under chance (lift ≤ 1,
 * p ≥ ~0.5) count with p = 1: no threshold could reach them, and they are most pairs. Pairs under the
 * floor are not tests, as they can never be shown: most pairs are seen once, and counting them made
 * every answer of a 33,000-basket grocery slice empty. That choice is laxer than BH over every pair
 * seen together (which pairs pass the floor depends on their own counts); docs/design.md says so.
 */
export function itemPairSignificance(co: CoPurchase, totalBaskets: number, minSupport: number): PValueCounts {
  const tally = new PValueTally();
  const total = Math.max(totalBaskets, 1);
  for (let i = 0; i < co.itemCount; i++) {
    const baskets = co.itemBaskets[i] ?? 0;
    const end = co.rowStart[i + 1] ?? 0;
    for (let p = co.rowStart[i] ?? 0; p < end; p++) {
      const count = co.counts[p] ?? 0;
      const base = (co.itemBaskets[co.cols[p] ?? 0] ?? 0) / total;
      if (count < minSupport) continue;
      if (count <= baskets * base) tally.add(1);
      else tally.add(binomialUpperTail(count, baskets, Math.min(1, base)));
    }
  }
  return tally.counts();
}
