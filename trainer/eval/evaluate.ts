import type { Progress } from "../progress.js";
import type { Split } from "./split.js";
import { anchorMetrics, hitAt, ndcgAt, reciprocalRank } from "./metrics.js";
import type { QueryScorer } from "./scorers.js";
import { leaveOneOutRows } from "./leaveOneOut.js";
import { SparseRanker, StaticRanking, type SparseRow } from "./sparseRank.js";

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

/** Queries `evaluate` runs on a split: one per (basket, held item), plus one anchor per basket. */
export function evalQueries(split: Split): number {
  return split.testBaskets.reduce((sum, items) => sum + items.length + 1, 0);
}

/** How one scorer's queries are ranked: `rankOf` / `topK` (metrics.ts) without the O(n) scan. */
interface QueryRanker {
  rank(query: readonly number[], held: number): number;
  top(query: readonly number[], k: number): number[];
}

/** The protocol suggests only items seen in training: every other item scores -Infinity. */
function knownItems(split: Split, n: number): Uint8Array {
  const known = new Uint8Array(n);
  for (const i of split.trainItems) if (i < n) known[i] = 1;
  return known;
}

function rankerFor(scorer: QueryScorer, split: Split, n: number): QueryRanker {
  const known = knownItems(split, n);
  if (scorer.fixed) {
    const scores = new Float64Array(n);
    scorer.score([], scores);
    for (let i = 0; i < n; i++) if (!known[i]) scores[i] = Number.NEGATIVE_INFINITY;
    const ranking = new StaticRanking(scores);
    return { rank: (query, held) => ranking.rank(held, query), top: (query, k) => ranking.top(k, query) };
  }
  const ranker = new SparseRanker(known);
  const { sparse } = scorer;
  let rowOf: (query: readonly number[]) => SparseRow;
  if (sparse) rowOf = (query) => sparse.call(scorer, query);
  else {
    // A scorer with only dense scores (benches' own): the whole array is the row.
    const row: SparseRow = {
      items: Int32Array.from({ length: n }, (_, i) => i),
      values: new Float64Array(n),
      count: n,
      fill: Number.NEGATIVE_INFINITY,
    };
    rowOf = (query) => {
      scorer.score(query, row.values);
      return row;
    };
  }
  return {
    rank: (query, held) => ranker.rank(rowOf(query), held, query),
    top: (query, k) => ranker.top(rowOf(query), k, query),
  };
}

/**
 * Both tasks of the protocol for one model. basket: every (B, h), query B − h, rank of h among the
 * train items not in the query. anchor: query = the basket's anchor, the rest are targets.
 * `progress` hears the number of queries done (of `evalQueries(split)`).
 */
export function evaluate(
  scorer: QueryScorer,
  split: Split,
  skus: readonly string[],
  k: number,
  progress?: Pick<Progress, "update">,
): TaskMetrics {
  const ranker = rankerFor(scorer, split, skus.length);
  let done = 0;
  // Every 512 queries: often enough for a live ETA, rare enough to cost nothing.
  const tick = () => {
    if (++done % 512 === 0) progress?.update(done);
  };
  const basket = { hr: 0, ndcg: 0, mrr: 0, n: 0 };
  const add = (rank: number) => {
    basket.hr += hitAt(rank, k);
    basket.ndcg += ndcgAt(rank, k);
    basket.mrr += reciprocalRank(rank);
    basket.n++;
    tick();
  };
  const { additive } = scorer;
  if (additive && !scorer.fixed) {
    // Sums of per-item rows: a basket's B − h queries share their rows (leaveOneOut.ts).
    const rows = leaveOneOutRows(additive, skus.length);
    const sparseRanker = new SparseRanker(knownItems(split, skus.length));
    for (const items of split.testBaskets) {
      rows(items, (held, row) => add(sparseRanker.rank(row, held, items)));
    }
  } else {
    for (const items of split.testBaskets) {
      for (const held of items)
        add(
          ranker.rank(
            items.filter((i) => i !== held),
            held,
          ),
        );
    }
  }
  const anchor = { hr: 0, recall: 0, ndcg: 0, n: 0 };
  for (const items of split.testBaskets) {
    const a = anchorOf(items, skus);
    const m = anchorMetrics(ranker.top([a], k), new Set(items.filter((i) => i !== a)), k);
    anchor.hr += m.hit;
    anchor.recall += m.recall;
    anchor.ndcg += m.ndcg;
    anchor.n++;
    tick();
  }
  progress?.update(done);
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
