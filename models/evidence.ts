import { EVIDENCE_SCHEMA_VERSION } from "./contract.js";
import { BlobFormatError, decodeContainer, encodeContainer, type DecodedContainer } from "./blobContainer.js";
import {
  CategoryLevel,
  categorySection,
  type CategoryAffinityRows,
  type CategoryPairEvidence,
} from "./categoryEvidence.js";
import { lookalikeSection, Lookalikes, type LookalikeRows } from "./lookalikes.js";
import { count, narrowColumn } from "./evidenceColumns.js";
import {
  NO_SIGNIFICANCE,
  readSignificance,
  significanceSection,
  type LevelSignificance,
} from "./significanceSection.js";
import type { PairEvidence } from "./pairEvidence.js";

export type { CategoryAffinityRows, CategoryPairEvidence } from "./categoryEvidence.js";
export type { PairEvidence } from "./pairEvidence.js";

const KIND = "evidence";
/** Schema 2 blobs (before the category level) are still read: they are schema 3 without its section. */
const PREVIOUS_SCHEMA_VERSION = 2;
/** Marks an unused neighbour slot. */
export const NO_NEIGHBOUR = -1;
/**
 * How many title lookalikes a cold anchor's walk starts from. The trainer stores enough of each
 * product's list to give the first this many over any floor (trainer/learn/titleLookalikes.ts), and
 * lookalikesOf takes them at the floor the answer is served at.
 */
export const LOOKALIKES_PER_ITEM = 3;

/** Co-purchase evidence behind the model's neighbour lists: the numbers a suggestion is explained with. */
export interface EvidenceRows {
  /** Baskets behind itemBaskets (the denominator of every probability). */
  totalBaskets: number;
  /** The privacy floor the trainer applied: no pair below it is stored. */
  minSupport: number;
  /** K: neighbour slots per item, the same lists as the ONNX model's. */
  neighbours: number;
  /** [N] distinct baskets holding each item. */
  itemBaskets: Int32Array;
  /** [N × K] neighbour indices, NO_NEIGHBOUR for unused slots. */
  neighbourItems: Int32Array;
  /** [N × K] distinct baskets holding both. */
  support: Int32Array;
  /**
   * [N × K] the mean basket-size weight of those baskets (an average line weighs 1, a wholesale order
   * of 700 items about half; trainer/learn/coPurchase.ts): support × it is what the pair is worth.
   */
  basketWeight?: Float32Array;
  /** The category level; absent when the catalog has no categories or there were no order lines. */
  categories?: CategoryAffinityRows;
  /** Cold products' title lookalikes (catalogs without categories). */
  lookalikes?: LookalikeRows;
  /** How each level's p-values fell, for the false-discovery control (models/rules/significance.ts). */
  significance?: LevelSignificance;
}

/** Neighbour indices fit 16 bits in catalogs up to this size; larger ones take 32. */
const U16_LIMIT = 0xffff;
const U8_LIMIT = 0xff;

/** A pair's mean basket weight in a byte, in 64ths (1/64 … 255/64 ≈ 4): the precision a floor needs. */
export const WEIGHT_UNITS = 64;
export function weightCode(weight: number): number {
  return Math.min(255, Math.max(1, Math.round(weight * WEIGHT_UNITS)));
}

/** Where each item's row starts (n + 1 entries), from the row lengths. */
function rowStarts(lengths: ArrayLike<number>, n: number): { name: string; type: "u32"; values: Uint32Array } {
  const starts = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) starts[i + 1] = (starts[i] ?? 0) + (lengths[i] ?? 0);
  return { name: "rowStart", type: "u32", values: starts };
}

/**
 * Stored compressed by row: only the slots that hold a neighbour (often half of them or fewer), with
 * indices and supports in 16 bits when they fit. At 200k items this is the difference between
 * 52 MB and about a third of it in the isolate, which has 128 MB in all.
 */
