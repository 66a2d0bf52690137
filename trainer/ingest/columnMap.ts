import { readFileSync } from "node:fs";
import { closest } from "../editDistance.js";
import { UserError } from "../errors.js";

/** The columns sidecart reads, by the names it knows them by. */
export const ORDER_COLUMNS = ["order_id", "product_id", "timestamp", "quantity", "unit_price", "customer_id", "title"];
export const CATALOG_COLUMNS = [
  "product_id",
  "title",
  "price",
  "category_path",
  "stock_family",
  "variant_family",
  "brand",
  "size",
  "package_size",
  "tier",
  "rank",
  "available",
  "stock",
];

/** Precomputed co-purchase counts (trainer/sql/pairCounts.sql). */
export const PAIR_COLUMNS = ["item_a", "item_b", "baskets"];

/** sidecart's column name → the file's column name (both lower case: headers are matched without case). */
export type ColumnMap = ReadonlyMap<string, string>;

export const NO_MAP: ColumnMap = new Map();

/**
 * `--map order_id=InvoiceNo,product_id=StockCode,…`, or `--map @mapping.json` for a file holding
 * `{ "order_id": "InvoiceNo", … }`. Names outside `known` (or category_l1..n) are refused, so a typo
 * does not silently leave a column unread.
 */
export function parseColumnMap(
  text: string,
  known: readonly string[] = [...ORDER_COLUMNS, ...CATALOG_COLUMNS, ...PAIR_COLUMNS],
): ColumnMap {
  if (text.trim() === "") return NO_MAP;
  let pairs: [string, string][];
  if (text.startsWith("@")) {
    const path = text.slice(1);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new UserError(`--map ${path}: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new UserError(`--map ${path}: expected an object of "sidecart column": "file column"`);
    }
    pairs = Object.entries(parsed).map(([k, v]) => {
      if (typeof v !== "string") throw new UserError(`--map ${path}: "${k}" must name a column (a string)`);
      return [k, v];
    });
  } else {
    pairs = text.split(",").map((pair) => {
      const [ours, theirs, ...rest] = pair.split("=");
      if (ours === undefined || theirs === undefined || rest.length > 0 || ours.trim() === "" || theirs.trim() === "") {
        throw new UserError(`--map: "${pair}" is not ours=theirs (e.g. order_id=InvoiceNo)`);
      }
      return [ours, theirs];
    });
  }
  const map = new Map<string, string>();
  for (const [ours, theirs] of pairs) {
    const name = ours.trim().toLowerCase();
    if (!known.includes(name) && !/^category_l\d+$/.test(name)) {
      // Orders and catalogs share product_id and title: each name once.
      const names = [...new Set(known)];
      const suggestion = closest(name, names);
      const hint = suggestion === undefined ? "" : `did you mean ${suggestion}? `;
      throw new UserError(
        `--map: unknown column "${ours.trim()}" (${hint}sidecart reads: ${names.join(", ")}, category_l1..n)`,
      );
    }
    if (map.has(name)) throw new UserError(`--map: "${name}" is mapped twice`);
    map.set(name, theirs.trim().toLowerCase());
  }
  return map;
}

/**
 * A file's header under sidecart's names: a mapped column takes its sidecart name, and a column of
 * the file that is the target of no mapping keeps its own (so `title` still reads as title).
 */
export function mappedHeader(header: readonly string[], map: ColumnMap): string[] {
  const renamed = new Map<string, string>();
  for (const [ours, theirs] of map) renamed.set(theirs, ours);
  return header.map((name) => {
    const lower = name.trim().toLowerCase();
    return renamed.get(lower) ?? (map.has(lower) ? `(${lower})` : lower);
  });
}
