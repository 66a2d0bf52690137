import { rowStarts } from "../learn/rowStarts.js";
import type { Reporter } from "../progress.js";
import { NO_MAP, type ColumnMap } from "./columnMap.js";
import { Float64Slots, Int32List } from "./growable.js";
import { openRecords } from "./records.js";
import { RejectLedger, type ReasonSummary } from "./rejects.js";
import { parseTimestamp } from "./timestamps.js";

export interface Baskets {
  /** index → product id: the known products (the catalog) first, then others in order of appearance. */
  skus: string[];
  /** CSR: basket b holds items[offsets[b] .. offsets[b+1]), distinct, ascending. */
  offsets: Int32Array;
  items: Int32Array;
  /** Earliest line time per basket, epoch ms; NaN when the file has no timestamps. */
  times: Float64Array;
  window: { from: number; to: number } | null;
  /** What the lines say about each product, for a catalog derived from the orders (no --catalog). */
  lineFacts: LineFacts;
  /** Each basket item's quantity and unit price, when asked for (readOrders' `lineValues`). */
  lineValues?: LineValues;
  report: IngestReport;
}

/**
 * What each basket item cost in that basket, parallel to `items` (the eval's revenue captured). Kept
 * only on request: it costs 16 bytes per order line while reading, which training does not need.
 */
export interface LineValues {
  /** Units of the item in the basket, its lines summed (1 a line without a quantity column). */
  quantities: Float64Array;
  /** The quantity-weighted mean unit price of its priced lines, major units; NaN when none had one. */
  unitPrices: Float64Array;
}

export interface LineFacts {
  /** The first non-empty title per product index (a `title` column mapped from e.g. Description). */
  titles: (string | undefined)[];
  /** The unit price of each product's latest line, NaN when no line had one. */
  latestPrice: Float64Array;
}

export interface IngestReport {
  files: string[];
  rowsRead: number;
  rowsAccepted: number;
  /** Lines left out on purpose (returns and cancellations, excluded categories), by reason. */
  skipped: Record<string, number>;
  rowsSkipped: number;
  rejected: Record<string, ReasonSummary>;
  orders: number;
  productsSold: number;
  /** Lines whose unit price is more than 3× away from the catalog price, with the first few places. */
  priceOutliers: ReasonSummary;
}

export interface ReadOrdersOptions {
  maxRejectRate: number;
  reporter: Reporter;
  map?: ColumnMap;
  /** Products indexed first, in this order (the catalog), so never-sold items still get an index. */
  knownSkus?: Iterable<string>;
  /** Catalog prices of the known products (index order), for the price-outlier count. */
  knownPrices?: readonly (number | null)[];
  /** Products whose lines are skipped on purpose (e.g. excluded categories); counted, not rejected. */
  skipSkus?: ReadonlySet<string>;
  /** Keep each basket item's quantity and unit price (Baskets.lineValues). */
  lineValues?: boolean;
}

const OUTLIER_FACTOR = 3;

/**
 * Reads order lines (one or more files, any supported format) into baskets of distinct items. Bad
 * lines are rejected with their file:line and counted by reason; the run fails above
 * `maxRejectRate`. Built for tens of millions of lines: order and product ids are interned once,
 * lines go to typed arrays, and baskets are formed by a counting sort at the end.
 */
