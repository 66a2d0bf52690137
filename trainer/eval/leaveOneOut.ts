import type { SparseRow } from "./sparseRank.js";

/**
 * A scorer whose query scores are sums of one row per query item, added in query order from 0:
 * score_j(Q) = Σ_{i ∈ Q} row_i[j] (co-count, cosine, dense EASE). The basket task asks B − h for
 * every h of a basket, so the rows of one basket are summed |B| − 1 times each; this shares them.
 */
export interface AdditiveRows {
  /** The score of an item no row touches (and not in `base`). */
  fill: number;
  /** Items that score 0 even when no row touches them (EASE's fitted items). */
  base?: Int32Array;
  /**
   * Every partial sum is an integer below 2^53 (raw co-counts): sums are exact in any order, so
   * B − h may be scored as (Σ_B) − row_h.
   */
  integerSums?: boolean;
  /** Query item i's row: its items and values (views, not copies). */
  rowOf(i: number): { cols: Int32Array; vals: Float64Array };
  /**
   * Every row is dense over the same items (dense EASE: `items` = the fitted ones, each row a view
   * over them in that order, null for an item outside them). The sums then run over plain arrays:
   * the sparse bookkeeping cost 10× the additions for 3,000-long rows.
   */
  dense?: { items: Int32Array; rowOf(i: number): Float64Array | null };
}

/** A dense sum over n items that also lists the items it touched, so copies and resets are O(touched). */
class SparseSum {
  readonly sum: Float64Array;
  private readonly hit: Uint8Array;
  readonly list: Int32Array;
  count = 0;

  constructor(n: number) {
    this.sum = new Float64Array(n);
    this.hit = new Uint8Array(n);
    this.list = new Int32Array(n);
  }

  clear(): void {
    for (let t = 0; t < this.count; t++) {
      const j = this.list[t] ?? 0;
      this.hit[j] = 0;
      this.sum[j] = 0;
    }
    this.count = 0;
  }

  /** Marks items as scoring 0 (touched, nothing added yet). */
  touch(items: Int32Array): void {
    for (const j of items) {
      if (this.hit[j] === 1) continue;
      this.hit[j] = 1;
      this.list[this.count++] = j;
    }
  }

  /** sum += row, in row order; an untouched item starts from 0 (`0 + w`, as the dense loops did). */
  add(cols: Int32Array, vals: Float64Array, sign: 1 | -1 = 1): void {
    const { sum, hit, list } = this;
    for (let p = 0; p < cols.length; p++) {
      const j = cols[p] ?? 0;
      const w = sign === 1 ? (vals[p] ?? 0) : -(vals[p] ?? 0);
      if (hit[j] === 1) sum[j] = (sum[j] ?? 0) + w;
      else {
        hit[j] = 1;
        list[this.count++] = j;
        sum[j] = 0 + w;
      }
    }
  }

  copyFrom(other: SparseSum): void {
    this.clear();
    for (let t = 0; t < other.count; t++) {
      const j = other.list[t] ?? 0;
      this.hit[j] = 1;
      this.list[t] = j;
      this.sum[j] = other.sum[j] ?? 0;
    }
    this.count = other.count;
  }

  /** The sum as a sparse row (values gathered into `row`'s buffer). */
  toRow(row: SparseRow): SparseRow {
    row.items = this.list;
    for (let t = 0; t < this.count; t++) row.values[t] = this.sum[this.list[t] ?? 0] ?? 0;
    row.count = this.count;
    return row;
  }
}

/**
 * Calls `each(held, row)` for every item of the basket, the row being the scores of the query
 * `items` without `held` (in basket order), bit-identical to summing that query's rows afresh.
 * Float sums depend on their order, so the query's sum is the prefix before `held` (kept from the
 * previous step) plus the rows after it, in order: half the additions of summing every query.
 * Integer sums are exact in any order: the whole basket's sum minus `held`'s row.
 */
export function leaveOneOutRows(
  scorer: AdditiveRows,
  n: number,
): (items: readonly number[], each: (held: number, row: SparseRow) => void) => void {
  const prefix = new SparseSum(n);
  const work = new SparseSum(n);
  const row: SparseRow = { items: work.list, values: new Float64Array(n), count: 0, fill: scorer.fill };
  const start = (s: SparseSum) => {
    s.clear();
    if (scorer.base) s.touch(scorer.base);
  };
  if (scorer.integerSums && scorer.fill !== 0) throw new Error("integer sums are subtracted: the fill must be 0");
  if (scorer.dense) return denseLeaveOneOut(scorer.dense, scorer.fill);
  return (items, each) => {
    start(prefix);
    if (scorer.integerSums) {
      for (const i of items) {
        const { cols, vals } = scorer.rowOf(i);
        prefix.add(cols, vals);
      }
      for (const held of items) {
        work.copyFrom(prefix);
        const { cols, vals } = scorer.rowOf(held);
        work.add(cols, vals, -1);
        // Items only `held` touched are now 0 where they were untouched: the same score when the
        // fill is 0, which integerSums scorers must have.
        each(held, work.toRow(row));
      }
      return;
    }
    for (let t = 0; t < items.length; t++) {
      work.copyFrom(prefix);
      for (let u = t + 1; u < items.length; u++) {
        const { cols, vals } = scorer.rowOf(items[u] ?? 0);
        work.add(cols, vals);
      }
      const held = items[t] ?? 0;
      each(held, work.toRow(row));
      const { cols, vals } = scorer.rowOf(held);
      prefix.add(cols, vals);
    }
  };
}

/**
 * leaveOneOutRows for rows dense over one item list: the same prefix-then-suffix order, so each sum
 * is bit-identical to the sparse path's (which starts every fitted item at 0 and adds in query order).
 */
function denseLeaveOneOut(
  dense: NonNullable<AdditiveRows["dense"]>,
  fill: number,
): (items: readonly number[], each: (held: number, row: SparseRow) => void) => void {
  const m = dense.items.length;
  const prefix = new Float64Array(m);
  const work = new Float64Array(m);
  const row: SparseRow = { items: dense.items, values: work, count: m, fill };
  const addInto = (sum: Float64Array, values: Float64Array) => {
    for (let p = 0; p < m; p++) sum[p] = (sum[p] ?? 0) + (values[p] ?? 0);
  };
  return (items, each) => {
    prefix.fill(0);
    const rows = items.map((i) => dense.rowOf(i));
    for (let t = 0; t < items.length; t++) {
      work.set(prefix);
      for (let u = t + 1; u < items.length; u++) {
        const values = rows[u];
        if (values) addInto(work, values);
      }
      each(items[t] ?? 0, row);
      const held = rows[t];
      if (held) addInto(prefix, held);
    }
  };
}
