import { CATALOG_SCHEMA_VERSION } from "./contract.js";
import {
  decodeContainer,
  encodeContainer,
  type ColumnInput,
  type DecodedContainer,
  type StringColumn,
} from "./blobContainer.js";
import { SkuIndex } from "./skuIndex.js";

const KIND = "catalog";

/** Price of an item whose catalog row has none. */
export const NO_PRICE = -1;
/** Category or family id of an item that has none. */
export const NO_GROUP = -1;

/** What a pack size measures (read by trainer/packSize.ts): grams, millilitres or pieces. */
export const PackMeasure = { mass: 1, volume: 2, count: 3 } as const;
export type PackMeasure = (typeof PackMeasure)[keyof typeof PackMeasure];
/** The pack measure of an item whose size is unknown or unread. */
export const NO_PACK = 0;

/** Each item's pack size: a PackMeasure (NO_PACK for none) and how much of it. */
export interface PackColumns {
  measure: Uint8Array;
  amount: Float32Array;
}

/** What the trainer knows about each item, by catalog index (the index the ONNX model uses). */
export interface CatalogRows {
  currency: string;
  /** Digits after the decimal point for this currency (2 for GBP, 0 for JPY). */
  currencyExponent: number;
  skus: readonly string[];
  titles: readonly string[];
  /** Integer minor units (pence, cents); NO_PRICE when unknown. */
  prices: Int32Array;
  /** Leaf category of each item as an index into categoryNames; NO_GROUP when unknown. */
  categoryIds: Int32Array;
  /** Full category paths, levels joined with " > " (a leaf is identified by its whole path). */
  categoryNames: readonly string[];
  /** Variant family (e.g. the colours of one product) as an index into familyNames; NO_GROUP when unknown. */
  familyIds: Int32Array;
  familyNames: readonly string[];
  brands: readonly string[];
  /** Rank within its ladder, higher is better; NaN when the catalog has no tier column. */
  tiers: Float32Array;
  /** 1 = can be sold, 0 = out of stock or inactive. */
  available: Uint8Array;
  /** Pack sizes from the catalog's size column; absent when no item has one the trainer could read. */
  packs?: PackColumns;
  /**
   * Product types learned from titles (trainer/productTypes.ts) for a catalog without categories, as
   * indices into typeNames, NO_GROUP for none; absent where the catalog has categories.
   */
  types?: { ids: Int32Array; names: readonly string[] };
}

export function encodeCatalog(rows: CatalogRows): Uint8Array<ArrayBuffer> {
  const n = rows.skus.length;
  return encodeContainer(
    KIND,
    CATALOG_SCHEMA_VERSION,
    {
      currency: rows.currency,
      currencyExponent: rows.currencyExponent,
      items: n,
      categories: rows.categoryNames.length,
      families: rows.familyNames.length,
      ...(rows.types ? { types: rows.types.names.length } : {}),
      ...(rows.packs ? { packs: true } : {}),
    },
    [
      { name: "sku", type: "str", values: rows.skus },
      { name: "title", type: "str", values: rows.titles },
      { name: "price", type: "i32", values: rows.prices },
      { name: "categoryId", type: "i32", values: rows.categoryIds },
      { name: "categoryNames", type: "str", values: rows.categoryNames },
      { name: "familyId", type: "i32", values: rows.familyIds },
      { name: "familyNames", type: "str", values: rows.familyNames },
      { name: "brand", type: "str", values: rows.brands },
      { name: "tier", type: "f32", values: rows.tiers },
      { name: "available", type: "u8", values: rows.available },
      ...packColumns(rows.packs ?? null),
      ...(rows.types
        ? [
            { name: "typeId", type: "i32", values: rows.types.ids } as const,
            { name: "typeNames", type: "str", values: rows.types.names } as const,
          ]
        : []),
    ],
  );
}

function count(meta: Record<string, unknown>, key: string): number {
  const value = meta[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new Error(`catalog: meta.${key} is not a count`);
  }
  return value;
}

/** The title key of an item without a title: never equal to another's. */
export const NO_TITLE = 0;

/**
 * A 32-bit key of a title as a shopper compares titles (trimmed, any case): FNV-1a over its UTF-16
 * units, NO_TITLE for an empty one. The diversity cap compares these, not the titles, so a paged
 * model holds 4 bytes per item instead of reading every candidate's page; two different titles share
 * a key with odds of about 1 in 2^32 per pair compared, and both forms of the model then agree anyway.
 */
export function titleKey(title: string): number {
  const text = title.trim().toLowerCase();
  if (text === "") return NO_TITLE;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0 || 1;
}

