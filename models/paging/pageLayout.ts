/**
 * Where a paged model keeps each item and each SKU: items in pages of `pageItems` consecutive catalog
 * indices, SKUs in buckets by a hash of their UTF-8 bytes. Both sides (the trainer writing pages, the
 * worker reading them) number pages here, so they cannot disagree.
 */

/**
 * Items per page. A cold also-bought reads its anchor's page and its ~32 candidates' pages, so a page
 * is a unit of KV traffic: 64 items keep one near 32 KB at the default 32 neighbours and 32 dimensions
 * (bench:serve measures it), small enough that a cold answer reads about 1 MB.
 */
export const DEFAULT_PAGE_ITEMS = 64;

/** SKUs per SKU page, on average: one read resolves an anchor. */
export const SKUS_PER_BUCKET = 512;

/** The page that holds item `item`. */
export function itemPageOf(item: number, pageItems: number): number {
  return Math.floor(item / pageItems);
}

export function itemPageCount(items: number, pageItems: number): number {
  return Math.ceil(items / pageItems);
}

export function skuBucketCount(items: number): number {
  return Math.max(1, Math.ceil(items / SKUS_PER_BUCKET));
}

const encoder = new TextEncoder();

/** FNV-1a over a SKU's UTF-8 bytes: the SKU page it lives on is `itemPages + hash % buckets`. */
export function skuBucket(sku: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(sku)) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0) % buckets;
}