export async function readOrders(input: string | readonly string[], options: ReadOrdersOptions): Promise<Baskets> {
  const paths = typeof input === "string" ? [input] : input;
  const map = options.map ?? NO_MAP;
  const ledger = new RejectLedger();
  const skus: string[] = [...(options.knownSkus ?? [])];
  const skuIndex = new Map(skus.map((sku, i) => [sku, i]));
  const knownPrices = options.knownPrices ?? [];
  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const outliers = new RejectLedger();
  const orderIndex = new Map<string, number>();
  const orderTime = new Float64Slots(Number.NaN);
  const lineOrder = new Int32List(1 << 20);
  const lineItem = new Int32List(1 << 20);
  const titles: (string | undefined)[] = [];
  const priceTime = new Float64Slots(Number.NEGATIVE_INFINITY);
  const latestPrice = new Float64Slots(Number.NaN);
  const lineQuantity = options.lineValues ? new Float64Slots(1) : null;
  const linePrice = options.lineValues ? new Float64Slots(Number.NaN) : null;
  let rowsRead = 0;

  const files = await Promise.all(
    paths.map((path) => openRecords(path, { required: ["order_id", "product_id"], map })),
  );
  const totalBytes = files.reduce((n, f) => n + f.totalBytes, 0);
  const progress = options.reporter.step("reading orders", totalBytes, "bytes");
  let bytesBefore = 0;
  for (const file of files) {
    const { path } = file;
    const cOrder = file.column("order_id");
    const cProduct = file.column("product_id");
    const cTime = file.column("timestamp");
    const cQuantity = file.column("quantity");
    const cPrice = file.column("unit_price");
    const cTitle = file.column("title");
    let lastOrderText = "";
    let lastOrder = -1;
    let lastTimeText = "";
    let lastTime = Number.NaN;
    await file.read({
      progress: (bytes) => progress.update(bytesBefore + bytes),
      malformed(line, problem) {
        rowsRead++;
        ledger.reject(path, line, "malformed line", problem);
      },
      row(row) {
        rowsRead++;
        const orderId = row.text(cOrder);
        const productId = row.text(cProduct);
        if (orderId === "") return ledger.reject(path, row.line, "empty order_id", "empty order_id");
        if (productId === "") return ledger.reject(path, row.line, "empty product_id", "empty product_id");
        // The decoder turns bytes that are not UTF-8 into U+FFFD: ids would silently merge.
        if (orderId.includes("\uFFFD") || productId.includes("\uFFFD")) {
          return ledger.reject(
            path,
            row.line,
            "not UTF-8",
            "an id is not UTF-8 text (a Latin-1 or Windows-1252 export? re-encode it as UTF-8)",
          );
        }
        if (options.skipSkus?.has(productId)) return skip("excluded category");
        let time = Number.NaN;
        if (cTime >= 0) {
          const text = row.text(cTime);
          if (text !== lastTimeText) {
            const parsed = text === "" ? null : parseTimestamp(text);
            if (parsed === null) {
              return ledger.reject(
                path,
                row.line,
                "bad timestamp",
                `timestamp "${text.slice(0, 40)}" is not ISO 8601, "YYYY-MM-DD HH:MM:SS" or epoch seconds/ms`,
              );
            }
            lastTimeText = text;
            lastTime = parsed;
          }
          time = lastTime;
        }
        let quantity = 1;
        if (cQuantity >= 0) {
          const text = row.text(cQuantity);
          quantity = text === "" ? 1 : Number(text);
          if (!Number.isFinite(quantity)) {
            return ledger.reject(
              path,
              row.line,
              "non-numeric quantity",
              `quantity "${text.slice(0, 40)}" is not a number`,
            );
          }
          if (quantity <= 0) return skip("returns and cancellations (quantity ≤ 0)");
        }
        let price = Number.NaN;
        if (cPrice >= 0) {
          const text = row.text(cPrice);
          price = text === "" ? Number.NaN : Number(text);
          if (text !== "" && !(price >= 0)) {
            return ledger.reject(path, row.line, "bad unit_price", `unit_price "${text.slice(0, 40)}" is not a price`);
          }
        }
        let item = skuIndex.get(productId);
        if (item === undefined) {
          item = skus.length;
          skus.push(productId);
          skuIndex.set(productId, item);
        }
        let order: number;
        if (orderId === lastOrderText) order = lastOrder;
        else {
          const known = orderIndex.get(orderId);
          if (known === undefined) {
            order = orderIndex.size;
            orderIndex.set(orderId, order);
          } else order = known;
          lastOrderText = orderId;
          lastOrder = order;
        }
        const before = orderTime.get(order);
        if (!(before <= time)) orderTime.set(order, time);
        lineOrder.push(order);
        lineItem.push(item);
        lineQuantity?.set(lineItem.length - 1, quantity);
        linePrice?.set(lineItem.length - 1, price);
        if (!Number.isNaN(price)) {
          const catalogPrice = knownPrices[item];
          if (catalogPrice !== undefined && catalogPrice !== null && catalogPrice > 0) {
            const ratio = price / catalogPrice;
            if (ratio > OUTLIER_FACTOR || ratio < 1 / OUTLIER_FACTOR) {
              outliers.reject(path, row.line, "price outlier", `unit_price ${price} vs catalog ${catalogPrice}`);
            }
          }
          const at = Number.isNaN(time) ? rowsRead : time;
          if (at >= priceTime.get(item)) {
            priceTime.set(item, at);
            latestPrice.set(item, price);
          }
        }
        if (cTitle >= 0 && titles[item] === undefined) {
          const title = row.text(cTitle);
          if (title !== "") titles[item] = title;
        }
      },
    });
    bytesBefore += file.totalBytes;
  }
  ledger.enforce(rowsRead, options.maxRejectRate);

  const baskets = basketsOf(orderIndex.size, lineOrder.view(), lineItem.view(), orderTime.view(orderIndex.size));
  const rowsSkipped = [...skipped.values()].reduce((a, b) => a + b, 0);
  const rowsAccepted = rowsRead - ledger.rejected - rowsSkipped;
  const sold = new Uint8Array(skus.length);
  for (const item of baskets.items) sold[item] = 1;
  const productsSold = sold.reduce((n, s) => n + s, 0);
  progress.done(
    `${rowsRead} rows, ${rowsAccepted} accepted, ${ledger.rejected} rejected, ${rowsSkipped} skipped, ${orderIndex.size} orders, ${productsSold} products sold`,
  );
  const lines = lineItem.length;
  return {
    skus,
    ...baskets,
    lineFacts: { titles, latestPrice: latestPrice.view(skus.length) },
    ...(lineQuantity && linePrice
      ? {
          lineValues: lineValuesOf(
            baskets,
            lineOrder.view(),
            lineItem.view(),
            lineQuantity.view(lines),
            linePrice.view(lines),
          ),
        }
      : {}),
    report: {
      files: [...paths],
      rowsRead,
      rowsAccepted,
      skipped: Object.fromEntries(skipped),
      rowsSkipped,
      rejected: ledger.summary(),
      orders: orderIndex.size,
      productsSold,
      priceOutliers: outliers.summary()["price outlier"] ?? { count: 0, examples: [] },
    },
  };
}