export function encodeEvidence(rows: EvidenceRows): Uint8Array<ArrayBuffer> {
  const n = rows.itemBaskets.length;
  const K = rows.neighbours;
  const rowLength = new Uint32Array(n);
  const items: number[] = [];
  const supports: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const before = items.length;
    for (let k = i * K; k < (i + 1) * K; k++) {
      const j = rows.neighbourItems[k] ?? NO_NEIGHBOUR;
      if (j === NO_NEIGHBOUR) continue;
      items.push(j);
      supports.push(rows.support[k] ?? 0);
      weights.push(weightCode(rows.basketWeight?.[k] ?? 1));
    }
    rowLength[i] = items.length - before;
  }
  const wideItems = n > U16_LIMIT;
  const wideSupport = supports.some((x) => x > U16_LIMIT);
  const section = rows.categories ? categorySection(rows.categories) : { meta: {}, columns: [] };
  const lookalikes = rows.lookalikes ? lookalikeSection(rows.lookalikes) : { meta: {}, columns: [] };
  const significance = significanceSection(rows.significance ?? NO_SIGNIFICANCE);
  return encodeContainer(
    KIND,
    EVIDENCE_SCHEMA_VERSION,
    {
      items: n,
      pairs: items.length,
      totalBaskets: rows.totalBaskets,
      minSupport: rows.minSupport,
      neighbours: K,
      ...section.meta,
      ...lookalikes.meta,
      ...significance.meta,
    },
    [
      { name: "itemBaskets", type: "i32", values: rows.itemBaskets },
      // Row lengths in a byte each (K ≤ 255), not u32 row starts: 3 bytes per item less in KV.
      K <= U8_LIMIT ? { name: "rowLength", type: "u8", values: Uint8Array.from(rowLength) } : rowStarts(rowLength, n),
      wideItems
        ? { name: "neighbourItems", type: "u32", values: Uint32Array.from(items) }
        : { name: "neighbourItems", type: "u16", values: Uint16Array.from(items) },
      wideSupport
        ? { name: "support", type: "u32", values: Uint32Array.from(supports) }
        : { name: "support", type: "u16", values: Uint16Array.from(supports) },
      ...(rows.basketWeight ? [{ name: "pairWeight", type: "u8", values: Uint8Array.from(weights) } as const] : []),
      ...section.columns,
      ...lookalikes.columns,
      ...significance.columns,
    ],
  );
}

/** This schema's container, or a schema-2 one; a blob that is neither throws the current schema's error. */
function decodeEvidenceContainer(bytes: Uint8Array): DecodedContainer {
  try {
    return decodeContainer(bytes, KIND, EVIDENCE_SCHEMA_VERSION);
  } catch (error) {
    if (!(error instanceof BlobFormatError)) throw error;
    try {
      return decodeContainer(bytes, KIND, PREVIOUS_SCHEMA_VERSION);
    } catch {
      throw error;
    }
  }
}

const NO_ITEMS: ArrayLike<number> = new Uint16Array(0);

/**
 * What the answer pipeline reads of the evidence: the whole blob (`Evidence`) or a paged model's
 * resident counts and category level with each item's row in its page (the worker). A row is the
 * slots [rowBegin(item), rowEnd(item)); slots are handles, valid only with the view that gave them.
 */
export interface EvidenceView {
  readonly itemCount: number;
  readonly totalBaskets: number;
  readonly minSupport: number;
  readonly neighbours: number;
  readonly itemBaskets: Int32Array;
  readonly hasCategoryLevel: boolean;
  /** How each level's p-values fell (null levels: a model trained before the counts). */
  readonly significance: LevelSignificance;
  lookalikesOf(item: number, minSupport: number): number[];
  categoryBaskets(category: number): number;
  categoryPartners(category: number): readonly CategoryPairEvidence[];
  isSecondHandCategoryPair(category: number, other: number): boolean;
  categoryItems(category: number): ArrayLike<number>;
  pair(item: number, other: number): PairEvidence | null;
  rowBegin(item: number): number;
  rowEnd(item: number): number;
  neighbourAt(slot: number): number;
  supportAt(slot: number): number;
  pairAt(item: number, slot: number): PairEvidence | null;
  hasNeighbours(item: number): boolean;
}

/**
 * A cold product's lookalikes at a floor, from the list the trainer stored for it: under a floor of
 * `floor` baskets a product in fewer baskets has no pair to show, and its lookalikes are the first
 * LOOKALIKES_PER_ITEM stored ones in at least that many (none for a product over the floor).
 */
