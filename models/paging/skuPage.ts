/**
 * A SKU page: the SKUs whose hash falls in one bucket (pageLayout.skuBucket) with their catalog
 * indices, so an anchor is found with one read and no SKU is held in the isolate before it is asked.
 */
import { decodeContainer, encodeContainer } from "../blobContainer.js";
import { SkuIndex } from "../skuIndex.js";
import { PAGE_SCHEMA_VERSION } from "../contract.js";
import { count } from "../evidenceColumns.js";

const KIND = "skuPage";

export function encodeSkuPage(
  version: string,
  page: number,
  skus: readonly string[],
  items: Uint32Array,
): Uint8Array<ArrayBuffer> {
  return encodeContainer(KIND, PAGE_SCHEMA_VERSION, { version, page, count: skus.length }, [
    { name: "sku", type: "str", values: skus },
    { name: "item", type: "u32", values: items },
  ]);
}

/**
 * What a decoded page's objects (the index with its encoder and scratch bytes, the column views) take
 * beside its value and slots: ~1.8 KB measured in Node 20's V8 on bench:synth's 200k shop, where a
 * page then holds 16.3 KB in all (value 8.5, slots 6.0).
 */
const DECODED_OBJECT_BYTES = 1_800;

/** A SKU page's SKUs → catalog indices, read in place from the page's bytes. */
export interface SkuLookup {
  get(sku: string): number | undefined;
}

export interface SkuPage {
  page: number;
  /** What the decoded page holds (its value, which the index reads in place, and the index's slots). */
  bytes: number;
  /** SKU → catalog index; a SKU listed twice in the catalog resolves to its last row, as the whole catalog's index does. */
  items: SkuLookup;
}

/**
 * A SKU page, checked (every index inside the catalog) and indexed over its UTF-8 bytes as the whole
 * catalog is (models/skuIndex.ts): a Map of decoded strings held ~4× the page's value in V8 (33.4 KB
 * for an 8.5 KB page of ~512 SKUs, against 16.3 KB so), and 2,000 anchors read most of a 200k shop's.
 */
export function decodeSkuPage(bytes: Uint8Array, version: string, page: number, itemCount: number): SkuPage {
  const blob = decodeContainer(bytes, KIND, PAGE_SCHEMA_VERSION);
  if (blob.meta.version !== version || blob.meta.page !== page)
    throw new Error(
      `page: holds ${String(blob.meta.version)} page ${String(blob.meta.page)}, expected ${version} page ${page}`,
    );
  const n = count(blob.meta.count, "count");
  const skus = blob.strings("sku", n);
  const indices = blob.numeric("item", "u32", n);
  for (let r = 0; r < n; r++) {
    const item = indices[r] ?? itemCount;
    if (item >= itemCount) throw new Error(`page: SKU row ${r} names item ${item} outside ${itemCount}`);
  }
  const index = new SkuIndex(skus);
  return {
    page,
    bytes: bytes.byteLength + index.slotBytes + DECODED_OBJECT_BYTES,
    items: {
      get: (sku) => {
        const row = index.get(sku);
        return row === undefined ? undefined : indices[row];
      },
    },
  };
}