/** Group ids per item (leaf category, variant family): 16 bits where every id fits, NO_GROUP for none. */
export type GroupIds = Int32Array | Int16Array;

/** A column of text by item (or category) index: a blob's StringColumn, or a paged model's pages. */
export interface TextColumn {
  readonly length: number;
  get(index: number): string;
}

/**
 * What the answer pipeline reads of a catalog: the whole blob (`Catalog`, the trainer, the eval) or a
 * paged model's resident columns and item pages (the worker). The numeric columns every candidate
 * needs are typed arrays in both (tier and availability through methods: a paged model stores them
 * narrower); text comes through `get`, which a paged view answers from pages.
 */
export interface CatalogView {
  readonly size: number;
  readonly currency: string;
  readonly currencyExponent: number;
  readonly sku: TextColumn;
  readonly title: TextColumn;
  readonly brand: TextColumn;
  readonly price: Int32Array;
  readonly categoryId: GroupIds;
  readonly categoryNames: TextColumn;
  readonly familyId: Int32Array;
  /** How many variant families the ids number. */
  readonly familyCount: number;
  readonly hasCategories: boolean;
  readonly hasFamilies: boolean;
  readonly hasTiers: boolean;
  /** Each item's learned product type (catalogs without categories), or null: the diversity cap's groups then. */
  readonly typeId: GroupIds | null;
  /** Rank within its ladder, higher is better; NaN when unranked. */
  tierOf(index: number): number;
  /** The item's pack size: what it measures (NO_PACK when unknown) and how much (NaN when unknown). */
  packMeasureOf(index: number): number;
  packAmountOf(index: number): number;
  /** Whether the item can be sold (in stock and active). */
  isAvailable(index: number): boolean;
  familyMembers(family: number): Int32Array;
  /** The item's title key (titleKey), without reading its title. */
  titleKey(index: number): number;
  priceOf(index: number): number | null;
  toMajor(minor: number): number;
  toMinor(major: number): number;
  categoryOf(index: number): string | null;
}

/** What every catalog view derives from its columns the same way: prices in major units, category names. */
export abstract class CatalogBase {
  abstract readonly currencyExponent: number;
  abstract readonly price: Int32Array;
  abstract readonly categoryId: GroupIds;
  abstract readonly categoryNames: TextColumn;
  abstract readonly packs: PackColumns | null;

  packMeasureOf(index: number): number {
    return this.packs?.measure[index] ?? NO_PACK;
  }

  packAmountOf(index: number): number {
    return this.packs?.amount[index] ?? Number.NaN;
  }

  /** Price as a decimal number in the catalog's currency, or null when unknown. */
  priceOf(index: number): number | null {
    const minor = this.price[index];
    if (minor === undefined || minor === NO_PRICE) return null;
    return this.toMajor(minor);
  }

  toMajor(minor: number): number {
    return minor / 10 ** this.currencyExponent;
  }

  toMinor(major: number): number {
    return Math.round(major * 10 ** this.currencyExponent);
  }

  categoryOf(index: number): string | null {
    const id = this.categoryId[index] ?? NO_GROUP;
    return id === NO_GROUP ? null : this.categoryNames.get(id);
  }
}

/** The whole catalog blob: typed columns in place, strings decoded on demand (the trainer, the eval). */
export class Catalog extends CatalogBase implements CatalogView {
  readonly size: number;
  readonly currency: string;
  readonly currencyExponent: number;
  readonly sku: StringColumn;
  readonly title: StringColumn;
  readonly price: Int32Array;
  readonly categoryId: Int32Array;
  readonly categoryNames: StringColumn;
  readonly familyId: Int32Array;
  readonly familyNames: StringColumn;
  readonly brand: StringColumn;
  readonly tier: Float32Array;
  readonly available: Uint8Array;
  /** Whether the shop's catalog had these columns at all (rules that need them switch off otherwise). */
  readonly hasCategories: boolean;
  readonly hasFamilies: boolean;
  readonly hasTiers: boolean;
  readonly typeId: Int32Array | null;
  /** How many product types typeId numbers (0 without types). */
  readonly typeCount: number;
  readonly packs: PackColumns | null;
  private readonly bySku: SkuIndex;
  /** Built on first use: most requests never ask for a family's members. */
  private families: { start: Int32Array; members: Int32Array } | null = null;