export function lookalikesAtFloor(
  item: number,
  stored: ArrayLike<number>,
  itemBaskets: Int32Array,
  floor: number,
): number[] {
  const out: number[] = [];
  if ((itemBaskets[item] ?? 0) >= floor) return out;
  for (let k = 0; k < stored.length && out.length < LOOKALIKES_PER_ITEM; k++) {
    const other = stored[k] ?? item;
    if ((itemBaskets[other] ?? 0) >= floor) out.push(other);
  }
  return out;
}

/** Evidence that buyers of `item` also bought `other`: a scan of the item's row, in any view. */
export function findPair(view: EvidenceView, item: number, other: number): PairEvidence | null {
  const end = view.rowEnd(item);
  for (let slot = view.rowBegin(item); slot < end; slot++) {
    if (view.neighbourAt(slot) === other) return view.pairAt(item, slot);
  }
  return null;
}

/**
 * The evidence pair of an item (in `baskets` baskets) and a neighbour, or null when either was never
 * sold; with the pair's weight code (pairWeight), also what it is worth in average baskets.
 */
export function pairEvidence(
  support: number,
  baskets: number,
  otherBaskets: number,
  totalBaskets: number,
  weight: number | null = null,
): PairEvidence | null {
  if (baskets === 0 || otherBaskets === 0) return null;
  const confidence = support / baskets;
  const lift = (confidence * totalBaskets) / otherBaskets;
  return weight === null
    ? { support, confidence, lift }
    : { support, confidence, lift, worth: (support * weight) / WEIGHT_UNITS };
}

export class Evidence implements EvidenceView {
  readonly itemCount: number;
  readonly totalBaskets: number;
  readonly minSupport: number;
  /** K: the most neighbours any item has on record. */
  readonly neighbours: number;
  readonly itemBaskets: Int32Array;
  /** [N + 1] where each item's neighbours start in neighbourItems and support. */
  private readonly rowStart: Uint32Array;
  private readonly neighbourItems: Uint16Array | Uint32Array;
  private readonly support: Uint16Array | Uint32Array;
  /** Each stored pair's weight code, or null for a model trained before basket weights. */
  private readonly pairWeight: Uint8Array | null;
  private readonly categoryLevel: CategoryLevel | null;
  private readonly lookalikes: Lookalikes;
  /** True when the blob holds the category level (catalog with categories, trained from order lines). */
  readonly hasCategoryLevel: boolean;
  readonly significance: LevelSignificance;

  constructor(bytes: Uint8Array, expectedItems: number) {
    const blob = decodeEvidenceContainer(bytes);
    this.itemCount = count(blob.meta.items, "items");
    if (this.itemCount !== expectedItems) {
      throw new Error(`evidence covers ${this.itemCount} items, the catalog ${expectedItems}`);
    }
    this.totalBaskets = count(blob.meta.totalBaskets, "totalBaskets");
    this.minSupport = count(blob.meta.minSupport, "minSupport");
    this.neighbours = count(blob.meta.neighbours, "neighbours");
    const pairs = count(blob.meta.pairs, "pairs");
    const n = this.itemCount;
    this.itemBaskets = blob.numeric("itemBaskets", "i32", n);
    // Schema 3 stores row lengths (rowStart when K > 255); schema 2 always row starts.
    this.rowStart = blob.has("rowLength")
      ? rowStarts(blob.numeric("rowLength", "u8", n), n).values
      : blob.numeric("rowStart", "u32", n + 1);
    this.neighbourItems = narrowColumn(blob, "neighbourItems", pairs);
    this.support = narrowColumn(blob, "support", pairs);
    this.pairWeight = blob.has("pairWeight") ? blob.numeric("pairWeight", "u8", pairs) : null;
    if (this.rowStart[0] !== 0 || this.rowStart[n] !== pairs) throw new Error("evidence: rows do not cover the pairs");
    for (let i = 0; i < n; i++) {
      const length = (this.rowStart[i + 1] ?? 0) - (this.rowStart[i] ?? 0);
      if (length < 0 || length > this.neighbours) throw new Error(`evidence: item ${i} has ${length} neighbours`);
    }
    for (const j of this.neighbourItems) if (j >= n) throw new Error(`evidence: neighbour ${j} out of range`);
    // A schema-2 blob has no category level; a schema-3 one has it exactly when its header counts categories.
    const categorised = blob.schemaVersion === EVIDENCE_SCHEMA_VERSION && blob.meta.categories !== undefined;
    this.categoryLevel = categorised ? new CategoryLevel(blob, n) : null;
    if (this.categoryLevel && this.categoryLevel.totalBaskets > this.totalBaskets)
      throw new Error("evidence: the category level counts more baskets than the model");
    this.hasCategoryLevel = this.categoryLevel !== null;
    this.lookalikes = new Lookalikes(blob, n);
    this.significance = readSignificance(blob);
  }

