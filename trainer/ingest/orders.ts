import { openCsv } from "./csvRows.js";
import { parseTimestamp } from "./timestamps.js";
import { RejectLedger } from "./rejects.js";
import type { Reporter } from "../progress.js";

export interface Baskets {
  /** index → product id: the known products (the catalog) first, then others in order of appearance. */
  skus: string[];
  /** CSR: basket b holds items[offsets[b] .. offsets[b+1]), distinct, ascending. */
  offsets: Int32Array;
  items: Int32Array;
  /** Earliest line time per basket, epoch ms; NaN when the file has no timestamps. */
  times: Float64Array;
  window: { from: number; to: number } | null;
  report: IngestReport;
}

export interface IngestReport {
  rowsRead: number;
  rowsAccepted: number;
  rowsSkipped: number;
  rejected: Record<string, { count: number; examples: string[] }>;
  orders: number;
  productsSold: number;
}

export interface ReadOrdersOptions {
  maxRejectRate: number;
  reporter: Reporter;
  /** Products indexed first, in this order (the catalog), so never-sold items still get an index. */
  knownSkus?: Iterable<string>;
  /** Products whose lines are skipped on purpose (e.g. excluded categories); counted, not rejected. */
  skipSkus?: ReadonlySet<string>;
}

/** Reads an order-lines file into baskets of distinct items. One row per (order, product). */
export async function readOrders(path: string, options: ReadOrdersOptions): Promise<Baskets> {
  const csv = await openCsv(path, ["order_id", "product_id"]);
  const hasTime = csv.header.includes("timestamp");
  const hasQuantity = csv.header.includes("quantity");
  const ledger = new RejectLedger();
  const skus: string[] = [...(options.knownSkus ?? [])];
  const skuIndex = new Map(skus.map((sku, i) => [sku, i]));
  let skipped = 0;
  const orders = new Map<string, { time: number; items: Set<number> }>();
  const progress = options.reporter.step("reading orders", csv.totalBytes, "bytes");
  let rowsRead = 0;

  for await (const row of csv.rows) {
    rowsRead++;
    if ((rowsRead & 0x3fff) === 0) progress.update(csv.bytesRead());
    const orderId = row.get("order_id");
    const productId = row.get("product_id");
    if (orderId === "") {
      ledger.reject(path, row.line, "empty order_id", "empty order_id");
      continue;
    }
    if (productId === "") {
      ledger.reject(path, row.line, "empty product_id", "empty product_id");
      continue;
    }
    if (options.skipSkus?.has(productId)) {
      skipped++;
      continue;
    }
    let time = Number.NaN;
    if (hasTime) {
      const text = row.get("timestamp");
      const parsed = text === "" ? null : parseTimestamp(text);
      if (parsed === null) {
        ledger.reject(
          path,
          row.line,
          "bad timestamp",
          `timestamp "${text}" is not ISO 8601, "YYYY-MM-DD HH:MM:SS" or epoch`,
        );
        continue;
      }
      time = parsed;
    }
    if (hasQuantity) {
      const text = row.get("quantity");
      const quantity = text === "" ? 1 : Number(text);
      if (!Number.isFinite(quantity)) {
        ledger.reject(path, row.line, "non-numeric quantity", `quantity "${text}" is not a number`);
        continue;
      }
      if (quantity <= 0) {
        ledger.reject(
          path,
          row.line,
          "non-positive quantity",
          `quantity ${quantity} is not positive (returns are not purchases)`,
        );
        continue;
      }
    }
    let item = skuIndex.get(productId);
    if (item === undefined) {
      item = skus.length;
      skus.push(productId);
      skuIndex.set(productId, item);
    }
    const order = orders.get(orderId);
    if (order) {
      order.items.add(item);
      if (time < order.time) order.time = time;
    } else {
      orders.set(orderId, { time, items: new Set([item]) });
    }
  }
  ledger.enforce(rowsRead, options.maxRejectRate);

  const offsets = new Int32Array(orders.size + 1);
  const items = new Int32Array([...orders.values()].reduce((n, o) => n + o.items.size, 0));
  const times = new Float64Array(orders.size);
  let b = 0;
  let at = 0;
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const order of orders.values()) {
    const sorted = Int32Array.from(order.items).sort();
    items.set(sorted, at);
    at += sorted.length;
    times[b] = order.time;
    if (order.time < from) from = order.time;
    if (order.time > to) to = order.time;
    offsets[++b] = at;
  }
  const rowsAccepted = rowsRead - ledger.rejected - skipped;
  const sold = new Set(items).size;
  progress.done(
    `${rowsRead} rows, ${rowsAccepted} accepted, ${ledger.rejected} rejected, ${skipped} skipped, ${orders.size} orders, ${sold} products sold`,
  );
  return {
    skus,
    offsets,
    items,
    times,
    window: Number.isFinite(from) ? { from, to } : null,
    report: {
      rowsRead,
      rowsAccepted,
      rowsSkipped: skipped,
      rejected: ledger.summary(),
      orders: orders.size,
      productsSold: sold,
    },
  };
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
    report: { rowsRead: 0, rowsAccepted: 0, rowsSkipped: 0, rejected: {}, orders: 0, productsSold: 0 },
  };
}
