import { openCsv } from "./csvRows.js";
import { parseTimestamp } from "./timestamps.js";
import { RejectLedger } from "./rejects.js";
import type { Reporter } from "../progress.js";

export interface Baskets {
  /** index → product id, in order of first appearance in the orders. */
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
  rejected: Record<string, { count: number; examples: string[] }>;
  orders: number;
  products: number;
}

export interface ReadOrdersOptions {
  maxRejectRate: number;
  reporter: Reporter;
}

/** Reads an order-lines file into baskets of distinct items. One row per (order, product). */
export async function readOrders(path: string, options: ReadOrdersOptions): Promise<Baskets> {
  const csv = await openCsv(path, ["order_id", "product_id"]);
  const hasTime = csv.header.includes("timestamp");
  const hasQuantity = csv.header.includes("quantity");
  const ledger = new RejectLedger();
  const skuIndex = new Map<string, number>();
  const skus: string[] = [];
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
  const rowsAccepted = rowsRead - ledger.rejected;
  progress.done(`${rowsRead} rows, ${rowsAccepted} accepted, ${orders.size} orders, ${skus.length} products`);
  return {
    skus,
    offsets,
    items,
    times,
    window: Number.isFinite(from) ? { from, to } : null,
    report: { rowsRead, rowsAccepted, rejected: ledger.summary(), orders: orders.size, products: skus.length },
  };
}
