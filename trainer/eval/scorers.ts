import { addCoPurchase, basketQuery, referenceSimilarity, type ScoringTables } from "../../models/scoringTables.js";
import type { CoPurchase } from "../learn/coPurchase.js";
import type { EaseWeights } from "../learn/ease.js";
import type { AdditiveRows } from "./leaveOneOut.js";
import type { SparseRow } from "./sparseRank.js";

/** A model under evaluation: fills a score for every item given a query basket (-Infinity = never suggested). */
export interface QueryScorer {
  name: string;
  /** Every item's score (the served rules and the benches read whole arrays). */
  score(query: readonly number[], out: Float64Array): void;
  /**
   * The same scores as a sparse row, so evaluate ranks in O(touched) instead of O(items). The row's
   * buffers belong to the scorer and are overwritten by the next call.
   */
  sparse?(query: readonly number[]): SparseRow;
  /** The scores do not depend on the query (popularity): evaluate ranks them once. */
  fixed?: boolean;
  /** The scores are sums of one row per query item: evaluate shares them across a basket's queries. */
  additive?: AdditiveRows;
}

/** Dense scores from a sparse row, so `score` and `sparse` can never disagree. */
function scatter(row: SparseRow, out: Float64Array): void {
  out.fill(row.fill);
  for (let t = 0; t < row.count; t++) out[row.items[t] ?? 0] = row.values[t] ?? row.fill;
}

/**
 * A sparse accumulator over `itemCount` items: a dense scratch array that is only ever written at
 * the touched items, which are listed as they are first hit and reset after the row is read out.
 */
class Accumulator {
  readonly sum: Float64Array;
  private readonly hit: Uint8Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private readonly row: SparseRow;
  private readonly restartsAtMinusInfinity: boolean;

  constructor(itemCount: number, fill: number) {
    this.restartsAtMinusInfinity = fill === Number.NEGATIVE_INFINITY;
    this.sum = new Float64Array(itemCount);
    this.hit = new Uint8Array(itemCount);
    this.touched = new Int32Array(itemCount);
    this.row = { items: new Int32Array(itemCount), values: new Float64Array(itemCount), count: 0, fill };
  }

  /**
   * sum[j] += w, with an untouched j starting from 0 (the dense scorers' `0 + w`). With a -Infinity
   * fill a sum of -Infinity also restarts from 0, as the dense `out[c] === -Infinity ? 0 : out[c]` did.
   */
  add(j: number, w: number): void {
    if (this.hit[j] === 0) {
      this.hit[j] = 1;
      this.touched[this.touchedCount++] = j;
      this.sum[j] = 0 + w;
      return;
    }
    const sum = this.sum[j] ?? 0;
    this.sum[j] = (this.restartsAtMinusInfinity && sum === Number.NEGATIVE_INFINITY ? 0 : sum) + w;
  }

  /** Calls `each` on every touched item (the served model's embedding term), in first-hit order. */
  forEach(each: (j: number) => void): void {
    for (let t = 0; t < this.touchedCount; t++) each(this.touched[t] ?? 0);
  }

  /** The touched items as a row, leaving out `drop`ped ones (they score `fill`), and resets. */
  take(drop?: readonly number[]): SparseRow {
    if (drop) for (const j of drop) if (this.hit[j] === 1) this.hit[j] = 2;
    let count = 0;
    for (let t = 0; t < this.touchedCount; t++) {
      const j = this.touched[t] ?? 0;
      if (this.hit[j] === 1) {
        this.row.items[count] = j;
        this.row.values[count++] = this.sum[j] ?? 0;
      }
      this.hit[j] = 0;
      this.sum[j] = 0;
    }
    this.touchedCount = 0;
    this.row.count = count;
    return this.row;
  }
}

export function popularity(co: CoPurchase): QueryScorer {
  const fixed = Float64Array.from(co.itemBaskets);
  return {
    name: "popularity",
    fixed: true,
    score(_query, out) {
      out.set(fixed.subarray(0, out.length));
      // itemBaskets covers every item; the guard keeps the old `?? 0` for a longer `out`.
      if (out.length > fixed.length) out.fill(0, fixed.length);
    },
  };
}

