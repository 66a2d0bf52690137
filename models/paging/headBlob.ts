/**
 * head.bin: the part of a paged model an isolate holds whole. Per item, only what the rules read for
 * every candidate of every request (price, leaf category, variant family, availability, tier when the
 * catalog ranks, and the item's basket count, which every pair's confidence and lift divide by), plus
 * the stored ladder index and the category level (per-category lists over all items) and the page
 * table: each page's size and sha256, so a page read from KV is checked before it is trusted. Titles,
 * SKUs, neighbour rows, embeddings, evidence rows and lookalikes live in pages.
 */
import {
  decodeContainer,
  encodeContainer,
  type ColumnInput,
  type DecodedContainer,
  type Meta,
  type StringColumn,
} from "../blobContainer.js";
import { CategoryLevel } from "../categoryEvidence.js";
import { HEAD_SCHEMA_VERSION } from "../contract.js";
import { count } from "../evidenceColumns.js";
import { bitColumn, readTiers, tierColumn, type TierColumn } from "./compactColumns.js";
import type { LadderColumns } from "../rules/ladder.js";
import { NO_GROUP, packColumns, readPacks, type GroupIds, type PackColumns } from "../catalog.js";
import { readSignificance, significanceSection, type LevelSignificance } from "../significanceSection.js";

const KIND = "head";

/** Items grouped by family: family f's members are members[start[f] .. start[f + 1]), in catalog order. */
export interface FamilyGroups {
  start: Int32Array;
  members: Int32Array;
}
export const SHA256_BYTES = 32;

/** What the head stores as it is, in both its written and its decoded form. */
interface HeadFields {
  version: string;
  currency: string;
  currencyExponent: number;
  itemCount: number;
  /** K and d of the scoring rows; K of the evidence rows. */
  neighbours: number;
  dimension: number;
  evidenceNeighbours: number;
  totalBaskets: number;
  minSupport: number;
  pageItems: number;
  itemPages: number;
  skuPages: number;
  price: Int32Array;
  categoryId: GroupIds;
  familyId: Int32Array;
  familyCount: number;
  itemBaskets: Int32Array;
  /** [N] each title's key (models/catalog.ts titleKey): the diversity cap compares titles without pages. */
  titleKeys: Uint32Array;
  ladders: LadderColumns;
  /** Each variant family's members in catalog order (family ladders are sorted from these when asked for). */
  familyMembers: FamilyGroups;
  /** [pages] bytes of each page, item pages first. */
  pageBytes: Uint32Array;
  /** [pages × 32] each page's sha256. */
  pageSha256: Uint8Array;
  /** How each level's p-values fell (the evidence's, for the false-discovery control). */
  significance: LevelSignificance;
  /** Each item's learned product type and how many types there are, or null (models/catalog.ts). */
  types: { ids: GroupIds; count: number } | null;
  /** Pack sizes (5 bytes an item) where the catalog had a size column the trainer could read, or null. */
  packs: PackColumns | null;
}

/** Everything the head stores, as the trainer gives it. */
export interface HeadInput extends HeadFields {
  categoryNames: readonly string[];
  /** Empty when the catalog does not rank its ladders. */
  tier: Float32Array;
  available: Uint8Array;
  /** The category level's header fields and columns (models/categoryEvidence.ts), or null. */
  categoryLevel: { meta: Meta; columns: ColumnInput[] } | null;
}

/** Most categories 16 bits hold beside NO_GROUP (-1): a catalog's leaf categories nearly always fit. */
const I16_GROUPS = 0x7fff;

/** Group ids in 16 bits when every id fits: 2 bytes an item less in the isolate (2 MB at a million items). */
function groupColumn(name: string, ids: GroupIds, groups: number): ColumnInput {
  return groups <= I16_GROUPS
    ? { name, type: "i16", values: Int16Array.from(ids) }
    : { name, type: "i32", values: Int32Array.from(ids) };
}

