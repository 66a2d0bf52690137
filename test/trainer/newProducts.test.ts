import { describe, expect, it } from "vitest";
import { Catalog, encodeCatalog } from "../../models/catalog.js";
import { DEFAULT_RULES } from "../../models/config/rulesConfig.js";
import { encodeEvidence, Evidence } from "../../models/evidence.js";
import { LadderIndex } from "../../models/rules/ladder.js";
import { alsoBought as alsoBoughtPlan, answer } from "../../models/surfaces.js";
import { served } from "../../trainer/eval/scorers.js";
import { TRAIN_DEFAULTS, train } from "../../trainer/train.js";
import { quiet, tempFile } from "./helpers.js";

/**
 * A small shop: phones are bought with cases, cases with screen protectors, and the rest of the
 * baskets are mugs with coasters. CASE-NEW is in the catalog but has never sold.
 */
const CATALOG = [
  "product_id,title,price,category_l1,category_l2",
  ...["PHONE-1", "PHONE-2", "PHONE-3"].map((p) => `${p},Phone ${p.slice(-1)},500,Electronics,Phones`),
  "CASE-OLD,Phone case,20,Electronics,Cases",
  "CASE-NEW,Phone case (new),15,Electronics,Cases",
  "GLASS-1,Screen protector,3,Electronics,Screen protectors",
  "MUG-1,Mug,8,Home,Mugs",
  "COASTER-1,Coaster,2,Home,Coasters",
].join("\n");

/** An orders CSV: each [n, ...skus] is n orders of those SKUs, one order a basket, dated across October. */
function ordersCsv(baskets: readonly (readonly [number, ...string[]])[]): string {
  const lines = ["order_id,product_id,quantity,timestamp"];
  let order = 0;
  for (const [times, ...skus] of baskets) {
    for (let i = 0; i < times; i++) {
      order++;
      for (const sku of skus) lines.push(`${order},${sku},1,2026-10-${String(1 + (order % 28)).padStart(2, "0")}`);
    }
  }
  return lines.join("\n");
}

const ORDERS = ordersCsv([
  [10, "PHONE-1", "CASE-OLD"],
  [10, "PHONE-2", "CASE-OLD"],
  [10, "CASE-OLD", "GLASS-1"],
  [40, "MUG-1", "COASTER-1"],
  [10, "PHONE-3", "MUG-1"],
]);

/** Trains on a hand-written shop and decodes the catalog and evidence as the worker would. */
async function trainShop(orders: string, catalogCsv: string, currency: string) {
  const trained = await train({
    ...TRAIN_DEFAULTS,
    orders: await tempFile("orders.csv", orders),
    catalog: await tempFile("catalog.csv", catalogCsv),
    currency,
    reporter: quiet,
  });
  const catalog = new Catalog(encodeCatalog(trained.catalog));
  return { trained, catalog, evidence: new Evidence(encodeEvidence(trained.evidence), catalog.size) };
}

/** The also-bought answer for one anchor with the default rules and their fallback levels. */
function crossSellsFor(
  shop: { catalog: Catalog; evidence: Evidence },
  anchor: number,
  candidates: { items: number[]; scores: number[] },
) {
  const plan = alsoBoughtPlan(
    { ...shop, ladders: new LadderIndex(shop.catalog) },
    { anchor, rules: DEFAULT_RULES.crossSell, exclude: new Set(), limit: 6 },
  );
  return answer(plan, { score: () => ({ ...candidates, similarity: [] }) }).items;
}

describe("new and rarely sold products: the category level", () => {
  it("answers a never-sold product from its category, and suggests it to others the day after it is added", async () => {
    const shop = await trainShop(ORDERS, CATALOG, "USD");
    const { trained, catalog, evidence } = shop;
    expect(evidence.hasCategoryLevel).toBe(true);
    const scorer = served("sidecart", trained.tables);
    const alsoBought = (sku: string) => {
      const anchor = catalog.indexOf(sku);
      if (anchor === undefined) throw new Error(`${sku} is not in the catalog`);
      const scores = new Float64Array(catalog.size);
      scorer.score([anchor], scores);
      const items = Array.from(scores.keys()).filter((i) => scores[i] !== Number.NEGATIVE_INFINITY);
      return crossSellsFor(shop, anchor, { items, scores: items.map((i) => scores[i] ?? 0) }).map((item) => ({
        sku: catalog.sku.get(item.index),
        source: item.source,
        evidence: item.evidence,
      }));
    };

    // Never sold: no pair of its own, so its category's complements (Cases → Screen protectors) answer.
    const forNew = alsoBought("CASE-NEW");
    expect(forNew.map((i) => [i.sku, i.source])).toEqual([["GLASS-1", "category"]]);
    expect(forNew[0]?.evidence).toMatchObject({ support: 10 });

    // PHONE-3 was only ever bought with a mug: Phones → Cases brings the best seller, then the new case.
    const forPhone = alsoBought("PHONE-3");
    expect(forPhone.filter((i) => i.source === "category").map((i) => i.sku)).toEqual(["CASE-OLD", "CASE-NEW"]);
  }, 60_000);
});

describe("new products where the catalog has no categories: variants and lookalikes", () => {
  // Online Retail-style titles, no categories. WRAP CHRISTMAS VILLAGE sells with gift tags and ribbons;
  // PINK REGENCY TEACUP sells with the cakestand. Two products are added and never sold: a new wrap and
  // a new colour of the teacup.
  const catalog = [
    "product_id,title,price",
    "WRAP-VILLAGE,WRAP CHRISTMAS VILLAGE,0.42",
    "WRAP-50S,WRAP 50'S CHRISTMAS,0.42",
    "TAG,CHRISTMAS GIFT TAG,0.10",
    "RIBBON,RIBBON REEL STRIPES,0.12",
    "TEACUP-PINK,PINK REGENCY TEACUP AND SAUCER,2.95",
    "TEACUP-ROSES,ROSES REGENCY TEACUP AND SAUCER,2.95",
    "SPOON,TEA SPOON SET,0.85",
    "MUG,HOME SWEET HOME MUG,1.25",
    "COASTER,HOME SWEET HOME COASTER,0.29",
  ].join("\n");
  const shopOrders = ordersCsv([
    [12, "WRAP-VILLAGE", "TAG", "RIBBON"],
    [12, "TEACUP-PINK", "SPOON"],
    [30, "MUG", "COASTER"],
  ]);

  it("answers a never-sold product from what its variants or lookalikes are bought with, saying which", async () => {
    const trainedShop = await trainShop(shopOrders, catalog, "GBP");
    const shop = trainedShop.catalog;
    expect(trainedShop.evidence.hasCategoryLevel).toBe(false);
    const alsoBought = (sku: string) => {
      const anchor = shop.indexOf(sku);
      if (anchor === undefined) throw new Error(`${sku} is not in the catalog`);
      return crossSellsFor(trainedShop, anchor, { items: [], scores: [] }).map((item) => ({
        sku: shop.sku.get(item.index),
        source: item.source,
        via: item.evidence.via === undefined ? undefined : shop.sku.get(item.evidence.via),
        relation: item.evidence.viaRelation,
      }));
    };
    expect(alsoBought("WRAP-50S")).toEqual([
      { sku: "TAG", source: "graph", via: "WRAP-VILLAGE", relation: "lookalike" },
      { sku: "RIBBON", source: "graph", via: "WRAP-VILLAGE", relation: "lookalike" },
    ]);
    expect(alsoBought("TEACUP-ROSES")).toEqual([
      { sku: "SPOON", source: "graph", via: "TEACUP-PINK", relation: "variant" },
    ]);
  }, 60_000);
});