  /**
   * A cold product's lookalikes by title, best first: under a floor of `minSupport` baskets (the rules',
   * never below the trainer's), a product in fewer baskets has no pair to show, and its lookalikes are
   * the first LOOKALIKES_PER_ITEM of those stored that are in at least that many (none for a product
   * over the floor, or without the section). Blobs trained before the floor was applied here hold
   * lookalikes only for products under the default floor (5), among products over it: at another floor
   * they give fewer, never other ones.
   */
  lookalikesOf(item: number, minSupport: number): number[] {
    return lookalikesAtFloor(item, this.lookalikes.of(item), this.itemBaskets, Math.max(minSupport, this.minSupport));
  }

  /** The category level as stored, for a paged model's head (null without one). */
  categorySection(): ReturnType<CategoryLevel["section"]> | null {
    return this.categoryLevel?.section() ?? null;
  }

  /** Every lookalike the trainer stored for the item, best first (what a page of a paged model keeps). */
  storedLookalikes(item: number): ArrayLike<number> {
    return this.lookalikes.of(item);
  }

  /** Distinct (counted) baskets holding any item of the leaf category; 0 when unknown. */
  categoryBaskets(category: number): number {
    return this.categoryLevel?.basketsOf(category) ?? 0;
  }

  /**
   * The category's complementary categories, best first, each with the evidence of the category pair
   * (support = baskets holding both, confidence = support / baskets(category),
   * lift = confidence × the category level's counted baskets / baskets(partner)).
   */
  categoryPartners(category: number): readonly CategoryPairEvidence[] {
    return this.categoryLevel?.partnersOf(category) ?? [];
  }

  /**
   * Whether two categories' pair is second-hand: bought together mostly because both go with a third
   * category (a case and a screen protector, each bought with the phone). False without the level.
   */
  isSecondHandCategoryPair(category: number, other: number): boolean {
    return this.categoryLevel?.isSecondHand(category, other) ?? false;
  }

  /** The category's items: best sellers first, then never-sold items (catalog order). */
  categoryItems(category: number): ArrayLike<number> {
    return this.categoryLevel?.itemsOf(category) ?? NO_ITEMS;
  }

  /** Evidence that buyers of `item` also bought `other`, or null when the pair is not on record. */
  pair(item: number, other: number): PairEvidence | null {
    return findPair(this, item, other);
  }

  /** The item's neighbours on record are slots [rowBegin(item), rowEnd(item)). */
  rowBegin(item: number): number {
    return this.rowStart[item] ?? 0;
  }

  rowEnd(item: number): number {
    return this.rowStart[item + 1] ?? 0;
  }

  /** The neighbour in a slot of some item's row. */
  neighbourAt(slot: number): number {
    return this.neighbourItems[slot] ?? -1;
  }

  /** Baskets holding an item and the neighbour in one of its slots (a cheap first test before pairAt). */
  supportAt(slot: number): number {
    return this.support[slot] ?? 0;
  }

  /** The evidence of `item` and the neighbour in one of its slots (null when either was never sold). */
  pairAt(item: number, slot: number): PairEvidence | null {
    return pairEvidence(
      this.support[slot] ?? 0,
      this.itemBaskets[item] ?? 0,
      this.itemBaskets[this.neighbourItems[slot] ?? -1] ?? 0,
      this.totalBaskets,
      this.weightCodeAt(slot),
    );
  }

  /** Whether the model weighs pairs by their baskets' sizes (pairWeight; trained after basket weights). */
  get hasPairWeights(): boolean {
    return this.pairWeight !== null;
  }

  /** A slot's weight code (pairWeight), or null without basket weights: what a paged model's page keeps. */
  weightCodeAt(slot: number): number | null {
    return this.pairWeight === null ? null : (this.pairWeight[slot] ?? null);
  }

  /** Whether the item has any co-purchase neighbour on record. */
  hasNeighbours(item: number): boolean {
    return this.rowEnd(item) > this.rowBegin(item);
  }
}
