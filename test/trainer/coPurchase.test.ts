import { describe, expect, it } from "vitest";
import { readOrders } from "../../trainer/ingest/orders.js";
import { countCoPurchases, pairCount } from "../../trainer/learn/coPurchase.js";
import { topNeighbours } from "../../trainer/learn/neighbours.js";
import { isRelevantPair } from "../../models/rules/relevance.js";
import { quiet, tempFile } from "./helpers.js";

const ORDERS = `order_id,customer_id,timestamp,product_id,quantity
o1,c1,2011-01-01T10:00:00,A,1
o1,c1,2011-01-01T10:00:00,B,2
o1,c1,2011-01-01T10:00:00,C,1
o1,c1,2011-01-01T10:00:00,A,3
o2,c2,2011-01-02 09:00:00,A,1
o2,c2,2011-01-02 09:00:00,B,1
o3,,1293962400,B,1
o3,,1293962400,C,1
o4,c3,2011-01-04T08:00:00Z,D,1
`;

describe("co-purchase counting", () => {
  it("counts each pair once per basket of distinct items", async () => {
    const baskets = await readOrders(await tempFile("orders.csv", ORDERS), { maxRejectRate: 0, reporter: quiet });
    expect(baskets.skus).toEqual(["A", "B", "C", "D"]);
    expect(baskets.report).toMatchObject({ rowsRead: 9, rowsAccepted: 9, orders: 4, productsSold: 4 });
    const co = countCoPurchases(baskets, { maxBasket: 100 });
    const [a, b, c, d] = [0, 1, 2, 3];
    expect(pairCount(co, a, b)).toBe(2); // o1 and o2; the repeated A line in o1 counts once
    expect(pairCount(co, b, a)).toBe(2); // symmetric
    expect(pairCount(co, a, c)).toBe(1);
    expect(pairCount(co, b, c)).toBe(2);
    expect(pairCount(co, a, d)).toBe(0);
    expect(Array.from(co.itemBaskets)).toEqual([2, 3, 2, 1]);
    expect(co.basketsCounted).toBe(3);
  });

  it("reads the training window from ISO, space-separated and epoch timestamps alike", async () => {
    const baskets = await readOrders(await tempFile("orders.csv.gz", ORDERS), { maxRejectRate: 0, reporter: quiet });
    expect(baskets.window).toEqual({
      from: Date.parse("2011-01-01T10:00:00Z"),
      to: Date.parse("2011-01-04T08:00:00Z"),
    });
  });

  it("skips the pairs of baskets over the size cap", async () => {
    const baskets = await readOrders(await tempFile("orders.csv", ORDERS), { maxRejectRate: 0, reporter: quiet });
    const co = countCoPurchases(baskets, { maxBasket: 2 });
    expect(co.basketsOverCap).toBe(1);
    expect(pairCount(co, 0, 2)).toBe(0);
    expect(pairCount(co, 0, 1)).toBe(1);
  });

  it("keeps neighbours above the support floor, strongest first, and reserves add-on slots", async () => {
    const lines = ["order_id,product_id"];
    // A is bought with B in 6 baskets, with cheap C in 5, with D in 2 (under the floor of 3).
    for (let i = 0; i < 6; i++) lines.push(`x${i},A`, `x${i},B`);
    for (let i = 0; i < 5; i++) lines.push(`y${i},A`, `y${i},C`);
    for (let i = 0; i < 2; i++) lines.push(`z${i},A`, `z${i},D`);
    const baskets = await readOrders(await tempFile("o.csv", lines.join("\n")), { maxRejectRate: 0, reporter: quiet });
    const co = countCoPurchases(baskets, { maxBasket: 10 });
    const prices = Int32Array.from([1000, 900, 100, 50]); // A, B, C (cheap), D
    const top = (neighbours: number, addonSlots: number) =>
      topNeighbours(co, {
        neighbours,
        minSupport: 3,
        prices,
        addonSlots,
        addonPriceRatio: 0.5,
        totalBaskets: 100,
        weightedSlots: 10,
      });
    const plain = top(1, 0);
    expect(plain.items[0]).toBe(1); // B: the strongest
    expect(plain.weights[0]).toBeCloseTo(6 / 13);
    const withAddon = top(1, 1);
    expect(withAddon.items[0]).toBe(2); // C: the strongest neighbour cheap enough to be an add-on
    const wide = top(4, 1);
    expect(Array.from(wide.items.subarray(0, 4))).toEqual([1, 2, 0, 0]); // D under the floor; empty slots = self
    expect(Array.from(wide.support.subarray(0, 4))).toEqual([6, 5, 0, 0]);
  });
});

describe("basket-size weighting", () => {
  const orders = (baskets: readonly (readonly string[])[]) =>
    ["order_id,product_id", ...baskets.flatMap((items, b) => items.map((sku) => `o${b},${sku}`)), ""].join("\n");
  const fillers = Array.from({ length: 698 }, (_, i) => `F${i}`);

  it("a 700-item basket moves a pair's weight less than a 3-item basket, and its count as much", async () => {
    // A and B meet in a basket of 3, C and D in a wholesale order of 700.
    const text = orders([
      ["A", "B", "X"],
      ["C", "D", ...fillers],
    ]);
    const baskets = await readOrders(await tempFile("orders.csv", text), { maxRejectRate: 0, reporter: quiet });
    const co = countCoPurchases(baskets, { maxBasket: 1000 });
    const at = (i: string, j: string) => {
      const [a, b] = [baskets.skus.indexOf(i), baskets.skus.indexOf(j)];
      for (let p = co.rowStart[a] ?? 0; p < (co.rowStart[a + 1] ?? 0); p++)
        if (co.cols[p] === b) return { count: co.counts[p], weight: co.weighted?.[p] ?? Number.NaN };
      return null;
    };
    const small = at("A", "B");
    const big = at("C", "D");
    expect(small?.count).toBe(1);
    expect(big?.count).toBe(1);
    // 1 / log2(4) against 1 / log2(701): 4.7 times the weight.
    expect((small?.weight ?? 0) / (big?.weight ?? 1)).toBeCloseTo(Math.log2(701) / Math.log2(4), 5);
    // Weights are scaled so an average line weighs 1: 703 lines in all.
    const lines = 3 * (small?.weight ?? 0) + 700 * (big?.weight ?? 0);
    expect(lines).toBeCloseTo(703, 3);
  });

  it("a pair seen only in wholesale orders is not worth the floor; the same count in small baskets is", () => {
    const knobs = { minSupport: 5, minWorth: 5, minLift: 1, pairPValue: 1, categoryPValue: 1 };
    const pair = { support: 7, confidence: 0.7, lift: 50 };
    expect(isRelevantPair({ ...pair, worth: 7 * 0.5 }, knobs)).toBe(false);
    expect(isRelevantPair({ ...pair, worth: 7 * 1.2 }, knobs)).toBe(true);
    expect(isRelevantPair(pair, knobs)).toBe(true); // a model without weights: real baskets only
  });
});
