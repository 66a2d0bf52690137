/**
 * An item page: everything a paged model keeps per item outside the head, for the consecutive items
 * [first, first + count): SKU, title and brand; the scoring row (neighbours, quantized weights and
 * confidences with their scales, embedding); the evidence row (neighbours on record and the baskets
 * each pair shares); and the stored title lookalikes. Each page names its version and number, so a
 * page of another version (or another page's value under this key) is refused, never mixed in.
 */
import { decodeContainer, encodeContainer, type StringColumn } from "../blobContainer.js";
import { PAGE_SCHEMA_VERSION } from "../contract.js";
import { count, narrow, narrowColumn } from "../evidenceColumns.js";
import { quantizedColumns, readQuantizedRows, type QuantizedRows } from "../tablesBlob.js";

const KIND = "itemPage";

/** The page's items' rows: [count × K] scoring slots, [count × d] embeddings, one scale per row. */
interface PageRows<Ids> extends QuantizedRows {
  /** [count × K] neighbours of each item's scoring row (unused slots hold the item itself). */
  neighbourItems: Ids;
  /** [count + 1] item r's evidence slots are evidenceItems[evidenceStart[r] .. evidenceStart[r + 1]). */
  evidenceStart: Uint32Array;
  evidenceItems: Ids;
  evidenceSupport: Ids;
  /** Each evidence slot's weight code (models/evidence.ts pairWeight), or null for a model without them. */
  evidenceWeight: Uint8Array | null;
  /** [count + 1] item r's stored lookalikes, best first. */
  lookalikeStart: Uint32Array;
  lookalikeItems: Ids;
}

export interface ItemPageInput extends PageRows<Uint32Array> {
  version: string;
  page: number;
  first: number;
  neighbours: number;
  dimension: number;
  skus: readonly string[];
  titles: readonly string[];
  brands: readonly string[];
}

export function encodeItemPage(page: ItemPageInput): Uint8Array<ArrayBuffer> {
  return encodeContainer(
    KIND,
    PAGE_SCHEMA_VERSION,
    {
      version: page.version,
      page: page.page,
      first: page.first,
      count: page.skus.length,
      neighbours: page.neighbours,
      dimension: page.dimension,
      evidenceSlots: page.evidenceItems.length,
      lookalikes: page.lookalikeItems.length,
    },
    [
      { name: "sku", type: "str", values: page.skus },
      { name: "title", type: "str", values: page.titles },
      { name: "brand", type: "str", values: page.brands },
      // Indices and counts in 16 bits where a page's all fit (every page of a catalog up to 65,535 items).
      narrow("neighbourItems", page.neighbourItems),
      ...quantizedColumns(page),
      { name: "evidenceStart", type: "u32", values: page.evidenceStart },
      narrow("evidenceItems", page.evidenceItems),
      narrow("evidenceSupport", page.evidenceSupport),
      ...(page.evidenceWeight ? [{ name: "evidenceWeight", type: "u8", values: page.evidenceWeight } as const] : []),
      { name: "lookalikeStart", type: "u32", values: page.lookalikeStart },
      narrow("lookalikeItems", page.lookalikeItems),
    ],
  );
}

/** A decoded page: its rows (indices and counts in the width they were stored), strings decoded on demand. */
export interface ItemPage extends PageRows<Uint16Array | Uint32Array> {
  page: number;
  first: number;
  count: number;
  /** What a page cache counts: the page value's bytes and its objects, and the strings it has kept since (see decodeItemPage). */
  bytes: number;
  sku: StringColumn;
  title: StringColumn;
  brand: StringColumn;
}

/** What a page must agree with: the head it was read under. */
export interface PageExpectation {
  version: string;
  page: number;
  first: number;
  count: number;
  neighbours: number;
  dimension: number;
  evidenceNeighbours: number;
  itemCount: number;
}

function checkStarts(starts: Uint32Array, length: number, most: number, what: string): void {
  if (starts[0] !== 0 || starts[starts.length - 1] !== length) throw new Error(`page: ${what} rows do not add up`);
  for (let r = 1; r < starts.length; r++) {
    const size = (starts[r] ?? 0) - (starts[r - 1] ?? 0);
    if (size < 0 || size > most) throw new Error(`page: ${what} row of ${size}`);
  }
}

function checkItems(items: Uint16Array | Uint32Array, itemCount: number, what: string): void {
  for (const j of items) if (j >= itemCount) throw new Error(`page: ${what} ${j} outside ${itemCount} items`);
}

/**
 * What a decoded item page holds beside its value (which its columns view in place): the typed-array
 * views and column objects, ~2.6 KB a page measured in Node 20's V8 on bench:synth's 200k shop.
 */
export const ITEM_PAGE_OBJECT_BYTES = 2_600;

/**
 * Decodes and checks a page in full (sizes, every index inside the catalog) before anything reads it.
 * Its SKUs, titles and brands are decoded when read and kept, and `kept` hears what each one takes.
 */
export function decodeItemPage(
  bytes: Uint8Array,
  expected: PageExpectation,
  kept: (bytes: number) => void = () => undefined,
): ItemPage {
  const blob = decodeContainer(bytes, KIND, PAGE_SCHEMA_VERSION);
  const { version, page, first } = blob.meta;
  if (version !== expected.version || page !== expected.page || first !== expected.first)
    throw new Error(
      `page: holds ${String(version)} page ${String(page)}, expected ${expected.version} page ${expected.page}`,
    );
  const n = count(blob.meta.count, "count");
  const K = count(blob.meta.neighbours, "neighbours");
  const d = count(blob.meta.dimension, "dimension");
  if (n !== expected.count || K !== expected.neighbours || d !== expected.dimension)
    throw new Error(`page: ${n} items of ${K} slots (d ${d}), expected ${expected.count} of ${expected.neighbours}`);
  const slots = count(blob.meta.evidenceSlots, "evidenceSlots");
  const lookalikes = count(blob.meta.lookalikes, "lookalikes");
  const decoded: ItemPage = {
    page: expected.page,
    first: expected.first,
    count: n,
    bytes: bytes.byteLength + ITEM_PAGE_OBJECT_BYTES,
    sku: blob.strings("sku", n).remembering(kept),
    title: blob.strings("title", n).remembering(kept),
    brand: blob.strings("brand", n).remembering(kept),
    neighbourItems: narrowColumn(blob, "neighbourItems", n * K),
    ...readQuantizedRows(blob, n, K, d),
    evidenceStart: blob.numeric("evidenceStart", "u32", n + 1),
    evidenceItems: narrowColumn(blob, "evidenceItems", slots),
    evidenceSupport: narrowColumn(blob, "evidenceSupport", slots),
    evidenceWeight: blob.has("evidenceWeight") ? blob.numeric("evidenceWeight", "u8", slots) : null,
    lookalikeStart: blob.numeric("lookalikeStart", "u32", n + 1),
    lookalikeItems: narrowColumn(blob, "lookalikeItems", lookalikes),
  };
  checkItems(decoded.neighbourItems, expected.itemCount, "neighbour");
  checkStarts(decoded.evidenceStart, slots, expected.evidenceNeighbours, "evidence");
  checkItems(decoded.evidenceItems, expected.itemCount, "evidence neighbour");
  checkStarts(decoded.lookalikeStart, lookalikes, Number.MAX_SAFE_INTEGER, "lookalike");
  checkItems(decoded.lookalikeItems, expected.itemCount, "lookalike");
  return decoded;
}
