import { describe, expect, it } from "vitest";
import { runEval } from "../../trainer/eval/runEval.js";
import { TRAIN_DEFAULTS } from "../../trainer/train.js";
import { quiet, tempFile } from "./helpers.js";

/**
 * A shop with planted structure: 30 products in 6 kits of 5; each basket is most of one kit plus a
 * popular product. Any model that learns co-purchase must beat popularity here.
 */
function plantedOrders(): { orders: string; catalog: string } {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const lines = ["order_id,timestamp,product_id"];
  for (let o = 0; o < 600; o++) {
    const day = String(1 + Math.floor((o / 600) * 28)).padStart(2, "0");
    const kit = Math.floor(random() * 6);
    const items = new Set<number>([29]);
    for (let i = 0; i < 5; i++) if (random() < 0.7) items.add(kit * 5 + i);
    for (const item of items) lines.push(`o${o},2024-02-${day}T10:00:00,P${item}`);
  }
  const catalog = ["product_id,title,price", ...Array.from({ length: 30 }, (_, i) => `P${i},product ${i},${10 + i}`)];
  return { orders: lines.join("\n"), catalog: catalog.join("\n") };
}

describe("sidecart eval on a planted data set", () => {
  it("reports every model in the documented shape, and the served model beats popularity", async () => {
    const data = plantedOrders();
    const result = await runEval({
      ...TRAIN_DEFAULTS,
      orders: await tempFile("orders.csv", data.orders),
      catalog: await tempFile("catalog.csv", data.catalog),
      cut: "2024-02-22",
      k: 10,
      baselines: "all",
      reporter: quiet,
    });
    expect(result.cut).toBe("2024-02-22");
    expect(result.items).toBe(30);
    expect(result.test_baskets).toBeGreaterThan(50);
    expect(Object.keys(result.models).sort()).toEqual(["co-count", "cosine", "ease", "popularity", "sidecart"]);
    for (const metrics of Object.values(result.models)) {
      expect(Object.keys(metrics.basket).sort()).toEqual(["HR@10", "MRR", "NDCG@10", "queries"].sort());
      expect(Object.keys(metrics.anchor).sort()).toEqual(["HR@10", "NDCG@10", "Recall@10", "queries"].sort());
    }
    const { sidecart, popularity } = result.models;
    expect(sidecart?.basket.MRR ?? 0).toBeGreaterThan(popularity?.basket.MRR ?? 1);
    expect(sidecart?.anchor["NDCG@10"] ?? 0).toBeGreaterThan(popularity?.anchor["NDCG@10"] ?? 1);
    expect(result.sidecart.rules.share).toBe(1);
    expect(result.baselineEase?.lambda).toBeGreaterThan(0);
  });
});
