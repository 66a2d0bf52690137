import { InputError } from "../errors.js";
import { CATALOG_COLUMNS, NO_MAP, type ColumnMap } from "./columnMap.js";
import { openRecords } from "./records.js";

export interface CatalogEntry {
  title: string;
  /** Decimal price in the shop's currency, null when the row has none. */
  price: number | null;
  /** Category path, levels joined with " > "; empty when unknown. */
  category: string;
  family: string;
  brand: string;
  /** Pack or size as the shop writes it ("14.5 OZ"); empty when unknown. Shown only in a title made for a row without one. */
  size: string;
  /** Rank within the product's ladder (higher is better), null when unknown. */
  tier: number | null;
  available: boolean;
}

export interface CatalogFile {
  entries: Map<string, CatalogEntry>;
  /** Which optional columns the file had, for the run report. */
  optionalColumns: string[];
  /** Products left out by --exclude-categories. */
  excluded: Set<string>;
}

const CATEGORY_LEVELS = /^category_l(\d+)$/;
const FALSE_WORDS = new Set(["false", "0", "no", "n", "inactive", "out_of_stock"]);
const OPTIONAL = CATALOG_COLUMNS.filter((c) => c !== "product_id");

export interface ReadCatalogOptions {
  /** Top-level categories (first level, case-insensitive) whose products are left out entirely. */
  excludeCategories?: readonly string[];
  map?: ColumnMap;
}

function numberOrNull(path: string, line: number, column: string, text: string): number | null {
  if (text === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new InputError(path, line, `${column} "${text}" is not a number`);
  return value;
}

/**
 * Reads a catalog: product_id plus whatever of title, price, category_path / category_l1..n,
 * stock_family or variant_family, brand, size or package_size, tier or rank, available, stock the shop has. A malformed
 * value is an error naming the line: a catalog is small and curated, and a wrong price means wrong
 * suggestions.
 */
export async function readCatalog(path: string, options: ReadCatalogOptions = {}): Promise<CatalogFile> {
  const csv = await openRecords(path, { required: ["product_id"], map: options.map ?? NO_MAP });
  const levels = csv.header
    .map((h) => ({ h, level: CATEGORY_LEVELS.exec(h)?.[1] }))
    .filter((c): c is { h: string; level: string } => c.level !== undefined)
    .sort((a, b) => Number(a.level) - Number(b.level))
    .map((c) => c.h);
  const familyColumn = csv.header.includes("variant_family") ? "variant_family" : "stock_family";
  const tierColumn = csv.header.includes("tier") ? "tier" : "rank";
  const sizeColumn = csv.header.includes("size") ? "size" : "package_size";
  const excludedTop = new Set((options.excludeCategories ?? []).map((c) => c.toLowerCase()));
  const entries = new Map<string, CatalogEntry>();
  const excluded = new Set<string>();

  const column = new Map(csv.header.map((name, i) => [name, i]));
  await csv.read({
    malformed(line, problem) {
      throw new InputError(path, line, problem);
    },
    row(record) {
      const row = { line: record.line, get: (name: string) => record.text(column.get(name) ?? -1) };
      const sku = row.get("product_id");
      if (sku === "") throw new InputError(path, row.line, "empty product_id");
      if (entries.has(sku) || excluded.has(sku))
        throw new InputError(path, row.line, `product_id "${sku}" appears twice`);
      const price = numberOrNull(path, row.line, "price", row.get("price"));
      if (price !== null && price < 0) throw new InputError(path, row.line, `price ${price} is negative`);
      const stock = numberOrNull(path, row.line, "stock", row.get("stock"));
      const tier = numberOrNull(path, row.line, tierColumn, row.get(tierColumn));
      const levelValues = levels.map((l) => row.get(l)).filter((v) => v !== "");
      const category = levelValues.length > 0 ? levelValues.join(" > ") : row.get("category_path");
      const top = (levelValues[0] ?? category.split(/ > |\./)[0] ?? "").toLowerCase();
      if (excludedTop.has(top)) {
        excluded.add(sku);
        return;
      }
      entries.set(sku, {
        title: row.get("title"),
        price,
        category,
        family: row.get(familyColumn),
        brand: row.get("brand"),
        size: row.get(sizeColumn),
        tier,
        available: !FALSE_WORDS.has(row.get("available").toLowerCase()) && (stock === null || stock > 0),
      });
    },
  });
  const optionalColumns = [...OPTIONAL.filter((c) => csv.header.includes(c)), ...levels];
  return { entries, optionalColumns, excluded };
}
