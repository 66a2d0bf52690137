import { NO_GROUP, NO_PACK, NO_PRICE, type CatalogRows, type PackColumns } from "../models/catalog.js";
import { catalogTitle } from "./catalogTitle.js";
import { interner } from "./interner.js";
import { variantFamilies } from "./variantFamilies.js";
import { productTypes } from "./productTypes.js";
import { parsePackSize } from "./packSize.js";
import type { CatalogEntry } from "./ingest/catalog.js";

/** Dictionary-encodes a string per item; the empty string means "none". */
function dictionary(values: readonly string[]): { ids: Int32Array; names: string[] } {
  const names: string[] = [];
  const idOf = interner(names);
  const ids = Int32Array.from(values, (value) => (value === "" ? NO_GROUP : idOf(value)));
  return { ids, names };
}

/** Each item's pack size from the catalog's size column, or undefined when the trainer could read none. */
function packSizes(sizes: readonly string[]): PackColumns | undefined {
  const measure = new Uint8Array(sizes.length).fill(NO_PACK);
  const amount = new Float32Array(sizes.length).fill(Number.NaN);
  let known = 0;
  sizes.forEach((text, i) => {
    const pack = parsePackSize(text);
    // Stored as f32: an amount that would not survive it is as good as unread.
    const stored = Math.fround(pack?.amount ?? Number.NaN);
    if (pack === null || !(stored > 0 && Number.isFinite(stored))) return;
    measure[i] = pack.measure;
    amount[i] = pack.amount;
    known++;
  });
  return known > 0 ? { measure, amount } : undefined;
}

/** The catalog blob's rows for the model's item index (products sold without a catalog row get blanks). */
export function buildCatalogRows(
  skus: readonly string[],
  entries: ReadonlyMap<string, CatalogEntry>,
  currency: string,
  exponent: number,
): CatalogRows {
  const rows = skus.map((sku) => entries.get(sku));
  const categories = dictionary(rows.map((e) => e?.category ?? ""));
  const titles = rows.map((e) => (e ? catalogTitle(e) : ""));
  // The catalog's families, joined where titles say two items are colours or prints of one product.
  const catalogFamilies = dictionary(rows.map((e) => e?.family ?? ""));
  const families = variantFamilies(
    rows.map((e) => e?.title ?? ""),
    catalogFamilies.ids,
    catalogFamilies.names,
  );
  const packs = packSizes(rows.map((e) => e?.size ?? ""));
  return {
    currency,
    currencyExponent: exponent,
    skus,
    titles,
    prices: Int32Array.from(rows, (e) => (e?.price == null ? NO_PRICE : Math.round(e.price * 10 ** exponent))),
    categoryIds: categories.ids,
    categoryNames: categories.names,
    familyIds: families.ids,
    familyNames: families.names,
    brands: rows.map((e) => e?.brand ?? ""),
    tiers: Float32Array.from(rows, (e) => e?.tier ?? Number.NaN),
    // A product sold but missing from the catalog is sellable; only the catalog can say otherwise.
    available: Uint8Array.from(rows, (e) => (e === undefined || e.available ? 1 : 0)),
    ...(packs ? { packs } : {}),
    // Categories already tell kinds apart; without them the diversity cap goes by types from titles.
    ...(categories.names.length === 0 ? { types: productTypes(titles) } : {}),
  };
}
