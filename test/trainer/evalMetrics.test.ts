import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anchorMetrics, hitAt, ndcgAt, rankOf, reciprocalRank, topK } from "../../trainer/eval/metrics.js";
import { splitAt } from "../../trainer/eval/split.js";
import { anchorOf } from "../../trainer/eval/evaluate.js";
import { readOrders } from "../../trainer/ingest/orders.js";
import { countCoPurchases, pairCount } from "../../trainer/learn/coPurchase.js";
import { qualityGate } from "../../trainer/publish/qualityGate.js";
import { coCount, cosine, ease, popularity } from "../../trainer/eval/scorers.js";
import { SparseRanker, StaticRanking, type SparseRow } from "../../trainer/eval/sparseRank.js";
import { leaveOneOutRows } from "../../trainer/eval/leaveOneOut.js";
import type { CoPurchase } from "../../trainer/learn/coPurchase.js";
import { quiet, tempFile } from "./helpers.js";

describe("ranking metrics, by hand", () => {
  const scores = Float64Array.from([0.9, 0.5, 0.7, 0.5, 0.1]);
  it("ranks a target among the items not excluded, ties by index", () => {
    expect(rankOf(scores, 2, new Set())).toBe(1); // only item 0 is higher
    expect(rankOf(scores, 2, new Set([0]))).toBe(0); // item 0 is in the query
    expect(rankOf(scores, 3, new Set())).toBe(3); // 0, 2, and 1 (same score, lower index)
    expect(rankOf(scores, 1, new Set())).toBe(2);
  });
  it("HR, NDCG and reciprocal rank from a rank", () => {
    expect([hitAt(0, 10), hitAt(9, 10), hitAt(10, 10)]).toEqual([1, 1, 0]);
    expect(ndcgAt(0, 10)).toBe(1);
    expect(ndcgAt(2, 10)).toBeCloseTo(0.5, 10); // 1 / log2(4)
    expect(ndcgAt(10, 10)).toBe(0);
    expect(reciprocalRank(3)).toBe(0.25);
  });
  it("takes the top k outside the excluded items, never -Infinity", () => {
    expect(topK(scores, 3, new Set([0]))).toEqual([2, 1, 3]);
    expect(topK(Float64Array.from([Number.NEGATIVE_INFINITY, 1]), 5, new Set())).toEqual([1]);
  });
  it("anchor task: HR, Recall over min(k, |targets|), binary NDCG", () => {
    const m = anchorMetrics([5, 7, 9], new Set([7, 8]), 10);
    expect(m.hit).toBe(1);
    expect(m.recall).toBe(0.5);
    expect(m.ndcg).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 10);
    expect(anchorMetrics([1, 2], new Set([3]), 10)).toEqual({ hit: 0, recall: 0, ndcg: 0 });
  });
  it("the anchor is the product whose id sorts first", () => {
    expect(anchorOf([2, 0, 1], ["b", "c", "a"])).toBe(2);
  });
});

describe("time split", () => {
  const ORDERS = [
    "order_id,timestamp,product_id",
    "o1,2011-01-01T10:00:00,A",
    "o1,2011-01-01T10:00:00,B",
    "o2,2011-02-01T10:00:00,A",
    "o2,2011-02-01T10:00:00,C",
    // o3 starts before the cut (its earliest line decides) and is training data.
    "o3,2011-03-01T23:00:00,B",
    "o3,2011-03-02T01:00:00,C",
    "o4,2011-03-05T10:00:00,A",
    "o4,2011-03-05T10:00:00,B",
    "o4,2011-03-05T10:00:00,D",
    "o5,2011-03-06T10:00:00,A",
    "o5,2011-03-06T10:00:00,E",
  ].join("\n");

  it("never leaks a test basket into training, and keeps test baskets of ≥ 2 train-known items", async () => {
    const baskets = await readOrders(await tempFile("o.csv", ORDERS), { maxRejectRate: 0, reporter: quiet });
    const split = splitAt(baskets, Date.parse("2011-03-02T00:00:00Z"));
    const sku = (i: number) => baskets.skus[i];
    expect([...split.trainItems].map(sku).sort()).toEqual(["A", "B", "C"]);
    expect(split.testBaskets.map((b) => b.map(sku).sort())).toEqual([["A", "B"]]); // D unknown; o5 has one known item
    const co = countCoPurchases(baskets, { maxBasket: 100, include: split.isTrain });
    const [a, b, , d] = [0, 1, 2, 3].map((i) => baskets.skus.indexOf(["A", "B", "C", "D"][i] ?? ""));
    expect(pairCount(co, a ?? -1, b ?? -1)).toBe(1); // o1 only: o4 is a test basket
    expect(co.itemBaskets[d ?? -1]).toBe(0);
  });
});

