import type { Baskets } from "../ingest/orders.js";
import { countCoPurchases, type CoPurchase } from "../learn/coPurchase.js";
import { fitEase, type EaseWeights } from "../learn/ease.js";
import type { Progress, Reporter } from "../progress.js";
import { leaveOneOutRows } from "./leaveOneOut.js";
import { hitAt } from "./metrics.js";
import { ease } from "./scorers.js";
import { SparseRanker } from "./sparseRank.js";
import type { Split } from "./split.js";

/** The baseline is the published EASE: every basket counts 1, without sidecart's basket-size weights. */
function plainCounts({ weighted: _weighted, itemWeight: _itemWeight, ...co }: CoPurchase): CoPurchase {
  return co;
}

export const LAMBDA_GRID = [5, 20, 100, 500];

/**
 * The EASE baseline's λ, chosen on the tail of the training window: fit on the first 90% of the
 * training time span, pick the λ with the best basket HR@10 on the last 10% (at most 3,000
 * held-out items), then refit on all training baskets with it.
 */
export function tunedEase(
  baskets: Baskets,
  split: Split,
  cutMs: number,
  maxBasket: number,
  reporter: Reporter,
): { fit: EaseWeights; lambda: number; validation: Record<number, number> } {
  const times = Array.from(baskets.times).filter((t) => t < cutMs);
  const from = Math.min(...times);
  const tailCut = from + 0.9 * (cutMs - from);
  const early = (b: number) => split.isTrain(b) && (baskets.times[b] ?? 0) < tailCut;
  const co = plainCounts(countCoPurchases(baskets, { maxBasket, include: early }));
  const known = new Set(Array.from(co.itemBaskets.keys()).filter((i) => (co.itemBaskets[i] ?? 0) > 0));
  // Held-out queries come a whole basket at a time (every item held out once), as in the basket task.
  const held: number[][] = [];
  let queries = 0;
  for (let b = 0; b + 1 < baskets.offsets.length && queries < 3000; b++) {
    const t = baskets.times[b] ?? Number.NaN;
    if (!(t >= tailCut && t < cutMs)) continue;
    const items = Array.from(baskets.items.subarray(baskets.offsets[b], baskets.offsets[b + 1])).filter((i) =>
      known.has(i),
    );
    if (items.length < 2) continue;
    held.push(items);
    queries += items.length;
  }
  const items = Int32Array.from(known);
  const validation: Record<number, number> = {};
  // A bar per fit, in percent of its inversion (the ETA is the inversion's; the validation after it is short).
  const percent = (step: Progress) => (share: number) => step.update(Math.round(share * 100));
  for (const lambda of LAMBDA_GRID) {
    const step = reporter.step(`EASE λ = ${lambda} (tail)`, 100, "%");
    validation[lambda] = validationHitRate(co, items, lambda, held, baskets.skus.length, percent(step));
    step.done(`validation HR@10 ${validation[lambda]?.toFixed(4)} on ${queries} queries`);
  }
  const lambda = LAMBDA_GRID.reduce((best, l) => ((validation[l] ?? 0) > (validation[best] ?? 0) ? l : best));
  const step = reporter.step(`EASE λ = ${lambda} (full)`, 100, "%");
  const full = plainCounts(countCoPurchases(baskets, { maxBasket, include: split.isTrain }));
  const fit = fitEase(full, Int32Array.from(split.trainItems), { lambda, dropout: 0 }, percent(step));
  step.done(`${split.trainItems.size} items`);
  return { fit, lambda, validation };
}

function validationHitRate(
  co: CoPurchase,
  items: Int32Array,
  lambda: number,
  held: readonly (readonly number[])[],
  itemCount: number,
  progress: (share: number) => void,
): number {
  const scorer = ease("ease", fitEase(co, items, { lambda, dropout: 0 }, progress), itemCount);
  if (!scorer.additive) throw new Error("the EASE scorer has additive rows");
  // No unknown filter here (every item may rank): items outside the fit already score -Infinity.
  const ranker = new SparseRanker(new Uint8Array(itemCount).fill(1));
  // A basket's B − h queries share their rows (leaveOneOut.ts), bit-identical to summing each afresh.
  const rows = leaveOneOutRows(scorer.additive, itemCount);
  let hits = 0;
  let queries = 0;
  for (const basket of held) {
    rows(basket, (h, row) => {
      hits += hitAt(ranker.rank(row, h, basket), 10);
      queries++;
    });
  }
  return queries === 0 ? 0 : hits / queries;
}
