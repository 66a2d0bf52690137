/** Ranking metrics with the evaluation protocol's definitions (binary relevance). */

/** 0-based rank of the target: items scoring higher, plus equal scores at a lower index. */
export function rankOf(scores: Float64Array, target: number, excluded: ReadonlySet<number>): number {
  const s = scores[target] ?? Number.NEGATIVE_INFINITY;
  let rank = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i === target || excluded.has(i)) continue;
    const v = scores[i] ?? Number.NEGATIVE_INFINITY;
    if (v > s || (v === s && i < target)) rank++;
  }
  return rank;
}

/** The k best items (by score, then index) outside `excluded`; items scoring -Infinity never count. */
export function topK(scores: Float64Array, k: number, excluded: ReadonlySet<number>): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i] ?? Number.NEGATIVE_INFINITY;
    if (v === Number.NEGATIVE_INFINITY || excluded.has(i)) continue;
    if (best.length === k && v <= (scores[best[k - 1] ?? 0] ?? 0)) continue;
    let at = best.length;
    while (at > 0 && (scores[best[at - 1] ?? 0] ?? 0) < v) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

export const hitAt = (rank: number, k: number) => (rank < k ? 1 : 0);
export const ndcgAt = (rank: number, k: number) => (rank < k ? 1 / Math.log2(rank + 2) : 0);
export const reciprocalRank = (rank: number) => 1 / (rank + 1);

/** Anchor task metrics for one query: top list vs. the basket's other items. */
export function anchorMetrics(top: readonly number[], targets: ReadonlySet<number>, k: number) {
  let hits = 0;
  let dcg = 0;
  top.slice(0, k).forEach((item, i) => {
    if (targets.has(item)) {
      hits++;
      dcg += 1 / Math.log2(i + 2);
    }
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(k, targets.size); i++) idcg += 1 / Math.log2(i + 2);
  return { hit: hits > 0 ? 1 : 0, recall: hits / Math.min(k, targets.size), ndcg: idcg > 0 ? dcg / idcg : 0 };
}
