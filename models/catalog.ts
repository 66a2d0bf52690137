import { CATALOG_SCHEMA_VERSION } from "./contract.js";
import { decodeContainer, encodeContainer, type StringColumn } from "./blobContainer.js";

const KIND = "catalog";

/** Price of an item whose catalog row has none. */
export const NO_PRICE = -1;

/** What the trainer knows about each item, by catalog index (the index the ONNX model uses). */
export interface CatalogRows {
  currency: string;
  /** Digits after the decimal point for this currency (2 for GBP, 0 for JPY). */
  currencyExponent: number;
  skus: readonly string[];
  titles: readonly string[];
  /** Integer minor units (pence, cents); NO_PRICE when unknown. */
  prices: Int32Array;
  /** Category path, levels joined with " > "; empty when the catalog has none. */
  categories: readonly string[];
  /** Variant family (e.g. colour variants of one product); empty when unknown. */
  families: readonly string[];
  brands: readonly string[];
  /** 1 = can be sold, 0 = out of stock or inactive. */
  available: Uint8Array;
}

export function encodeCatalog(rows: CatalogRows): Uint8Array<ArrayBuffer> {
  return encodeContainer(
    KIND,
    CATALOG_SCHEMA_VERSION,
    rows.skus.length,
    { currency: rows.currency, currencyExponent: rows.currencyExponent },
    [
      { name: "sku", type: "str", values: rows.skus },
      { name: "title", type: "str", values: rows.titles },
      { name: "price", type: "i32", values: rows.prices },
      { name: "category", type: "str", values: rows.categories },
      { name: "family", type: "str", values: rows.families },
      { name: "brand", type: "str", values: rows.brands },
      { name: "available", type: "u8", values: rows.available },
    ],
  );
}

/** The catalog as the worker reads it: typed columns in place, strings decoded on demand. */
export class Catalog {
  readonly size: number;
  readonly currency: string;
  readonly currencyExponent: number;
  readonly sku: StringColumn;
  readonly title: StringColumn;
  readonly price: Int32Array;
  readonly category: StringColumn;
  readonly family: StringColumn;
  readonly brand: StringColumn;
  readonly available: Uint8Array;
  private readonly bySku: Map<string, number>;

  constructor(bytes: Uint8Array) {
    const blob = decodeContainer(bytes, KIND, CATALOG_SCHEMA_VERSION);
    this.size = blob.rows;
    const { currency, currencyExponent } = blob.meta;
    this.currency = typeof currency === "string" ? currency : "USD";
    this.currencyExponent = typeof currencyExponent === "number" ? currencyExponent : 2;
    this.sku = blob.strings("sku");
    this.title = blob.strings("title");
    this.price = blob.numeric("price", "i32");
    this.category = blob.strings("category");
    this.family = blob.strings("family");
    this.brand = blob.strings("brand");
    this.available = blob.numeric("available", "u8");
    this.bySku = new Map();
    for (let i = 0; i < this.size; i++) this.bySku.set(this.sku.get(i), i);
  }

  indexOf(sku: string): number | undefined {
    return this.bySku.get(sku);
  }

  /** Price as a decimal number in the catalog's currency, or null when unknown. */
  priceOf(index: number): number | null {
    const minor = this.price[index];
    if (minor === undefined || minor === NO_PRICE) return null;
    return minor / 10 ** this.currencyExponent;
  }
}
