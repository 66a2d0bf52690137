/**
 * A SKU page: the SKUs whose hash falls in one bucket (pageLayout.skuBucket) with their catalog
 * indices, so an anchor is found with one read and no SKU is held in the isolate before it is asked.
 */
import { decodeContainer, encodeContainer, keptStringBytes } from "../blobContainer.js";
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
 * A Map entry's share of its table in V8 (key, value and chain slots, and the buckets at the table's
 * load). A decoded SKU page is its Map and SKU strings, about four times its value's bytes: measured in
 * Node 20's V8, 33.4 KB a page of ~512 eight-character SKUs whose value is 8.5 KB (this estimate: 32.7).
 */
const MAP_ENTRY_BYTES = 24;

export interface SkuPage {
  page: number;
  /** What the decoded page takes (its Map and strings; the value itself is not kept), for the page cache. */
  bytes: number;
  /** SKU → catalog index; a SKU listed twice in the catalog resolves to its last row, as the whole catalog's index does. */
  items: Map<string, number>;
}

export function decodeSkuPage(bytes: Uint8Array, version: string, page: number, itemCount: number): SkuPage {
  const blob = decodeContainer(bytes, KIND, PAGE_SCHEMA_VERSION);
  if (blob.meta.version !== version || blob.meta.page !== page)
    throw new Error(
      `page: holds ${String(blob.meta.version)} page ${String(blob.meta.page)}, expected ${version} page ${page}`,
    );
  const n = count(blob.meta.count, "count");
  const skus = blob.strings("sku", n);
  const indices = blob.numeric("item", "u32", n);
  const items = new Map<string, number>();
  let held = 0;
  for (let r = 0; r < n; r++) {
    const item = indices[r] ?? itemCount;
    if (item >= itemCount) throw new Error(`page: SKU row ${r} names item ${item} outside ${itemCount}`);
    const sku = skus.get(r);
    items.set(sku, item);
    held += MAP_ENTRY_BYTES + keptStringBytes(sku.length);
  }
  return { page, bytes: held, items };
}
