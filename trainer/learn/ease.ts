import type { CoPurchase } from "./coPurchase.js";
import { invertSpd } from "./spdInverse.js";

export interface EaseOptions {
  /** L2 regularisation λ. */
  lambda: number;
  /**
   * Extra per-item regularisation λ_i = λ + p/(1−p)·count_i (Steck's dropout view): popular items are
   * shrunk more. 0 gives plain EASE.
   */
  dropout: number;
}

/** Dense EASE weights over a subset of items: B[i·m + j] is item i's weight for suggesting j. */
export interface EaseWeights {
  /** Catalog index of each row/column. */
  items: Int32Array;
  weights: Float64Array;
}

/**
 * EASE (Steck 2019): the closed-form linear item-item model. G = XᵀX from the co-purchase counts
 * (diagonal: baskets per item), P = (G + Λ)⁻¹, B_ij = −P_ij / P_jj, B_jj = 0. Costs one dense
 * inversion: n³/2 multiply-adds, seconds to tens of seconds at 3,200 items, so only for catalogs that small.
 */
export function fitEase(
  co: CoPurchase,
  items: Int32Array,
  options: EaseOptions,
  /** Hears the inversion's share done (0–1): a fit at 3,000 items takes seconds to tens of seconds. */
  progress?: (share: number) => void,
): EaseWeights {
  const m = items.length;
  const position = new Int32Array(co.itemCount).fill(-1);
  items.forEach((item, p) => (position[item] = p));
  const g = new Float64Array(m * m);
  const shrink = options.dropout > 0 ? options.dropout / (1 - options.dropout) : 0;
  items.forEach((item, p) => {
    // Basket-size weighted where the counts carry weights (coPurchase.ts), as the sparse learner.
    const count = co.itemWeight?.[item] ?? co.itemBaskets[item] ?? 0;
    g[p * m + p] = count + options.lambda + shrink * count;
    for (let q = co.rowStart[item] ?? 0; q < (co.rowStart[item + 1] ?? 0); q++) {
      const other = position[co.cols[q] ?? 0] ?? -1;
      if (other >= 0) g[p * m + other] = co.weighted?.[q] ?? co.counts[q] ?? 0;
    }
  });
  const inverse = invertSpd(g, m, progress);
  const weights = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i !== j) weights[i * m + j] = -(inverse[i * m + j] ?? 0) / (inverse[j * m + j] ?? 1);
    }
  }
  return { items, weights };
}
