import { UserError } from "../errors.js";
import type { Reporter } from "../progress.js";
import { readCatalog, type CatalogEntry, type CatalogFile } from "./catalog.js";
import { NO_MAP, type ColumnMap } from "./columnMap.js";
import { requireProducts, requireSales, requireSharedProducts } from "./emptyInputs.js";
import { expandInputs } from "./inputFiles.js";
import { countCoPurchases, type CoPurchase } from "../learn/coPurchase.js";
import { noOrders, readOrders, type Baskets, type IngestReport } from "./orders.js";
import { readPairCounts } from "./pairCounts.js";

export interface InputOptions {
  /** Order lines: a path or a glob; null for a catalog-only model. */
  orders: string | null;
  /** The catalog: a path; null to derive it from the order lines (title and unit_price columns). */
  catalog: string | null;
  map?: ColumnMap;
  excludeCategories: readonly string[];
  maxRejectRate: number;
  reporter: Reporter;
  /** Keep each basket item's quantity and unit price (the eval's revenue). */
  lineValues?: boolean;
}

export interface Inputs {
  entries: Map<string, CatalogEntry>;
  baskets: Baskets;
  /** Every file read, in order (for the data fingerprint). */
  files: string[];
  catalogSource: "file" | "orders" | "none";
}

function derivedEntries(baskets: Baskets): Map<string, CatalogEntry> {
  const entries = new Map<string, CatalogEntry>();
  baskets.skus.forEach((sku, i) => {
    const price = baskets.lineFacts.latestPrice[i] ?? Number.NaN;
    entries.set(sku, {
      title: baskets.lineFacts.titles[i] ?? "",
      price: Number.isNaN(price) ? null : price,
      category: "",
      family: "",
      brand: "",
      size: "",
      tier: null,
      available: true,
    });
  });
  return entries;
}

/** The catalog file, with a line saying what it held. */
async function readShopCatalog(path: string, options: InputOptions): Promise<CatalogFile> {
  const catalogFile = await readCatalog(path, {
    excludeCategories: options.excludeCategories,
    map: options.map ?? NO_MAP,
  });
  const { entries, excluded, optionalColumns } = catalogFile;
  options.reporter.info(
    `catalog: ${entries.size} products` +
      (excluded.size > 0 ? ` (${excluded.size} left out by --exclude-categories)` : "") +
      `; optional columns found: ${optionalColumns.join(", ") || "none"}`,
  );
  requireProducts(path, catalogFile);
  return catalogFile;
}

/**
 * The catalog and the orders, from whatever files and columns the shop has. Without a catalog file
 * the catalog comes from the order lines themselves (each product's first title and latest unit
 * price), as in a raw export like UCI's Online Retail.
 */
export async function readInputs(options: InputOptions): Promise<Inputs> {
  const { reporter, map = NO_MAP } = options;
  const orderFiles = options.orders === null ? [] : await expandInputs("orders", options.orders);
  const ordersLabel = options.orders ?? "--orders";
  if (options.catalog === null) {
    if (orderFiles.length === 0) throw new UserError("give --orders, --catalog or both");
    const baskets = await readOrders(orderFiles, {
      maxRejectRate: options.maxRejectRate,
      reporter,
      map,
      lineValues: options.lineValues,
    });
    requireSales(ordersLabel, baskets.report);
    const entries = derivedEntries(baskets);
    reporter.info(`catalog: ${entries.size} products derived from the order lines (no --catalog)`);
    return { entries, baskets, files: orderFiles, catalogSource: "orders" };
  }
  const catalogFile = await readShopCatalog(options.catalog, options);
  const entries = catalogFile.entries;
  const files = [...orderFiles, options.catalog];
  if (orderFiles.length === 0) {
    reporter.info("no orders: a catalog-only model (upgrades only, no co-purchase evidence)");
    return { entries, baskets: noOrders(entries.keys()), files, catalogSource: "file" };
  }
  const baskets = await readOrders(orderFiles, {
    maxRejectRate: options.maxRejectRate,
    reporter,
    map,
    knownSkus: entries.keys(),
    knownPrices: [...entries.values()].map((e) => e.price),
    skipSkus: catalogFile.excluded,
    lineValues: options.lineValues,
  });
  requireSales(ordersLabel, baskets.report);
  const sold = new Uint8Array(baskets.skus.length);
  for (const item of baskets.items) sold[item] = 1;
  requireSharedProducts(options.catalog, entries.size, ordersLabel, sold);
  return { entries, baskets, files, catalogSource: "file" };
}

export interface CountOptions extends InputOptions {
  /** Co-purchase counts computed elsewhere (trainer/sql/pairCounts.sql) instead of order lines. */
  pairCounts?: string | null;
  maxBasket: number;
  /** Weigh pairs by basket size (learn/coPurchase.ts); counts from --pair-counts carry no sizes. */
  basketWeights: boolean;
}

/** What learning needs: the products, their co-purchase counts and where they came from. */
export interface Counts {
  entries: Map<string, CatalogEntry>;
  skus: string[];
  co: CoPurchase;
  /** The baskets the counts came from; null with --pair-counts (there are none). */
  baskets: Baskets | null;
  totalBaskets: number;
  /** Epoch ms of the first and last order, null without timestamps. */
  window: { from: number; to: number } | null;
  report: IngestReport;
  files: string[];
  catalogSource: Inputs["catalogSource"];
}

/** Counts from order lines (counted here) or from a precomputed pair-count file. */
export async function readCounts(options: CountOptions): Promise<Counts> {
  const { reporter } = options;
  if (options.pairCounts) {
    if (options.orders !== null) throw new UserError("give --orders or --pair-counts, not both");
    if (options.catalog === null)
      throw new UserError("--pair-counts needs --catalog (there are no order lines to derive it from)");
    const catalogFile = await readShopCatalog(options.catalog, options);
    const counts = await readPairCounts(options.pairCounts, {
      reporter,
      maxRejectRate: options.maxRejectRate,
      map: options.map ?? NO_MAP,
      knownSkus: catalogFile.entries.keys(),
      skipSkus: catalogFile.excluded,
    });
    const { itemBaskets, rowStart } = counts.co;
    const sold = itemBaskets.map((n, i) => (n > 0 || (rowStart[i + 1] ?? 0) > (rowStart[i] ?? 0) ? 1 : 0));
    requireSharedProducts(options.catalog, catalogFile.entries.size, options.pairCounts, sold);
    return {
      entries: catalogFile.entries,
      ...counts,
      baskets: null,
      window: null,
      files: [options.pairCounts, options.catalog],
      catalogSource: "file",
    };
  }
  const { entries, baskets, files, catalogSource } = await readInputs(options);
  const counting = reporter.step("counting co-purchases", 1, "steps");
  const co = countCoPurchases(baskets, { maxBasket: options.maxBasket, weighBaskets: options.basketWeights });
  counting.done(
    `${co.cols.length / 2} item pairs from ${co.basketsCounted} baskets (${co.basketsOverCap} over the ${options.maxBasket}-item cap)`,
  );
  return {
    entries,
    skus: baskets.skus,
    co,
    baskets,
    totalBaskets: baskets.offsets.length - 1,
    window: baskets.window,
    report: baskets.report,
    files,
    catalogSource,
  };
}
