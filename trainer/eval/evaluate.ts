import type { Split } from "./split.js";
import { anchorMetrics, hitAt, ndcgAt, rankOf, reciprocalRank, topK } from "./metrics.js";
import type { QueryScorer } from "./scorers.js";

export interface TaskMetrics {
  /** HR@k, NDCG@k, MRR and the number of queries. */
  basket: Record<string, number>;
  /** HR@k, Recall@k, NDCG@k and the number of queries. */
  anchor: Record<string, number>;
}

/** The anchor of a test basket: the product whose id sorts first. */
export function anchorOf(basket: readonly number[], skus: readonly string[]): number {
  return [...basket].sort((a, b) => ((skus[a] ?? "") < (skus[b] ?? "") ? -1 : 1))[0] ?? -1;
}

const mean = (sum: number, n: number) => (n === 0 ? 0 : Math.round((sum / n) * 1e4) / 1e4);

/**
 * Both tasks of the protocol for one model. basket: every (B, h), query B − h, rank of h among the
 * train items not in the query. anchor: query = the basket's anchor, the rest are targets.
 */
export function evaluate(scorer: QueryScorer, split: Split, skus: readonly string[], k: number): TaskMetrics {
  const scores = new Float64Array(skus.length);
  const unknown = Array.from(skus.keys()).filter((i) => !split.trainItems.has(i));
  const score = (query: readonly number[]) => {
    scorer.score(query, scores);
    for (const i of unknown) scores[i] = Number.NEGATIVE_INFINITY;
  };
  const basket = { hr: 0, ndcg: 0, mrr: 0, n: 0 };
  for (const items of split.testBaskets) {
    for (const held of items) {
      const query = items.filter((i) => i !== held);
      score(query);
      const rank = rankOf(scores, held, new Set(query));
      basket.hr += hitAt(rank, k);
      basket.ndcg += ndcgAt(rank, k);
      basket.mrr += reciprocalRank(rank);
      basket.n++;
    }
  }
  const anchor = { hr: 0, recall: 0, ndcg: 0, n: 0 };
  for (const items of split.testBaskets) {
    const a = anchorOf(items, skus);
    score([a]);
    const m = anchorMetrics(topK(scores, k, new Set([a])), new Set(items.filter((i) => i !== a)), k);
    anchor.hr += m.hit;
    anchor.recall += m.recall;
    anchor.ndcg += m.ndcg;
    anchor.n++;
  }
  return {
    basket: {
      [`HR@${k}`]: mean(basket.hr, basket.n),
      [`NDCG@${k}`]: mean(basket.ndcg, basket.n),
      MRR: mean(basket.mrr, basket.n),
      queries: basket.n,
    },
    anchor: {
      [`HR@${k}`]: mean(anchor.hr, anchor.n),
      [`Recall@${k}`]: mean(anchor.recall, anchor.n),
      [`NDCG@${k}`]: mean(anchor.ndcg, anchor.n),
      queries: anchor.n,
    },
  };
}