export function encodeHead(head: HeadInput): Uint8Array<ArrayBuffer> {
  const category = head.categoryLevel ?? { meta: {}, columns: [] };
  const significance = significanceSection(head.significance);
  return encodeContainer(
    KIND,
    HEAD_SCHEMA_VERSION,
    {
      version: head.version,
      currency: head.currency,
      currencyExponent: head.currencyExponent,
      items: head.itemCount,
      neighbours: head.neighbours,
      dimension: head.dimension,
      evidenceNeighbours: head.evidenceNeighbours,
      totalBaskets: head.totalBaskets,
      minSupport: head.minSupport,
      pageItems: head.pageItems,
      itemPages: head.itemPages,
      skuPages: head.skuPages,
      categoryNameCount: head.categoryNames.length,
      families: head.familyCount,
      ladderCategoryMembers: head.ladders.categoryMembers.length,
      familyMembers: head.familyMembers.members.length,
      ranked: head.tier.length > 0,
      ...(head.types ? { types: head.types.count } : {}),
      ...(head.packs ? { packs: true } : {}),
      ...category.meta,
      ...significance.meta,
    },
    [
      { name: "price", type: "i32", values: head.price },
      groupColumn("categoryId", head.categoryId, head.categoryNames.length),
      { name: "categoryNames", type: "str", values: head.categoryNames },
      { name: "familyId", type: "i32", values: head.familyId },
      ...(head.tier.length > 0 ? [tierColumn("tier", head.tier)] : []),
      { name: "availableBits", type: "u8", values: bitColumn(head.available) },
      { name: "itemBaskets", type: "i32", values: head.itemBaskets },
      { name: "titleKey", type: "u32", values: head.titleKeys },
      ...(head.types ? [groupColumn("typeId", head.types.ids, head.types.count)] : []),
      ...packColumns(head.packs),
      { name: "ladderCategoryStart", type: "i32", values: head.ladders.categoryStart },
      { name: "ladderCategoryMembers", type: "i32", values: head.ladders.categoryMembers },
      { name: "familyStart", type: "i32", values: head.familyMembers.start },
      { name: "familyMembers", type: "i32", values: head.familyMembers.members },
      ...category.columns,
      ...significance.columns,
      { name: "pageBytes", type: "u32", values: head.pageBytes },
      { name: "pageSha256", type: "u8", values: head.pageSha256 },
    ],
  );
}

/** The decoded head: typed columns viewed in the blob, every id and page size checked. */
export interface Head extends HeadFields {
  categoryNames: StringColumn;
  /** Rank per item (NaN: unranked), stored narrow (models/paging/compactColumns.ts). */
  tiers: TierColumn;
  hasTiers: boolean;
  /** One bit an item: 1 = can be sold. */
  availableBits: Uint8Array;
  categoryLevel: CategoryLevel | null;
  /** [pages + 1] where each page starts in pages.bin. */
  pageOffsets: Float64Array;
  /** Bytes the head holds (the blob; every column is a view into it) plus the offsets it derives. */
  heldBytes: number;
}

function text(blob: DecodedContainer, key: string): string {
  const value = blob.meta[key];
  if (typeof value !== "string") throw new Error(`head: meta.${key} is not text`);
  return value;
}

/**
 * The first value outside [low, high), or null. One indexed loop for every check of the head: at a
 * million items they are millions of values a fresh isolate checks before its first answer, and a
 * single hot loop is what V8 compiles soonest (iterating typed arrays with for-of took ~60 ms).
 */
function outOfRange(values: Int32Array | Int16Array | Uint32Array, low: number, high: number): number | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < low || v >= high) return v;
  }
  return null;
}

function checkIds(values: Int32Array | Int16Array, low: number, high: number, what: string): void {
  const bad = outOfRange(values, low, high);
  if (bad !== null) throw new Error(`head: ${what} ${bad} out of range`);
}

function checkGroups(start: Int32Array, members: Int32Array, items: number, what: string): void {
  if (start[0] !== 0 || start[start.length - 1] !== members.length) throw new Error(`head: ${what} rows do not add up`);
  for (let g = 1; g < start.length; g++)
    if ((start[g] ?? 0) < (start[g - 1] ?? 0)) throw new Error(`head: ${what} rows go backwards`);
  checkIds(members, 0, items, `${what} member`);
}