/** Lines (order, item) → baskets of distinct items, by a counting sort on the order. */
function basketsOf(orders: number, lineOrder: Int32Array, lineItem: Int32Array, orderTime: Float64Array) {
  const starts = rowStarts(orders, lineOrder);
  const fill = starts.slice(0, orders);
  const grouped = new Int32Array(lineItem.length);
  for (let i = 0; i < lineOrder.length; i++) {
    const order = lineOrder[i] ?? 0;
    grouped[fill[order] ?? 0] = lineItem[i] ?? 0;
    fill[order] = (fill[order] ?? 0) + 1;
  }
  // Sort each basket and drop repeated items, compacting in place.
  const offsets = new Int32Array(orders + 1);
  let at = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < orders; b++) {
    const basket = grouped.subarray(starts[b] ?? 0, starts[b + 1] ?? 0).sort();
    let previous = -1;
    for (const item of basket) {
      if (item !== previous) grouped[at++] = item;
      previous = item;
    }
    offsets[b + 1] = at;
    const time = orderTime[b] ?? Number.NaN;
    if (time < from) from = time;
    if (time > to) to = time;
  }
  return {
    offsets,
    items: grouped.slice(0, at),
    times: orderTime.slice(),
    window: Number.isFinite(from) ? { from, to } : null,
  };
}

/** Each line's quantity and price summed onto its basket item (found by binary search: items are sorted). */
function lineValuesOf(
  baskets: { offsets: Int32Array; items: Int32Array },
  lineOrder: Int32Array,
  lineItem: Int32Array,
  quantity: Float64Array,
  price: Float64Array,
): LineValues {
  const quantities = new Float64Array(baskets.items.length);
  const amount = new Float64Array(baskets.items.length);
  const pricedUnits = new Float64Array(baskets.items.length);
  for (let line = 0; line < lineOrder.length; line++) {
    const order = lineOrder[line] ?? 0;
    const item = lineItem[line] ?? 0;
    let lo = baskets.offsets[order] ?? 0;
    let hi = (baskets.offsets[order + 1] ?? 0) - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((baskets.items[mid] ?? 0) < item) lo = mid + 1;
      else hi = mid;
    }
    const q = quantity[line] ?? 1;
    quantities[lo] = (quantities[lo] ?? 0) + q;
    const p = price[line] ?? Number.NaN;
    if (Number.isNaN(p)) continue;
    amount[lo] = (amount[lo] ?? 0) + q * p;
    pricedUnits[lo] = (pricedUnits[lo] ?? 0) + q;
  }
  const unitPrices = amount.map((a, i) => ((pricedUnits[i] ?? 0) > 0 ? a / (pricedUnits[i] ?? 1) : Number.NaN));
  return { quantities, unitPrices };
}

/** No orders at all (a catalog-only model: upgrades, no co-purchase evidence). */
export function noOrders(knownSkus: Iterable<string>): Baskets {
  const skus = [...knownSkus];
  return {
    skus,
    offsets: new Int32Array(1),
    items: new Int32Array(0),
    times: new Float64Array(0),
    window: null,
    lineFacts: { titles: [], latestPrice: new Float64Array(skus.length).fill(Number.NaN) },
    report: {
      files: [],
      rowsRead: 0,
      rowsAccepted: 0,
      skipped: {},
      rowsSkipped: 0,
      rejected: {},
      orders: 0,
      productsSold: 0,
      priceOutliers: { count: 0, examples: [] },
    },
  };
}
