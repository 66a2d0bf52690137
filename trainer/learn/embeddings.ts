import type { CoPurchase } from "./coPurchase.js";
import { orthonormalize, seededRandom, symmetricEigen } from "./linalg.js";

export interface EmbeddingOptions {
  dimension: number;
  /** SPPMI shift: PMI values below log(shift) are dropped (Levy & Goldberg's negative sampling k). */
  shift: number;
  /**
   * Pairs seen in fewer baskets are left out, as everywhere else in the model: a pair seen once says
   * little, and counts a warehouse pruned at this floor then give the same embeddings.
   */
  minCount: number;
  powerIterations: number;
  seed: number;
  /** Called after each pass over the co-purchase matrix (powerIterations + 1 of them). */
  onPass?: (done: number) => void;
}

/** Sparse symmetric SPPMI matrix over the co-purchase graph, same CSR layout as the counts. */
function sppmi(co: CoPurchase, shift: number, minCount: number): Float64Array {
  const values = new Float64Array(co.counts.length);
  const kept = (count: number) => (count >= minCount ? count : 0);
  let total = 0;
  for (const c of co.counts) total += kept(c);
  const rowSums = new Float64Array(co.itemCount);
  for (let i = 0; i < co.itemCount; i++) {
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++)
      rowSums[i] = (rowSums[i] ?? 0) + kept(co.counts[p] ?? 0);
  }
  const logShift = Math.log(shift);
  for (let i = 0; i < co.itemCount; i++) {
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
      const j = co.cols[p] ?? 0;
      const count = kept(co.counts[p] ?? 0);
      if (count === 0) continue;
      const pmi = Math.log((count * total) / ((rowSums[i] ?? 1) * (rowSums[j] ?? 1)));
      values[p] = Math.max(pmi - logShift, 0);
    }
  }
  return values;
}

/** Rows transposed at a time: a tile's k × TILE_ROWS values (~170 KB at k = 42) stay in the CPU's cache. */
const TILE_ROWS = 512;

/**
 * A column-major n × k matrix as row-major (or back, with `toRows` false), tile by tile: a plain
 * loop over one column at a time writes k values apart across the whole matrix (at 1,000,000 × 42,
 * 336 MB, that is most of a second per copy).
 */
function transpose(from: Float64Array, n: number, k: number, toRows: boolean): Float64Array {
  const to = new Float64Array(n * k);
  for (let start = 0; start < n; start += TILE_ROWS) {
    const end = Math.min(n, start + TILE_ROWS);
    for (let c = 0; c < k; c++) {
      if (toRows) for (let i = start; i < end; i++) to[i * k + c] = from[c * n + i] ?? 0;
      else for (let i = start; i < end; i++) to[c * n + i] = from[i * k + c] ?? 0;
    }
  }
  return to;
}

/**
 * out (n × k) = A (n × n sparse) · x (n × k), both column-major. The product runs on row-major
 * copies: each nonzero then reads k neighbouring values instead of k values n apart (at 200,000
 * items, 15.7 s → 3.5 s for this step).
 */
function sparseTimes(co: CoPurchase, values: Float64Array, x: Float64Array, k: number): Float64Array {
  const n = co.itemCount;
  const rows = transpose(x, n, k, true);
  const product = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const at = i * k;
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
      const a = values[p] ?? 0;
      if (a === 0) continue;
      const from = (co.cols[p] ?? 0) * k;
      for (let c = 0; c < k; c++) product[at + c] = (product[at + c] ?? 0) + a * (rows[from + c] ?? 0);
    }
  }
  return transpose(product, n, k, false);
}

/**
 * T = Qᵀ · AQ (k × k, column-major) for column-major n × k Q and AQ. Four of AQ's columns share each
 * sweep over a column of Q, each dot still summed in item order (so the same bits as one dot a sweep,
 * in a quarter of the sweeps: at 1,000,000 items, most of ten seconds).
 */
function projection(q: Float64Array, aq: Float64Array, n: number, k: number): Float64Array {
  const t = new Float64Array(k * k);
  const column = (m: Float64Array, c: number) => m.subarray(c * n, (c + 1) * n);
  for (let r = 0; r < k; r++) {
    const qr = column(q, r);
    let c = 0;
    for (; c + 4 <= k; c += 4) {
      const [a0, a1, a2, a3] = [column(aq, c), column(aq, c + 1), column(aq, c + 2), column(aq, c + 3)];
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let i = 0; i < n; i++) {
        const v = qr[i] ?? 0;
        d0 += v * (a0[i] ?? 0);
        d1 += v * (a1[i] ?? 0);
        d2 += v * (a2[i] ?? 0);
        d3 += v * (a3[i] ?? 0);
      }
      t[c * k + r] = d0;
      t[(c + 1) * k + r] = d1;
      t[(c + 2) * k + r] = d2;
      t[(c + 3) * k + r] = d3;
    }
    for (; c < k; c++) {
      const a = column(aq, c);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (qr[i] ?? 0) * (a[i] ?? 0);
      t[c * k + r] = dot;
    }
  }
  return t;
}

/**
 * Item embeddings from co-purchase: SPPMI, then a rank-d eigen-decomposition by randomized subspace
 * iteration (Halko et al.), rows scaled by √λ and normalised to unit length. Items that are bought
 * in the same contexts end up close, which is what upgrades (substitutes) and sparse items need.
 * Returns row-major [N × d].
 */
export function learnEmbeddings(co: CoPurchase, options: EmbeddingOptions): Float64Array {
  const n = co.itemCount;
  const d = options.dimension;
  const k = Math.min(n, d + 10);
  const values = sppmi(co, options.shift, options.minCount);
  const random = seededRandom(options.seed);
  let q: Float64Array = new Float64Array(n * k);
  for (let i = 0; i < q.length; i++) q[i] = random() - 0.5;
  orthonormalize(q, n, k, 1);
  for (let it = 0; it < options.powerIterations; it++) {
    q = sparseTimes(co, values, q, k);
    // One pass while iterating (the next product mixes the columns again anyway), two on the last
    // basis, which the projection needs orthonormal: 6 passes over n × k instead of 10 (at 200,000
    // items about a fifth of this step).
    orthonormalize(q, n, k, it === options.powerIterations - 1 ? 2 : 1);
    options.onPass?.(it + 1);
  }
  // Project: T = Qᵀ A Q (k × k), then rotate Q by T's eigenvectors.
  const aq = sparseTimes(co, values, q, k);
  options.onPass?.(options.powerIterations + 1);
  const t = projection(q, aq, n, k);
  const { values: lambda, vectors } = symmetricEigen(t, k);
  const order = Array.from(lambda.keys()).sort((a, b) => (lambda[b] ?? 0) - (lambda[a] ?? 0));
  const dims = order.slice(0, Math.min(d, k));
  const out = new Float64Array(n * d);
  const weights = dims.map((e) => Math.sqrt(Math.max(lambda[e] ?? 0, 0)));
  // Item by item, its k values of Q gathered once for all d dimensions (not once a dimension).
  const qRow = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) qRow[r] = q[r * n + i] ?? 0;
    for (let col = 0; col < dims.length; col++) {
      const e = dims[col] ?? 0;
      let x = 0;
      for (let r = 0; r < k; r++) x += (qRow[r] ?? 0) * (vectors[e * k + r] ?? 0);
      out[i * d + col] = x * (weights[col] ?? 0);
    }
  }
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < d; c++) norm += (out[i * d + c] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let c = 0; c < d; c++) out[i * d + c] = (out[i * d + c] ?? 0) / norm;
  }
  return out;
}
