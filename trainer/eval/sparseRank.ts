/**
 * Ranking a query's scores without touching all n items. A scorer that knows which items its query
 * touched returns them as a sparse row; every other item scores the row's `fill` (0 for co-counts,
 * -Infinity for models that only suggest candidates). `rankOf` and `topK` in metrics.ts are the
 * definitions (the dense reference): equal scores order by item index, the lower index first, and
 * that includes the untouched mass. Here the untouched items are counted with prefix sums over the
 * known items, so one query costs O(touched + excluded) instead of O(n). Scores are never NaN.
 */

/** A query's scores: items[t] scores values[t] for t < count; every other known item scores `fill`. */
export interface SparseRow {
  items: Int32Array;
  values: Float64Array;
  count: number;
  fill: number;
  /** items[t] = t for every item (count = n): a dense array, ranked by one plain scan. */
  dense?: boolean;
}

const NEG = Number.NEGATIVE_INFINITY;

/** a before b in the ranking: higher score, then lower index. */
const before = (sa: number, ia: number, sb: number, ib: number) => sa > sb || (sa === sb && ia < ib);

/**
 * Ranks sparse rows over n items of which only `known` ones may be suggested: an unknown item scores
 * -Infinity whatever the row says (evaluate.ts's filter of items never seen in training).
 */
export class SparseRanker {
  private readonly known: Uint8Array;
  /** knownBefore[i] = known items with an index below i. */
  private readonly knownBefore: Int32Array;
  /** The known items in index order: the untouched mass, walked only as far as a top list needs. */
  private readonly knownList: Int32Array;
  // Per-query marks without clearing n-long arrays: an item is marked when its stamp equals `stamp`.
  private readonly touchedStamp: Int32Array;
  private readonly slot: Int32Array;
  private readonly seenStamp: Int32Array;
  private stamp = 0;

  constructor(known: Uint8Array) {
    const n = known.length;
    this.known = known;
    this.knownBefore = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.knownBefore[i + 1] = (this.knownBefore[i] ?? 0) + (known[i] ?? 0);
    this.knownList = new Int32Array(this.knownBefore[n] ?? 0);
    for (let i = 0, at = 0; i < n; i++) if (known[i]) this.knownList[at++] = i;
    this.touchedStamp = new Int32Array(n);
    this.slot = new Int32Array(n);
    this.seenStamp = new Int32Array(n);
  }

  /** Marks the row's items for this query; returns the stamp. */
  private mark(row: SparseRow): number {
    const stamp = ++this.stamp;
    for (let t = 0; t < row.count; t++) {
      const i = row.items[t] ?? 0;
      this.touchedStamp[i] = stamp;
      this.slot[i] = t;
    }
    return stamp;
  }

  /** What a dense array would hold for item i after the unknown filter. */
  private scoreOf(row: SparseRow, i: number, stamp: number): number {
    if (!this.known[i]) return NEG;
    return this.touchedStamp[i] === stamp ? (row.values[this.slot[i] ?? 0] ?? NEG) : row.fill;
  }

  /** The score item i would have if the row had not touched it. */
  private backgroundOf(row: SparseRow, i: number): number {
    return this.known[i] ? row.fill : NEG;
  }

  /** = rankOf(dense(row), target, new Set(excluded)). */
  rank(row: SparseRow, target: number, excluded: readonly number[]): number {
    if (row.dense) return this.rankDense(row.values, target, excluded);
    const stamp = this.mark(row);
    const s = this.scoreOf(row, target, stamp);
    const knownBelow = this.knownBefore[target] ?? 0;
    // Every item at its background score: known items score `fill`, unknown ones -Infinity.
    let rank =
      (row.fill > s ? this.knownList.length : 0) +
      (row.fill === s ? knownBelow : 0) +
      (s === NEG ? target - knownBelow : 0);
    const beats = (v: number, i: number) => (v > s || (v === s && i < target) ? 1 : 0);
    // Then take out the target, the excluded items and the touched items at their background score
    // (each once), and put the touched ones that remain back at their real score.
    this.seenStamp[target] = stamp;
    rank -= beats(this.backgroundOf(row, target), target);
    for (const e of excluded) {
      if (this.seenStamp[e] === stamp) continue;
      this.seenStamp[e] = stamp;
      rank -= beats(this.backgroundOf(row, e), e);
    }
    for (let t = 0; t < row.count; t++) {
      const i = row.items[t] ?? 0;
      if (this.seenStamp[i] === stamp) continue;
      this.seenStamp[i] = stamp;
      rank += beats(this.scoreOf(row, i, stamp), i) - beats(this.backgroundOf(row, i), i);
    }
    return rank;
  }