function readTypes(blob: DecodedContainer, n: number): Head["types"] {
  if (blob.meta.types === undefined) return null;
  const types = count(blob.meta.types, "types");
  const ids = blob.typeOf("typeId") === "i16" ? blob.numeric("typeId", "i16", n) : blob.numeric("typeId", "i32", n);
  checkIds(ids, NO_GROUP, types, "typeId");
  return { ids, count: types };
}

export function decodeHead(bytes: Uint8Array): Head {
  const blob = decodeContainer(bytes, KIND, HEAD_SCHEMA_VERSION);
  const meta = (key: string) => count(blob.meta[key], key);
  const n = meta("items");
  const pageItems = meta("pageItems");
  const itemPages = meta("itemPages");
  const skuPages = meta("skuPages");
  if (pageItems === 0 || itemPages !== Math.ceil(n / pageItems) || skuPages === 0)
    throw new Error(`head: ${itemPages} item pages of ${pageItems} and ${skuPages} SKU pages do not fit ${n} items`);
  const pages = itemPages + skuPages;
  const categories = meta("categoryNameCount");
  const families = meta("families");
  const categoryId =
    blob.typeOf("categoryId") === "i16" ? blob.numeric("categoryId", "i16", n) : blob.numeric("categoryId", "i32", n);
  const familyId = blob.numeric("familyId", "i32", n);
  checkIds(categoryId, NO_GROUP, categories, "categoryId");
  checkIds(familyId, NO_GROUP, families, "familyId");
  const ladders: LadderColumns = {
    categoryStart: blob.numeric("ladderCategoryStart", "i32", categories + 1),
    categoryMembers: blob.numeric("ladderCategoryMembers", "i32", meta("ladderCategoryMembers")),
  };
  const familyMembers: FamilyGroups = {
    start: blob.numeric("familyStart", "i32", families + 1),
    members: blob.numeric("familyMembers", "i32", meta("familyMembers")),
  };
  checkGroups(ladders.categoryStart, ladders.categoryMembers, n, "category ladder");
  checkGroups(familyMembers.start, familyMembers.members, n, "family");
  const totalBaskets = meta("totalBaskets");
  const itemBaskets = blob.numeric("itemBaskets", "i32", n);
  checkIds(itemBaskets, 0, totalBaskets + 1, "item baskets");
  const categoryLevel = blob.meta.categories === undefined ? null : new CategoryLevel(blob, n);
  const pageBytes = blob.numeric("pageBytes", "u32", pages);
  const pageOffsets = new Float64Array(pages + 1);
  for (let p = 0; p < pages; p++) pageOffsets[p + 1] = (pageOffsets[p] ?? 0) + (pageBytes[p] ?? 0);
  return {
    version: text(blob, "version"),
    currency: text(blob, "currency"),
    currencyExponent: meta("currencyExponent"),
    itemCount: n,
    neighbours: meta("neighbours"),
    dimension: meta("dimension"),
    evidenceNeighbours: meta("evidenceNeighbours"),
    totalBaskets,
    minSupport: meta("minSupport"),
    pageItems,
    itemPages,
    skuPages,
    price: blob.numeric("price", "i32", n),
    categoryId,
    categoryNames: blob.strings("categoryNames", categories).remembering(),
    familyId,
    familyCount: families,
    tiers: readTiers(blob, "tier", n),
    hasTiers: blob.meta.ranked === true,
    availableBits: blob.numeric("availableBits", "u8", Math.ceil(n / 8)),
    itemBaskets,
    titleKeys: blob.numeric("titleKey", "u32", n),
    ladders,
    familyMembers,
    categoryLevel,
    pageBytes,
    pageOffsets,
    pageSha256: blob.numeric("pageSha256", "u8", pages * SHA256_BYTES),
    significance: readSignificance(blob),
    types: readTypes(blob, n),
    packs: readPacks(blob, n),
    heldBytes: bytes.byteLength + pageOffsets.byteLength,
  };
}
