import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { NO_PRICE, type CatalogRows } from "../models/catalog.js";
import type { ScoringTables } from "../models/scoringTables.js";
import { readCatalog, type CatalogEntry } from "./ingest/catalog.js";
import { readOrders, type IngestReport } from "./ingest/orders.js";
import { countCoPurchases } from "./learn/coPurchase.js";
import { learnEmbeddings } from "./learn/embeddings.js";
import { topNeighbours } from "./learn/neighbours.js";
import { quantizeRows } from "./learn/quantize.js";
import { currencyExponent } from "./currency.js";
import type { Reporter } from "./progress.js";

export interface TrainOptions {
  orders: string;
  catalog: string;
  currency: string;
  dimension: number;
  neighbours: number;
  minSupport: number;
  maxBasket: number;
  addonSlots: number;
  addonPriceRatio: number;
  embeddingWeight: number;
  maxRejectRate: number;
  seed: number;
  reporter: Reporter;
}

export interface TrainedModel {
  tables: ScoringTables;
  catalog: CatalogRows;
  window: { from: string; to: string };
  dataFingerprint: string;
  report: IngestReport;
  stats: Record<string, number>;
}

async function fingerprint(paths: readonly string[]): Promise<string> {
  const hash = createHash("sha256");
  for (const path of paths) {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

function catalogPrices(skus: readonly string[], entries: Map<string, CatalogEntry>, exponent: number): Int32Array {
  const prices = new Int32Array(skus.length).fill(NO_PRICE);
  skus.forEach((sku, i) => {
    const price = entries.get(sku)?.price;
    if (price != null) prices[i] = Math.round(price * 10 ** exponent);
  });
  return prices;
}

/** Reads the inputs and learns everything the exported model holds. */
export async function train(options: TrainOptions): Promise<TrainedModel> {
  const { reporter } = options;
  const exponent = currencyExponent(options.currency);
  const catalogEntries = await readCatalog(options.catalog);
  reporter.info(`catalog: ${catalogEntries.size} products`);
  const baskets = await readOrders(options.orders, { maxRejectRate: options.maxRejectRate, reporter });
  const n = baskets.skus.length;

  const counting = reporter.step("counting co-purchases", 1, "steps");
  const co = countCoPurchases(baskets, { maxBasket: options.maxBasket });
  counting.done(
    `${co.cols.length / 2} item pairs from ${co.basketsCounted} baskets (${co.basketsOverCap} over the ${options.maxBasket}-item cap)`,
  );

  const prices = catalogPrices(baskets.skus, catalogEntries, exponent);
  const neighbourStep = reporter.step("neighbour lists", 1, "steps");
  const lists = topNeighbours(co, {
    neighbours: options.neighbours,
    minSupport: options.minSupport,
    prices,
    addonSlots: options.addonSlots,
    addonPriceRatio: options.addonPriceRatio,
  });
  const neighbourQ = quantizeRows(lists.weights, n, options.neighbours);
  neighbourStep.done(
    `${(100 * lists.coverage).toFixed(1)}% of items have neighbours with support ≥ ${options.minSupport}`,
  );

  const embeddingStep = reporter.step("embeddings (SPPMI+SVD)", 1, "steps");
  const embeddings = learnEmbeddings(co, {
    dimension: options.dimension,
    shift: 1,
    powerIterations: 4,
    seed: options.seed,
  });
  const embeddingQ = quantizeRows(embeddings, n, options.dimension);
  embeddingStep.done(`${n} × ${options.dimension}, int8`);

  let withoutCatalogRow = 0;
  const available = new Uint8Array(n);
  const titles: string[] = [];
  const categories: string[] = [];
  const families: string[] = [];
  const brands: string[] = [];
  baskets.skus.forEach((sku, i) => {
    const entry = catalogEntries.get(sku);
    if (!entry) withoutCatalogRow++;
    titles.push(entry?.title ?? "");
    categories.push(entry?.category ?? "");
    families.push(entry?.family ?? "");
    brands.push(entry?.brand ?? "");
    available[i] = entry === undefined || entry.available ? 1 : 0;
  });
  const sold = new Set(baskets.skus);
  const neverSold = [...catalogEntries.keys()].filter((sku) => !sold.has(sku)).length;

  const window = baskets.window
    ? { from: new Date(baskets.window.from).toISOString(), to: new Date(baskets.window.to).toISOString() }
    : { from: new Date(0).toISOString(), to: new Date(0).toISOString() };

  return {
    tables: {
      itemCount: n,
      neighbours: options.neighbours,
      dimension: options.dimension,
      neighbourItems: lists.items,
      neighbourWeights: neighbourQ.q,
      neighbourScales: neighbourQ.scales,
      embeddings: embeddingQ.q,
      embeddingScales: embeddingQ.scales,
      embeddingWeight: options.embeddingWeight,
    },
    catalog: {
      currency: options.currency,
      currencyExponent: exponent,
      skus: baskets.skus,
      titles,
      prices,
      categories,
      families,
      brands,
      available,
    },
    window,
    dataFingerprint: await fingerprint([options.orders, options.catalog]),
    report: baskets.report,
    stats: {
      rowsRead: baskets.report.rowsRead,
      rowsAccepted: baskets.report.rowsAccepted,
      orders: baskets.report.orders,
      items: n,
      itemPairs: co.cols.length / 2,
      basketsCounted: co.basketsCounted,
      basketsOverCap: co.basketsOverCap,
      neighbourCoverage: lists.coverage,
      productsWithoutCatalogRow: withoutCatalogRow,
      catalogRowsNeverSold: neverSold,
    },
  };
}
