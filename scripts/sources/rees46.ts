/**
 * REES46 "eCommerce behavior data from multi category store" (Kaggle, mkechinov; a month of events
 * a file: 2019-Oct.csv, 2019-Nov.csv) to sidecart's layout. Reads the events as published:
 *   event_time ("2019-10-01 00:00:00 UTC"), event_type (view | cart | remove_from_cart | purchase),
 *   product_id, category_id, category_code ("electronics.smartphone", empty for many accessories),
 *   brand, price, user_id, user_session
 * and writes catalog.csv.gz (a row per product seen, with its latest price, category and brand) and
 * orders.csv.gz (the purchase events, a session's purchases one order).
 */
import { join } from "node:path";
import { InputError } from "../../trainer/errors.js";
import { gzipCsv, ORDER_LINE_COLUMNS } from "./gzipCsv.js";
import { readSourceRows } from "./sourceFile.js";
import { zonedTimestamps } from "./zonedTime.js";

const EVENT_COLUMNS = ["event_time", "event_type", "product_id", "category_code", "brand", "price", "user_session"];

export interface Rees46Paths {
  /** One month's events file, or several read in order (the latest price is the last file's). */
  events: readonly string[];
  /** Folder that receives catalog.csv.gz and orders.csv.gz. */
  out: string;
}

export interface Rees46Summary {
  events: number;
  products: number;
  purchases: number;
  orders: number;
  /** Purchase events without a session (the source has a few): no order to put them in. */
  purchasesWithoutSession: number;
}

interface Product {
  price: number | null;
  levels: string[];
  categoryId: string;
  brand: string;
}

/** Converts the event files; returns what was written. */
export async function convertRees46(paths: Rees46Paths): Promise<Rees46Summary> {
  const timestamp = zonedTimestamps("UTC");
  const products = new Map<string, Product>();
  const sessions = new Set<string>();
  const summary: Rees46Summary = { events: 0, products: 0, purchases: 0, orders: 0, purchasesWithoutSession: 0 };
  const orders = await gzipCsv(join(paths.out, "orders.csv.gz"), ORDER_LINE_COLUMNS);
  try {
    for (const path of paths.events) {
      await readSourceRows(path, EVENT_COLUMNS, (row) => {
        summary.events++;
        const id = row.text("product_id");
        if (id === "") throw new InputError(path, row.line, "empty product_id");
        const price = row.number("price", 0);
        let product = products.get(id);
        if (product === undefined) products.set(id, (product = { price: null, levels: [], categoryId: "", brand: "" }));
        // The events come in time order: the latest price, category and brand describe the product.
        if (price > 0) product.price = price;
        const code = row.text("category_code");
        if (code !== "") product.levels = code.split(".");
        if (row.text("category_id") !== "") product.categoryId = row.text("category_id");
        if (row.text("brand") !== "") product.brand = row.text("brand");
        if (row.text("event_type") !== "purchase") return;
        const session = row.text("user_session");
        if (session === "") {
          summary.purchasesWithoutSession++;
          return;
        }
        const when = timestamp(row.text("event_time").replace(/ UTC$/, ""));
        if (when === null) throw new InputError(path, row.line, `"${row.text("event_time")}" is not a time`);
        orders.row([session, row.text("user_id"), when, id, 1, price > 0 ? price : null]);
        summary.purchases++;
        sessions.add(session);
      });
    }
  } finally {
    await orders.close();
  }
  summary.orders = sessions.size;
  summary.products = products.size;
  let depth = 1;
  for (const product of products.values()) depth = Math.max(depth, product.levels.length);
  const levels = Array.from({ length: depth }, (_, i) => `category_l${i + 1}`);
  const catalog = await gzipCsv(join(paths.out, "catalog.csv.gz"), [
    "product_id",
    "title",
    "price",
    ...levels,
    "category_id",
    "brand",
  ]);
  try {
    const ids = [...products.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    for (const id of ids) {
      const product = products.get(id);
      if (product === undefined) continue;
      // No titles in the source: the trainer names each product after its leaf category and brand.
      const padded = levels.map((_, i) => product.levels[i] ?? "");
      catalog.row([id, "", product.price, ...padded, product.categoryId, product.brand]);
    }
  } finally {
    await catalog.close();
  }
  return summary;
}
