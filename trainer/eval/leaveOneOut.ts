import type { SparseRow } from "./sparseRank.js";

/**
 * A scorer whose query scores are sums of one row per query item, added in query order from 0:
 * score_j(Q) = Σ_{i ∈ Q} row_i[j] (co-count, cosine, dense EASE). The basket task asks B − h for
 * every h of a basket, so the rows of one basket are summed |B| − 1 times each; this shares them.
 */
export interface AdditiveRows {
  /** The score of an item no row touches (and not in `base`). */
  fill: number;
  /**
   * Items that score 0 even when no row touches them (EASE's fitted items). With a fill other than 0,
   * every row touches only these.
   */
  base?: Int32Array;
  /**
   * Every partial sum is an integer below 2^53 (raw co-counts): sums are exact in any order, so
   * B − h may be scored as (Σ_B) − row_h.
   */
  integerSums?: boolean;
  /** Query item i's row: its items and values (views, not copies). */
  rowOf(i: number): { cols: Int32Array; vals: Float64Array };
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
  if (!scorer.integerSums) return denseLeaveOneOut(scorer, n);
  if (scorer.fill !== 0) throw new Error("integer sums are subtracted: the fill must be 0");
  const whole = new SparseSum(n);
  const work = new SparseSum(n);
  const row: SparseRow = { items: work.list, values: new Float64Array(n), count: 0, fill: scorer.fill };
  return (items, each) => {
    whole.clear();
    if (scorer.base) whole.touch(scorer.base);
    for (const i of items) {
      const { cols, vals } = scorer.rowOf(i);
      whole.add(cols, vals);
    }
    for (const held of items) {
      work.copyFrom(whole);
      const { cols, vals } = scorer.rowOf(held);
      work.add(cols, vals, -1);
      // Items only `held` touched are now 0 where they were untouched: the same score when the
      // fill is 0, which integerSums scorers must have.
      each(held, work.toRow(row));
    }
  };
}

/**
 * leaveOneOutRows for float sums, over a dense array of all n items: B − h is the prefix before h
 * (kept from the previous step) plus the rows after it, in order, so every sum is bit-identical to
 * summing the query afresh (an untouched item starts from 0, `0 + w`, as the sparse sums did; one no
 * row touches keeps the fill). Dense because the rows are long (co-purchase rows of ~1,100 of 3,800
 * items on the shared data, EASE rows of every item): the sparse bookkeeping cost more than the sums.
 */
function denseLeaveOneOut(
  scorer: AdditiveRows,
  n: number,
): (items: readonly number[], each: (held: number, row: SparseRow) => void) => void {
  if (scorer.fill !== 0 && !scorer.base) throw new Error("float sums with a fill other than 0 need a base");
  const start = new Float64Array(n).fill(scorer.fill);
  if (scorer.base) for (const j of scorer.base) start[j] = 0;
  const prefix = new Float64Array(n);
  const work = new Float64Array(n);
  const row: SparseRow = {
    items: Int32Array.from({ length: n }, (_, i) => i),
    values: work,
    count: n,
    fill: scorer.fill,
    dense: true,
  };
  const addInto = (sum: Float64Array, { cols, vals }: { cols: Int32Array; vals: Float64Array }) => {
    for (let p = 0; p < cols.length; p++) {
      const j = cols[p] ?? 0;
      sum[j] = (sum[j] ?? 0) + (vals[p] ?? 0);
    }
  };
  return (items, each) => {
    prefix.set(start);
    const rows = items.map((i) => scorer.rowOf(i));
    for (let t = 0; t < items.length; t++) {
      work.set(prefix);
      for (let u = t + 1; u < rows.length; u++) {
        const r = rows[u];
        if (r) addInto(work, r);
      }
      each(items[t] ?? 0, row);
      const held = rows[t];
      if (held) addInto(prefix, held);
    }
  };
}
