import { describe, expect, it } from "vitest";
import { anchorMetrics, hitAt, ndcgAt, rankOf, reciprocalRank, topK } from "../../trainer/eval/metrics.js";
import { splitAt } from "../../trainer/eval/split.js";
import { anchorOf } from "../../trainer/eval/evaluate.js";
import { readOrders } from "../../trainer/ingest/orders.js";
import { countCoPurchases, pairCount } from "../../trainer/learn/coPurchase.js";
import { qualityGate } from "../../trainer/publish/qualityGate.js";
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
