import type { CoPurchase } from "./coPurchase.js";
import { positionInRow } from "./rowSearch.js";
import { strongestCompanions } from "./companions.js";
import { rowStarts } from "./rowStarts.js";
import { solveSpdInPlace } from "./smallSolve.js";

export interface SparseEaseOptions {
  /** L2 regularisation λ, as dense EASE. */
  lambda: number;
  /** Per-item regularisation p (λ_i = λ + p/(1−p)·count_i), as dense EASE. */
  dropout: number;
  /** Each item's regression runs over its this-many strongest companions. */
  candidates: number;
  /**
   * Pairs seen in fewer baskets are left out of the system altogether, so counts a warehouse pruned
   * at this floor give exactly the model the order lines give.
   */
  minSupport: number;
  /** Called now and then with the number of items solved. */
  onProgress?: (done: number) => void;
}

/** Sparse item-item weights: row i holds B_ij for its columns j, ascending. */
export interface SparseWeights {
  rowStart: Int32Array;
  cols: Int32Array;
  weights: Float32Array;
  /** Items whose system needed extra diagonal weight to be positive definite (pruned counts). */
  shifted: number;
  /** Mean size of the per-item systems solved. */
  meanCandidates: number;
}

/**
 * Neighbourhood-restricted EASE. Dense EASE regresses each item j on all other items:
 * (G₋ⱼ₋ⱼ + Λ) b = G₋ⱼⱼ, which the closed form solves at once with one n × n inverse (cubic in the
 * catalog). Here j's regression runs only over S, its `candidates` strongest companions by
 * co-purchase count: (G_SS + Λ_S) b_S = G_Sj, weights outside S are 0. That is n small dense solves,
 * linear in the catalog, and exactly the sparsity the served model keeps anyway (10 weighted slots per
 * item). Measured on the shared Online Retail split it keeps all of dense EASE's basket HR@10 (docs/design.md,
 * "The learner"). Entries of G below `minSupport` count as 0 everywhere, which is also why pruned
 * warehouse counts work: G_SS is then not exactly a Gram matrix and may be indefinite, and such a
 * system gets the smallest extra diagonal weight (doubling from 1% of its mean diagonal) that makes
 * it positive definite.
 */
export function fitSparseEase(co: CoPurchase, options: SparseEaseOptions): SparseWeights {
  const n = co.itemCount;
  const N = options.candidates;
  const shrink = options.dropout > 0 ? options.dropout / (1 - options.dropout) : 0;
  const companions = strongestCompanions(co, { limit: N, minSupport: options.minSupport });

  // Column j of B (the weights that predict j) lands at colStart[j]…: the sources and their weights.
  const colStart = companions.start;
  const sources = companions.items;
  const columnWeights = new Float64Array(sources.length);

  const slot = new Int32Array(n).fill(-1);
  const system = new Float64Array(N * N);
  const rhs = new Float64Array(N);
  let shifted = 0;
  let solved = 0;
  for (let j = 0; j < n; j++) {
    const start = colStart[j] ?? 0;
    const m = (colStart[j + 1] ?? 0) - start;
    if (m === 0) continue;
    for (let a = 0; a < m; a++) slot[sources[start + a] ?? 0] = a;
    system.fill(0, 0, m * m);
    let diagonalSum = 0;
    for (let a = 0; a < m; a++) {
      const s = sources[start + a] ?? 0;
      const count = co.itemWeight?.[s] ?? co.itemBaskets[s] ?? 0;
      const d = count + options.lambda + shrink * count;
      system[a * m + a] = d;
      diagonalSum += d;
      rhs[a] = companions.gram[start + a] ?? 0;
      fillRow(co, s, a, m, slot, sources, start, system, options.minSupport);
    }
    for (let a = 0; a < m; a++) slot[sources[start + a] ?? 0] = -1;
    const shift = solveSpdInPlace(system, rhs, m, diagonalSum / m);
    if (shift > 0) shifted++;
    for (let a = 0; a < m; a++) columnWeights[start + a] = rhs[a] ?? 0;
    solved++;
    if ((solved & 4095) === 0) options.onProgress?.(j + 1);
  }
  options.onProgress?.(n);
  return {
    ...transpose(n, colStart, sources, columnWeights),
    shifted,
    meanCandidates: solved === 0 ? 0 : sources.length / solved,
  };
}

/**
 * Row a of G_SS (entries right of the diagonal, mirrored): the counts between s and the other members
 * of S. A short row of s is walked against the slot marks; a long one (a best seller's row can hold
 * most of the catalog) is searched for each member instead, whichever reads fewer entries.
 */
function fillRow(
  co: CoPurchase,
  s: number,
  a: number,
  m: number,
  slot: Int32Array,
  sources: Int32Array,
  start: number,
  system: Float64Array,
  minSupport: number,
): void {
  const rowFrom = co.rowStart[s] ?? 0;
  const rowTo = co.rowStart[s + 1] ?? 0;
  const length = rowTo - rowFrom;
  const members = m - a - 1;
  if (length <= members * Math.log2(length + 2)) {
    for (let p = rowFrom; p < rowTo; p++) {
      const b = slot[co.cols[p] ?? 0] ?? -1;
      if (b <= a) continue;
      if ((co.counts[p] ?? 0) < minSupport) continue;
      const value = co.weighted?.[p] ?? co.counts[p] ?? 0;
      system[a * m + b] = value;
      system[b * m + a] = value;
    }
    return;
  }
  for (let b = a + 1; b < m; b++) {
    const at = positionInRow(co, s, sources[start + b] ?? 0);
    if (at < 0 || (co.counts[at] ?? 0) < minSupport) continue;
    const value = co.weighted?.[at] ?? co.counts[at] ?? 0;
    system[a * m + b] = value;
    system[b * m + a] = value;
  }
}

/** Column lists (by target j) to row lists (by source i); rows come out with ascending columns. */
function transpose(n: number, colStart: Int32Array, sources: Int32Array, columnWeights: Float64Array) {
  const rowStart = rowStarts(n, sources);
  const fill = rowStart.slice(0, n);
  const cols = new Int32Array(sources.length);
  const weights = new Float32Array(sources.length);
  for (let j = 0; j < n; j++) {
    for (let p = colStart[j] ?? 0; p < (colStart[j + 1] ?? 0); p++) {
      const s = sources[p] ?? 0;
      const at = fill[s] ?? 0;
      cols[at] = j;
      weights[at] = columnWeights[p] ?? 0;
      fill[s] = at + 1;
    }
  }
  return { rowStart, cols, weights };
}

/** B_ij from sparse weights (0 when j is not in i's row). */
export function sparseWeight(b: SparseWeights, i: number, j: number): number {
  const at = positionInRow(b, i, j);
  return at < 0 ? 0 : (b.weights[at] ?? 0);
}
