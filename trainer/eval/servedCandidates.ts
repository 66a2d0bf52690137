import type { ScoredCandidates } from "../../models/rules/crossSell.js";
import type { CandidateSource } from "../../models/surfaces.js";
import type { QueryScorer } from "./scorers.js";

/**
 * The graph's candidates for many queries in one flat table (CSR), best first with ties by index (the
 * order the rules rank them in, so their sort is a single pass): tens of thousands of basket queries
 * with hundreds of candidates each would otherwise be as many small arrays.
 */
export class CandidateTable {
  private readonly offsets: Int32Array;
  private readonly items: Int32Array;
  private readonly scores: Float64Array;

  constructor(
    scorer: QueryScorer,
    private readonly queries: readonly (readonly number[])[],
    itemCount: number,
  ) {
    const scratch = new Float64Array(itemCount);
    const offsets = new Int32Array(queries.length + 1);
    let items = new Int32Array(Math.max(1024, queries.length * 16));
    let scores = new Float64Array(items.length);
    let at = 0;
    const found: number[] = [];
    queries.forEach((query, q) => {
      scorer.score(query, scratch);
      found.length = 0;
      for (let i = 0; i < scratch.length; i++)
        if ((scratch[i] ?? Number.NEGATIVE_INFINITY) > Number.NEGATIVE_INFINITY) found.push(i);
      found.sort((a, b) => (scratch[b] ?? 0) - (scratch[a] ?? 0) || a - b);
      if (at + found.length > items.length) {
        const size = Math.max(items.length * 2, at + found.length);
        const biggerItems = new Int32Array(size);
        biggerItems.set(items.subarray(0, at));
        const biggerScores = new Float64Array(size);
        biggerScores.set(scores.subarray(0, at));
        items = biggerItems;
        scores = biggerScores;
      }
      for (const i of found) {
        items[at] = i;
        scores[at++] = scratch[i] ?? 0;
      }
      offsets[q + 1] = at;
    });
    this.offsets = offsets;
    this.items = items.slice(0, at);
    this.scores = scores.slice(0, at);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** Query q's candidates, as views (no copy). */
  at(q: number): ScoredCandidates {
    const from = this.offsets[q] ?? 0;
    const to = this.offsets[q + 1] ?? from;
    return { items: this.items.subarray(from, to), scores: this.scores.subarray(from, to) };
  }

  /**
   * Query q's candidates as the answer pipeline's source (models/surfaces.ts). It refuses a basket
   * other than the one the table scored, so the eval cannot quietly answer one question with another's
   * candidates. No similarities: the surfaces served from a table (also-bought, bundle, cart without
   * upgrades) ask for none.
   */
  source(q: number): CandidateSource {
    return {
      score: ({ basket, compare }) => {
        const scored = this.queries[q] ?? [];
        if (basket.length !== scored.length || basket.some((item, i) => item !== scored[i]) || compare.length > 0)
          throw new Error(`candidate table: query ${q} scored [${scored.join(",")}], asked [${basket.join(",")}]`);
        return { ...this.at(q), similarity: [] };
      },
    };
  }

  /** The best k candidates of query q outside `excluded` (the unconstrained answer). */
  top(q: number, k: number, excluded: ReadonlySet<number>): number[] {
    const out: number[] = [];
    for (let at = this.offsets[q] ?? 0; at < (this.offsets[q + 1] ?? 0) && out.length < k; at++) {
      const i = this.items[at] ?? -1;
      if (!excluded.has(i)) out.push(i);
    }
    return out;
  }
}