  /** rankOf over a dense array after the unknown filter: one scan, then the excluded items taken out. */
  private rankDense(values: Float64Array, target: number, excluded: readonly number[]): number {
    const known = this.known;
    const n = known.length;
    const s = known[target] ? (values[target] ?? NEG) : NEG;
    let rank = 0;
    for (let i = 0; i < n; i++) {
      const v = known[i] ? (values[i] ?? NEG) : NEG;
      if (v > s || (v === s && i < target)) rank++;
    }
    const stamp = ++this.stamp;
    this.seenStamp[target] = stamp;
    for (const e of excluded) {
      if (this.seenStamp[e] === stamp) continue;
      this.seenStamp[e] = stamp;
      const v = known[e] ? (values[e] ?? NEG) : NEG;
      if (v > s || (v === s && e < target)) rank--;
    }
    return rank;
  }

  /** = topK(dense(row), k, new Set(excluded)): the k best by score then index, never -Infinity. */
  top(row: SparseRow, k: number, excluded: readonly number[]): number[] {
    const stamp = this.mark(row);
    for (const e of excluded) this.seenStamp[e] = stamp;
    const best = new TopList(k);
    for (let t = 0; t < row.count; t++) {
      const i = row.items[t] ?? 0;
      if (this.seenStamp[i] === stamp) continue;
      this.seenStamp[i] = stamp;
      const v = this.scoreOf(row, i, stamp);
      if (v !== NEG) best.offer(v, i);
    }
    // The untouched known items all score `fill`: in index order, only the first k can make the list.
    if (row.fill !== NEG) {
      let taken = 0;
      for (let p = 0; p < this.knownList.length && taken < k; p++) {
        const i = this.knownList[p] ?? 0;
        if (this.seenStamp[i] === stamp) continue;
        taken++;
        best.offer(row.fill, i);
      }
    }
    return best.items();
  }
}

/** The k best (score, index) pairs seen, in ranking order; insertion keeps it short (k is ~10). */
class TopList {
  private readonly scores: number[] = [];
  private readonly indices: number[] = [];
  constructor(private readonly k: number) {}

  offer(score: number, index: number): void {
    const n = this.indices.length;
    if (this.k <= 0) return;
    if (n === this.k && !before(score, index, this.scores[n - 1] ?? NEG, this.indices[n - 1] ?? 0)) return;
    let at = n;
    while (at > 0 && before(score, index, this.scores[at - 1] ?? NEG, this.indices[at - 1] ?? 0)) at--;
    this.scores.splice(at, 0, score);
    this.indices.splice(at, 0, index);
    if (this.indices.length > this.k) {
      this.scores.pop();
      this.indices.pop();
    }
  }

  items(): number[] {
    return this.indices.slice();
  }
}

/**
 * Query-independent scores (popularity): the ranking is sorted once, and a query only looks up the
 * target's position and how many excluded items sit above it.
 */
export class StaticRanking {
  private readonly order: Int32Array;
  private readonly position: Int32Array;
  private readonly scores: Float64Array;

  /** `scores` after the unknown filter (-Infinity for items that may not be suggested). */
  constructor(scores: Float64Array) {
    const n = scores.length;
    this.scores = scores;
    this.order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) =>
      a === b ? 0 : before(scores[a] ?? NEG, a, scores[b] ?? NEG, b) ? -1 : 1,
    );
    this.position = new Int32Array(n);
    this.order.forEach((item, p) => (this.position[item] = p));
  }

  /** = rankOf(scores, target, new Set(excluded)): the items ahead of it, less the excluded ones. */
  rank(target: number, excluded: readonly number[]): number {
    const p = this.position[target] ?? 0;
    let rank = p;
    const counted = new Set<number>();
    for (const e of excluded) {
      if (e === target || counted.has(e)) continue;
      counted.add(e);
      if ((this.position[e] ?? 0) < p) rank--;
    }
    return rank;
  }

  /** = topK(scores, k, new Set(excluded)). */
  top(k: number, excluded: readonly number[]): number[] {
    const skip = new Set(excluded);
    const best: number[] = [];
    for (let p = 0; p < this.order.length && best.length < k; p++) {
      const i = this.order[p] ?? 0;
      if ((this.scores[i] ?? NEG) === NEG) break;
      if (!skip.has(i)) best.push(i);
    }
    return best;
  }
}
