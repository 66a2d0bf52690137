/**
 * A SKU page: the SKUs whose hash falls in one bucket (pageLayout.skuBucket) with their catalog
 * indices, so an anchor is found with one read and no SKU is held in the isolate before it is asked.
 */
import { decodeContainer, encodeContainer } from "../blobContainer.js";
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

export interface SkuPage {
  page: number;
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
  for (let r = 0; r < n; r++) {
    const item = indices[r] ?? itemCount;
    if (item >= itemCount) throw new Error(`page: SKU row ${r} names item ${item} outside ${itemCount}`);
    items.set(skus.get(r), item);
  }
  return { page, bytes: bytes.byteLength, items };
}
