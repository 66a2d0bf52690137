/**
 * A paged model from a version's whole blobs: head.bin and the pages, item pages first, then SKU
 * pages. Built from the decoded catalog, evidence and tables (not from the trainer's memory), so the
 * pages of any version folder can be rebuilt and compared, and the answers of both forms must agree.
 * Pages are handed out one at a time: at 1,000,000 items they are hundreds of MB, never held at once.
 */
import { groupMembers, type Catalog } from "../catalog.js";
import { sha256Hex } from "../digest.js";
import type { Evidence } from "../evidence.js";
import { LadderIndex } from "../rules/ladder.js";
import { neighbourAt, type RowTables } from "../tablesBlob.js";
import { encodeHead, SHA256_BYTES } from "./headBlob.js";
import { encodeItemPage } from "./itemPage.js";
import { DEFAULT_PAGE_ITEMS, itemPageCount, skuBucket, skuBucketCount } from "./pageLayout.js";
import { encodeSkuPage } from "./skuPage.js";

export interface PagedSource {
  version: string;
  catalog: Catalog;
  evidence: Evidence;
  tables: RowTables;
  pageItems?: number;
}

export interface PagedBuild {
  head: Uint8Array<ArrayBuffer>;
  pages: number;
  /** Bytes of all pages together (pages.bin). */
  pageBytes: number;
}

function hexToBytes(hex: string, into: Uint8Array, at: number): void {
  for (let i = 0; i < SHA256_BYTES; i++) into[at + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
}

function itemPage(source: PagedSource, page: number, pageItems: number): Uint8Array<ArrayBuffer> {
  const { catalog, evidence, tables, version } = source;
  const { neighbours: K, dimension: d } = tables;
  const first = page * pageItems;
  const last = Math.min(catalog.size, first + pageItems);
  const n = last - first;
  const range = Array.from({ length: n }, (_, r) => first + r);
  const neighbourItems = new Uint32Array(n * K);
  for (let s = 0; s < n * K; s++)
    neighbourItems[s] = neighbourAt(tables.neighbourLow, tables.neighbourHigh, first * K + s);
  const evidenceStart = new Uint32Array(n + 1);
  const evidenceItems: number[] = [];
  const evidenceSupport: number[] = [];
  const evidenceWeight: number[] = [];
  const lookalikeStart = new Uint32Array(n + 1);
  const lookalikeItems: number[] = [];
  range.forEach((item, r) => {
    for (let slot = evidence.rowBegin(item), end = evidence.rowEnd(item); slot < end; slot++) {
      evidenceItems.push(evidence.neighbourAt(slot));
      evidenceSupport.push(evidence.supportAt(slot));
      evidenceWeight.push(evidence.weightCodeAt(slot) ?? 0);
    }
    evidenceStart[r + 1] = evidenceItems.length;
    lookalikeItems.push(...Array.from(evidence.storedLookalikes(item)));
    lookalikeStart[r + 1] = lookalikeItems.length;
  });
  return encodeItemPage({
    version,
    page,
    first,
    neighbours: K,
    dimension: d,
    skus: range.map((i) => catalog.sku.get(i)),
    titles: range.map((i) => catalog.title.get(i)),
    brands: range.map((i) => catalog.brand.get(i)),
    neighbourItems,
    neighbourWeights: tables.neighbourWeights.slice(first * K, last * K),
    neighbourScales: tables.neighbourScales.slice(first, last),
    confidenceWeights: tables.confidenceWeights.slice(first * K, last * K),
    confidenceScales: tables.confidenceScales.slice(first, last),
    embeddings: tables.embeddings.slice(first * d, last * d),
    embeddingScales: tables.embeddingScales.slice(first, last),
    evidenceStart,
    evidenceItems: Uint32Array.from(evidenceItems),
    evidenceSupport: Uint32Array.from(evidenceSupport),
    evidenceWeight: evidence.hasPairWeights ? Uint8Array.from(evidenceWeight) : null,
    lookalikeStart,
    lookalikeItems: Uint32Array.from(lookalikeItems),
  });
}

function skuPages(source: PagedSource, buckets: number): { skus: string[]; items: number[] }[] {
  const out = Array.from({ length: buckets }, () => ({ skus: [] as string[], items: [] as number[] }));
  for (let i = 0; i < source.catalog.size; i++) {
    const sku = source.catalog.sku.get(i);
    const bucket = out[skuBucket(sku, buckets)];
    bucket?.skus.push(sku);
    bucket?.items.push(i);
  }
  return out;
}

/**
 * Builds the paged form of one version: `write` receives each page in order (await it before the
 * next is built), and the head comes back last, since it holds every page's size and sha256.
 */
export async function buildPages(
  source: PagedSource,
  write: (page: Uint8Array<ArrayBuffer>) => Promise<void>,
): Promise<PagedBuild> {
  const { catalog, evidence, tables, version } = source;
  const pageItems = source.pageItems ?? DEFAULT_PAGE_ITEMS;
  const N = catalog.size;
  if (tables.itemCount !== N || evidence.itemCount !== N)
    throw new Error(
      `tables (${tables.itemCount}) and evidence (${evidence.itemCount}) must cover the catalog's ${N} items`,
    );
  const itemPages = itemPageCount(N, pageItems);
  const buckets = skuBucketCount(N);
  const pages = itemPages + buckets;
  const pageBytes = new Uint32Array(pages);
  const pageSha256 = new Uint8Array(pages * SHA256_BYTES);
  let total = 0;
  const emit = async (page: number, bytes: Uint8Array<ArrayBuffer>) => {
    pageBytes[page] = bytes.byteLength;
    hexToBytes(await sha256Hex(bytes), pageSha256, page * SHA256_BYTES);
    total += bytes.byteLength;
    await write(bytes);
  };
  for (let p = 0; p < itemPages; p++) await emit(p, itemPage(source, p, pageItems));
  const bySku = skuPages(source, buckets);
  for (let b = 0; b < buckets; b++) {
    const bucket = bySku[b] ?? { skus: [], items: [] };
    await emit(itemPages + b, encodeSkuPage(version, itemPages + b, bucket.skus, Uint32Array.from(bucket.items)));
  }
  const head = encodeHead({
    version,
    currency: catalog.currency,
    currencyExponent: catalog.currencyExponent,
    itemCount: N,
    neighbours: tables.neighbours,
    dimension: tables.dimension,
    evidenceNeighbours: evidence.neighbours,
    totalBaskets: evidence.totalBaskets,
    minSupport: evidence.minSupport,
    significance: evidence.significance,
    types: catalog.typeId === null ? null : { ids: catalog.typeId, count: catalog.typeCount },
    packs: catalog.packs,
    pageItems,
    itemPages,
    skuPages: buckets,
    price: catalog.price,
    categoryId: catalog.categoryId,
    categoryNames: Array.from({ length: catalog.categoryNames.length }, (_, c) => catalog.categoryNames.get(c)),
    familyId: catalog.familyId,
    familyCount: catalog.familyCount,
    tier: catalog.hasTiers ? catalog.tier : new Float32Array(0),
    available: catalog.available,
    itemBaskets: evidence.itemBaskets,
    titleKeys: Uint32Array.from({ length: N }, (_, i) => catalog.titleKey(i)),
    ladders: new LadderIndex(catalog).columns(),
    familyMembers: groupMembers(catalog.familyId, catalog.familyCount),
    categoryLevel: evidence.categorySection(),
    pageBytes,
    pageSha256,
  });
  return { head, pages, pageBytes: total };
}