  constructor(bytes: Uint8Array) {
    super();
    const blob = decodeContainer(bytes, KIND, CATALOG_SCHEMA_VERSION);
    const n = count(blob.meta, "items");
    this.size = n;
    const { currency, currencyExponent } = blob.meta;
    this.currency = typeof currency === "string" ? currency : "USD";
    this.currencyExponent = typeof currencyExponent === "number" ? currencyExponent : 2;
    this.sku = blob.strings("sku", n);
    this.title = blob.strings("title", n);
    this.price = blob.numeric("price", "i32", n);
    const categories = count(blob.meta, "categories");
    const families = count(blob.meta, "families");
    this.categoryId = blob.numeric("categoryId", "i32", n);
    this.categoryNames = blob.strings("categoryNames", categories);
    this.familyId = blob.numeric("familyId", "i32", n);
    this.familyNames = blob.strings("familyNames", families);
    this.brand = blob.strings("brand", n);
    this.tier = blob.numeric("tier", "f32", n);
    this.available = blob.numeric("available", "u8", n);
    for (const [ids, size, what] of [
      [this.categoryId, categories, "categoryId"],
      [this.familyId, families, "familyId"],
    ] as const) {
      for (const id of ids) if (id < NO_GROUP || id >= size) throw new Error(`catalog: ${what} ${id} out of range`);
    }
    this.hasCategories = categories > 0;
    this.hasFamilies = families > 0;
    this.hasTiers = this.tier.some((t) => !Number.isNaN(t));
    this.typeCount = blob.meta.types === undefined ? 0 : count(blob.meta, "types");
    this.typeId = blob.meta.types === undefined ? null : blob.numeric("typeId", "i32", n);
    for (const id of this.typeId ?? []) {
      if (id < NO_GROUP || id >= this.typeCount) throw new Error(`catalog: typeId ${id} out of range`);
    }
    this.packs = readPacks(blob, n);
    this.bySku = new SkuIndex(this.sku);
  }

  get familyCount(): number {
    return this.familyNames.length;
  }

  /** The items of a variant family, in catalog order (empty for NO_GROUP or an unknown id). */
  familyMembers(family: number): Int32Array {
    if (family < 0 || family >= this.familyNames.length) return new Int32Array(0);
    this.families ??= groupMembers(this.familyId, this.familyNames.length);
    const { start, members } = this.families;
    return members.subarray(start[family] ?? 0, start[family + 1] ?? 0);
  }

  titleKey(index: number): number {
    return titleKey(this.title.get(index));
  }

  tierOf(index: number): number {
    return this.tier[index] ?? Number.NaN;
  }

  isAvailable(index: number): boolean {
    return this.available[index] === 1;
  }

  indexOf(sku: string): number | undefined {
    return this.bySku.get(sku);
  }
}

/** The pack columns as a blob stores them (the catalog and a paged model's head): none without sizes. */
export function packColumns(packs: PackColumns | null): ColumnInput[] {
  if (packs === null) return [];
  return [
    { name: "packMeasure", type: "u8", values: packs.measure },
    { name: "packAmount", type: "f32", values: packs.amount },
  ];
}

/** The pack columns of a blob whose meta says it has them, once every measure is known and every known one has a positive amount. */
export function readPacks(blob: DecodedContainer, items: number): PackColumns | null {
  if (blob.meta.packs !== true) return null;
  const measure = blob.numeric("packMeasure", "u8", items);
  const amount = blob.numeric("packAmount", "f32", items);
  for (let i = 0; i < measure.length; i++) {
    const m = measure[i] ?? NO_PACK;
    if (m > PackMeasure.count) throw new Error(`catalog: packMeasure ${m} is not a measure`);
    const a = amount[i] ?? Number.NaN;
    if (m !== NO_PACK && !(a > 0 && Number.isFinite(a))) throw new Error(`catalog: packAmount ${a} of item ${i}`);
  }
  return { measure, amount };
}

/** Items grouped by id (counting sort): members[start[g] .. start[g + 1]) are group g's, in index order. */
export function groupMembers(ids: GroupIds, groups: number): { start: Int32Array; members: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < ids.length; i++) {
    const g = ids[i] ?? NO_GROUP;
    if (g >= 0 && g < groups) start[g + 1] = (start[g + 1] ?? 0) + 1;
  }
  for (let g = 0; g < groups; g++) start[g + 1] = (start[g + 1] ?? 0) + (start[g] ?? 0);
  const next = start.slice(0, groups);
  const members = new Int32Array(start[groups] ?? 0);
  for (let i = 0; i < ids.length; i++) {
    const g = ids[i] ?? NO_GROUP;
    if (g < 0 || g >= groups) continue;
    members[next[g] ?? 0] = i;
    next[g] = (next[g] ?? 0) + 1;
  }
  return { start, members };
}
