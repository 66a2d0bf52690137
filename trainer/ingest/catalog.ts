import { openCsv } from "./csvRows.js";
import { InputError } from "../errors.js";

export interface CatalogEntry {
  title: string;
  /** Decimal price in the shop's currency, null when the row has none. */
  price: number | null;
  category: string;
  family: string;
  brand: string;
  available: boolean;
}

const CATEGORY_LEVELS = /^category_l(\d+)$/;
const FALSE_WORDS = new Set(["false", "0", "no", "n", "inactive", "out_of_stock"]);

/**
 * Reads a catalog: product_id plus whatever of title, price, category_path / category_l1..n,
 * stock_family or variant_family, brand, available, stock the shop has. A malformed value is an
 * error naming the line: a catalog is small and curated, and a wrong price means wrong suggestions.
 */
export async function readCatalog(path: string): Promise<Map<string, CatalogEntry>> {
  const csv = await openCsv(path, ["product_id"]);
  const levels = csv.header
    .map((h) => ({ h, level: CATEGORY_LEVELS.exec(h)?.[1] }))
    .filter((c): c is { h: string; level: string } => c.level !== undefined)
    .sort((a, b) => Number(a.level) - Number(b.level))
    .map((c) => c.h);
  const familyColumn = csv.header.includes("variant_family") ? "variant_family" : "stock_family";
  const entries = new Map<string, CatalogEntry>();

  for await (const row of csv.rows) {
    const sku = row.get("product_id");
    if (sku === "") throw new InputError(path, row.line, "empty product_id");
    if (entries.has(sku)) throw new InputError(path, row.line, `product_id "${sku}" appears twice`);
    const priceText = row.get("price");
    const price = priceText === "" ? null : Number(priceText);
    if (price !== null && (!Number.isFinite(price) || price < 0)) {
      throw new InputError(path, row.line, `price "${priceText}" is not a non-negative number`);
    }
    const stockText = row.get("stock");
    const stock = stockText === "" ? null : Number(stockText);
    if (stock !== null && !Number.isFinite(stock)) {
      throw new InputError(path, row.line, `stock "${stockText}" is not a number`);
    }
    const category =
      row.get("category_path") ||
      levels
        .map((l) => row.get(l))
        .filter((v) => v !== "")
        .join(" > ");
    entries.set(sku, {
      title: row.get("title"),
      price,
      category,
      family: row.get(familyColumn),
      brand: row.get("brand"),
      available: !FALSE_WORDS.has(row.get("available").toLowerCase()) && (stock === null || stock > 0),
    });
  }
  return entries;
}