describe("quality gate", () => {
  const live = { "basket.HR@10": 0.25, "anchor.HR@10": 0.6 };
  it("accepts an equal model, and one within the tolerance", () => {
    expect(qualityGate({ ...live }, live, 0.02)).toEqual({ pass: true, drops: [] });
    expect(qualityGate({ "basket.HR@10": 0.2451, "anchor.HR@10": 0.61 }, live, 0.02).pass).toBe(true);
  });
  it("refuses a worse model, naming every metric that dropped", () => {
    const result = qualityGate({ "basket.HR@10": 0.2, "anchor.HR@10": 0.61 }, live, 0.02);
    expect(result.pass).toBe(false);
    expect(result.drops).toEqual(["basket.HR@10 0.2500 → 0.2000 (-20.0%)"]);
  });
  it("lets the first model through", () => {
    expect(qualityGate({ "basket.HR@10": 0.1 }, undefined, 0.02).pass).toBe(true);
  });
});

describe("sparse ranking = the dense definition (rankOf, topK), ties included", () => {
  const NEG = Number.NEGATIVE_INFINITY;
  // Few distinct values so that ties are common, among touched items and with the untouched fill.
  const value = fc.constantFrom(0, 1, 1, 2, 2.5, -1, NEG);
  const sparseCase = fc.integer({ min: 1, max: 24 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      known: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      fill: fc.constantFrom(0, NEG),
      touched: fc.uniqueArray(fc.nat(n - 1), { maxLength: n }),
      values: fc.array(value, { minLength: n, maxLength: n }),
      target: fc.nat(n - 1),
      excluded: fc.array(fc.nat(n - 1), { maxLength: 6 }),
      k: fc.integer({ min: 1, max: 12 }),
    }),
  );
  /** The dense array evaluate used to build: fill, the touched scores, -Infinity for unknown items. */
  const dense = (c: { n: number; known: boolean[]; fill: number; touched: number[]; values: number[] }) => {
    const scores = new Float64Array(c.n).fill(c.fill);
    c.touched.forEach((i, t) => (scores[i] = c.values[t] ?? 0));
    c.known.forEach((known, i) => {
      if (!known) scores[i] = NEG;
    });
    return scores;
  };
  const row = (c: { fill: number; touched: number[]; values: number[] }): SparseRow => ({
    items: Int32Array.from(c.touched),
    values: Float64Array.from(c.touched, (_, t) => c.values[t] ?? 0),
    count: c.touched.length,
    fill: c.fill,
  });

  it("rank and top of a sparse row", () => {
    fc.assert(
      fc.property(sparseCase, (c) => {
        const ranker = new SparseRanker(Uint8Array.from(c.known, (k) => (k ? 1 : 0)));
        const scores = dense(c);
        const excluded = new Set(c.excluded);
        expect(ranker.rank(row(c), c.target, c.excluded)).toBe(rankOf(scores, c.target, excluded));
        expect(ranker.top(row(c), c.k, c.excluded)).toEqual(topK(scores, c.k, excluded));
        // The same scores as a dense row (leaveOneOut's float sums): every item listed, fill for the rest.
        const all = new Float64Array(c.n).fill(c.fill);
        c.touched.forEach((i, t) => (all[i] = c.values[t] ?? 0));
        const denseRow = {
          items: Int32Array.from(all, (_, i) => i),
          values: all,
          count: c.n,
          fill: c.fill,
          dense: true,
        };
        expect(ranker.rank(denseRow, c.target, c.excluded)).toBe(rankOf(scores, c.target, excluded));
        expect(ranker.top(denseRow, c.k, c.excluded)).toEqual(topK(scores, c.k, excluded));
      }),
      { numRuns: 3000 },
    );
  });

  it("rank and top of query-independent scores (popularity)", () => {
    fc.assert(
      fc.property(sparseCase, (c) => {
        const scores = dense(c);
        const ranking = new StaticRanking(scores);
        const excluded = new Set(c.excluded);
        expect(ranking.rank(c.target, c.excluded)).toBe(rankOf(scores, c.target, excluded));
        expect(ranking.top(c.k, c.excluded)).toEqual(topK(scores, c.k, excluded));
      }),
      { numRuns: 3000 },
    );
  });

  it("by hand: equal scores, untouched zeros and -Infinity all order by index", () => {
    // Items 0..5; 1 and 4 touched with 0 (tied with the untouched zeros); 5 unknown (-Infinity).
    const ranker = new SparseRanker(Uint8Array.from([1, 1, 1, 1, 1, 0]));
    const r: SparseRow = { items: Int32Array.from([4, 1, 3]), values: Float64Array.from([0, 0, 2]), count: 3, fill: 0 };
    expect(ranker.rank(r, 4, [])).toBe(4); // 3 (score 2), then 0, 1, 2 (score 0, lower index)
    expect(ranker.rank(r, 4, [0])).toBe(3);
    expect(ranker.rank(r, 5, [])).toBe(5); // unknown: behind every known item
    expect(ranker.top(r, 4, [1])).toEqual([3, 0, 2, 4]);
  });

  it("co-count and cosine rows hold the dense sums, bit for bit", () => {
    // Random symmetric co-counts over n items, in CSR form with ascending columns.
    const coCase = fc.integer({ min: 2, max: 12 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        pairs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 5 })), { maxLength: 30 }),
        query: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 4 }),
      }),
    );
    fc.assert(
      fc.property(coCase, ({ n, pairs, query }) => {
        const counts = new Map<number, number>();
        for (const [i, j, c] of pairs) {
          if (i === j) continue;
          counts.set(i * n + j, c);
          counts.set(j * n + i, c);
        }
        const keys = [...counts.keys()].sort((a, b) => a - b);
        const rowStart = new Int32Array(n + 1);
        for (const key of keys) {
          const at = Math.floor(key / n) + 1;
          rowStart[at] = (rowStart[at] ?? 0) + 1;
        }
        for (let i = 0; i < n; i++) rowStart[i + 1] = (rowStart[i + 1] ?? 0) + (rowStart[i] ?? 0);
        const co: CoPurchase = {
          itemCount: n,
          itemBaskets: Int32Array.from({ length: n }, (_, i) => i + 1),
          rowStart,
          cols: Int32Array.from(keys, (key) => key % n),
          counts: Int32Array.from(keys, (key) => counts.get(key) ?? 0),
          basketsCounted: 0,
          basketsOverCap: 0,
        };
        const norm = (i: number) => 1 / Math.sqrt(i + 1);
        // The dense loops the sparse scorers replaced.
        const reference = (weight: (i: number, j: number, c: number) => number) => {
          const out = new Float64Array(n);
          for (const i of query) {
            for (let p = rowStart[i] ?? 0; p < (rowStart[i + 1] ?? 0); p++) {
              const j = co.cols[p] ?? 0;
              out[j] = (out[j] ?? 0) + weight(i, j, co.counts[p] ?? 0);
            }
          }
          return out;
        };
        const scores = new Float64Array(n);
        coCount(co).score(query, scores);
        expect(scores).toEqual(reference((_i, _j, c) => c));
        cosine(co).score(query, scores);
        expect(scores).toEqual(reference((i, j, c) => c * norm(i) * norm(j)));
        popularity(co).score(query, scores);
        expect(scores).toEqual(Float64Array.from(co.itemBaskets));
        // The basket task's shared rows: every B − h equals that query scored afresh, bit for bit.
        // Dense EASE over a subset (items outside it score -Infinity): random weights, rows dense.
        const fitted = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
        const weights = Float64Array.from({ length: fitted.length ** 2 }, (_, t) => Math.sin(t * 12.9898) * 0.37);
        for (const scorer of [coCount(co), cosine(co), ease("ease", { items: fitted, weights }, n)]) {
          const additive = scorer.additive;
          if (!additive) throw new Error(`${scorer.name} has additive rows`);
          leaveOneOutRows(additive, n)(query, (held, row) => {
            const shared = new Float64Array(n).fill(row.fill);
            for (let t = 0; t < row.count; t++) shared[row.items[t] ?? 0] = row.values[t] ?? 0;
            scorer.score(
              query.filter((i) => i !== held),
              scores,
            );
            expect(shared).toEqual(scores);
          });
        }
      }),
      { numRuns: 500 },
    );
  });
});
