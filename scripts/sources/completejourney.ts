/**
 * 84.51° "The Complete Journey", as the `completejourney` R package publishes it (CRAN, licence CC0;
 * https://github.com/bradleyboehmke/completejourney), to sidecart's layout. Reads two of the
 * package's tables saved as CSV (`write.csv(transactions_sample, …)` or `get_transactions()` for all
 * 1,469,307 lines, and `write.csv(products, …)`):
 *   transactions: household_id, store_id, basket_id, product_id, quantity, sales_value, retail_disc,
 *                 coupon_disc, coupon_match_disc, week, transaction_timestamp
 *   products:     product_id, manufacturer_id, department, brand, product_category, product_type,
 *                 package_size
 * and writes orders.csv.gz (a line per transaction) and catalog.csv.gz (a row per product sold), the
 * layout of the bundled slice in data/completejourney/.
 */
import { join } from "node:path";
import { InputError } from "../../trainer/errors.js";
import { gzipCsv, ORDER_LINE_COLUMNS } from "./gzipCsv.js";
import { median, roundPrice } from "./median.js";
import { readSourceRows } from "./sourceFile.js";
import { zonedTimestamps } from "./zonedTime.js";

const TRANSACTION_COLUMNS = [
  "household_id",
  "store_id",
  "basket_id",
  "product_id",
  "quantity",
  "sales_value",
  "retail_disc",
  "coupon_match_disc",
  "transaction_timestamp",
];
const PRODUCT_COLUMNS = ["product_id", "department", "brand", "product_category", "product_type"];

/** The package's timestamps are the stores' wall-clock time, which write.csv writes without a zone. */
const STORE_ZONE = "America/New_York";

export interface CompleteJourneyPaths {
  transactions: string;
  products: string;
  /** Folder that receives orders.csv.gz and catalog.csv.gz. */
  out: string;
}

export interface CompleteJourneySummary {
  lines: number;
  orders: number;
  /** Catalog rows: products sold that the products table describes. */
  products: number;
  /** Products sold that the products table does not have: their lines stay, without a catalog row. */
  undescribed: number;
}

interface Product {
  levels: [string, string, string];
  brand: string;
  manufacturer: string;
  size: string;
}

interface Sales {
  shelf: number[];
  paid: number[];
  lines: number;
}

async function readProducts(path: string): Promise<Map<string, Product>> {
  const products = new Map<string, Product>();
  await readSourceRows(path, PRODUCT_COLUMNS, (row) => {
    const id = row.text("product_id");
    if (id === "") throw new InputError(path, row.line, "empty product_id");
    products.set(id, {
      levels: [row.text("department"), row.text("product_category"), row.text("product_type")],
      brand: row.text("brand"),
      manufacturer: row.text("manufacturer_id"),
      size: row.text("package_size"),
    });
  });
  return products;
}

/** Converts the two tables; returns what was written. */
export async function convertCompleteJourney(paths: CompleteJourneyPaths): Promise<CompleteJourneySummary> {
  const products = await readProducts(paths.products);
  const timestamp = zonedTimestamps(STORE_ZONE);
  const sales = new Map<string, Sales>();
  const baskets = new Set<string>();
  let lines = 0;
  const orders = await gzipCsv(join(paths.out, "orders.csv.gz"), [...ORDER_LINE_COLUMNS, "shelf_price", "store_id"]);
  try {
    await readSourceRows(paths.transactions, TRANSACTION_COLUMNS, (row) => {
      const product = row.text("product_id");
      const basket = row.text("basket_id");
      const when = timestamp(row.text("transaction_timestamp"));
      if (when === null) {
        throw new InputError(paths.transactions, row.line, `"${row.text("transaction_timestamp")}" is not a time`);
      }
      const quantity = row.number("quantity");
      const paid = row.number("sales_value");
      // Shelf price: what was paid plus the loyalty-card and coupon-match discounts (the bundled
      // slice's shelf_price); a manufacturer's coupon (coupon_disc) is left out. The package writes
      // discounts positive, the 84.51° files negative: their size is what counts.
      const discount = Math.abs(row.number("retail_disc", 0)) + Math.abs(row.number("coupon_match_disc", 0));
      const unitPrice = quantity > 0 ? roundPrice(paid / quantity) : null;
      const shelfPrice = quantity > 0 ? roundPrice((paid + discount) / quantity) : null;
      orders.row([
        basket,
        row.text("household_id"),
        when,
        product,
        quantity,
        unitPrice,
        shelfPrice,
        row.text("store_id"),
      ]);
      lines++;
      baskets.add(basket);
      let seen = sales.get(product);
      if (seen === undefined) sales.set(product, (seen = { shelf: [], paid: [], lines: 0 }));
      seen.lines++;
      if (unitPrice !== null && shelfPrice !== null) {
        seen.paid.push(unitPrice);
        seen.shelf.push(shelfPrice);
      }
    });
  } finally {
    await orders.close();
  }
  const catalog = await gzipCsv(join(paths.out, "catalog.csv.gz"), [
    "product_id",
    "title",
    "price",
    "price_paid_median",
    "category_l1",
    "category_l2",
    "category_l3",
    "category_path",
    "brand",
    "manufacturer_id",
    "package_size",
    "n_lines",
  ]);
  let described = 0;
  try {
    const sold = [...sales.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    for (const id of sold) {
      const product = products.get(id);
      const seen = sales.get(id);
      if (product === undefined || seen === undefined) continue;
      described++;
      // No titles in the source: the trainer names each product after its leaf category and brand.
      catalog.row([
        id,
        "",
        median(seen.shelf),
        median(seen.paid),
        ...product.levels,
        product.levels.filter((level) => level !== "").join(" > "),
        product.brand,
        product.manufacturer,
        product.size,
        seen.lines,
      ]);
    }
  } finally {
    await catalog.close();
  }
  return { lines, orders: baskets.size, products: described, undescribed: sales.size - described };
}