function coCountScorer(name: string, co: CoPurchase, vals: Float64Array, integerSums: boolean): QueryScorer {
  const acc = new Accumulator(co.itemCount, 0);
  const sparse = (query: readonly number[]) => {
    // Summed in the same order as the dense loop it replaced, so every score is bit-identical.
    for (const i of query) {
      for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) acc.add(co.cols[p] ?? 0, vals[p] ?? 0);
    }
    return acc.take();
  };
  const additive: AdditiveRows = {
    fill: 0,
    integerSums,
    rowOf: (i) => {
      const from = co.rowStart[i] ?? 0;
      const to = co.rowStart[i + 1] ?? from;
      return { cols: co.cols.subarray(from, to), vals: vals.subarray(from, to) };
    },
  };
  return { name, sparse, additive, score: (query, out) => scatter(sparse(query), out) };
}

/** Amazon item-to-item: the sum of raw co-purchase counts. */
export const coCount = (co: CoPurchase) => coCountScorer("co-count", co, Float64Array.from(co.counts), true);

/** Co-counts normalised by both items' popularity (cosine of the basket vectors). */
export function cosine(co: CoPurchase): QueryScorer {
  const norm = Float64Array.from(co.itemBaskets, (n) => (n > 0 ? 1 / Math.sqrt(n) : 0));
  // Each pair's weight once, evaluated as (c · norm_i) · norm_j like the per-query formula was.
  const vals = new Float64Array(co.cols.length);
  for (let i = 0; i < co.itemCount; i++) {
    for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
      vals[p] = (co.counts[p] ?? 0) * (norm[i] ?? 0) * (norm[co.cols[p] ?? 0] ?? 0);
    }
  }
  return coCountScorer("cosine", co, vals, false);
}

/**
 * Dense EASE: Σ_{b ∈ query} B_b. Items outside the fitted set score -Infinity. It stays dense over
 * the fitted items (every one gets a score), but the row is summed in fitted-item space and ranked
 * there, skipping the n-long fill and scan.
 */
export function ease(name: string, fit: EaseWeights, itemCount: number): QueryScorer {
  const m = fit.items.length;
  const position = new Int32Array(itemCount).fill(-1);
  fit.items.forEach((item, p) => (position[item] = p));
  const row: SparseRow = { items: fit.items, values: new Float64Array(m), count: m, fill: Number.NEGATIVE_INFINITY };
  const sparse = (query: readonly number[]) => {
    const sum = row.values;
    sum.fill(0);
    for (const i of query) {
      const r = position[i] ?? -1;
      if (r < 0) continue;
      const weights = fit.weights.subarray(r * m, (r + 1) * m);
      for (let p = 0; p < m; p++) sum[p] = (sum[p] ?? 0) + (weights[p] ?? 0);
    }
    return row;
  };
  const none = { cols: new Int32Array(0), vals: new Float64Array(0) };
  const additive: AdditiveRows = {
    fill: Number.NEGATIVE_INFINITY,
    base: fit.items,
    rowOf: (i) => {
      const r = position[i] ?? -1;
      return r < 0 ? none : { cols: fit.items, vals: fit.weights.subarray(r * m, (r + 1) * m) };
    },
  };
  return { name, sparse, additive, score: (query, out) => scatter(sparse(query), out) };
}

/**
 * The served model, with the ONNX graph's semantics (models/scoringTables.ts): the query's neighbour
 * lists are the candidates; each scores its summed weights plus embedding similarity to the query.
 */
export function served(name: string, tables: ScoringTables): QueryScorer {
  const acc = new Accumulator(tables.itemCount, Number.NEGATIVE_INFINITY);
  const add = (c: number, value: number) => acc.add(c, value);
  const sparse = (basket: readonly number[]) => {
    addCoPurchase(tables, basket, [], add);
    if (tables.embeddingWeight !== 0) {
      const query = basketQuery(tables, basket, []);
      const basketItems = new Set(basket);
      acc.forEach((c) => {
        // The basket's own items are never candidates; a sum that is already -Infinity stays one.
        if (basketItems.has(c) || acc.sum[c] === Number.NEGATIVE_INFINITY) return;
        acc.sum[c] = (acc.sum[c] ?? 0) + tables.embeddingWeight * referenceSimilarity(tables, query, c);
      });
    }
    return acc.take(basket);
  };
  return { name, sparse, score: (basket, out) => scatter(sparse(basket), out) };
}
