/**
 * One version's pages: read from KV on demand, checked against the head (size and sha256) and
 * decoded in full before anything reads them, then kept in the isolate's page cache. Each request
 * reads the pages it needs itself (see read()). A page that is missing or fails a check fails the
 * request that needed it with a 503 and a code; the isolate goes on serving, and the next request
 * reads the page again.
 */
import { KvKeys } from "../../models/contract.js";
import { SHA256_BYTES, type Head } from "../../models/paging/headBlob.js";
import { decodeItemPage, ITEM_PAGE_OBJECT_BYTES, type ItemPage } from "../../models/paging/itemPage.js";
import { decodeSkuPage, type SkuPage } from "../../models/paging/skuPage.js";
import { ApiError } from "../errors.js";
import type { PageCache } from "./pageCache.js";

export type DecodedPage = ItemPage | SkuPage;

/** What a version's page reads came to, for /healthz. */
export interface PageReadStats {
  /** KV reads (pages) since the version loaded. */
  reads: number;
  /** Bytes those reads brought. */
  bytes: number;
  /** The last page that could not be used, and why. */
  lastError: { code: string; message: string; at: string } | null;
}

async function sameDigest(bytes: Uint8Array<ArrayBuffer>, expected: Uint8Array): Promise<boolean> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  for (let i = 0; i < SHA256_BYTES; i++) if (digest[i] !== expected[i]) return false;
  return true;
}

/** What page reads need of KV: the binding, or a map in the Node tests. */
export interface PageValues {
  get(key: string, options: { type: "arrayBuffer"; cacheTtl: number }): Promise<ArrayBuffer | null>;
}

/**
 * How long a KV edge location keeps a page it read (seconds). A version's pages never change (a new
 * model is a new version under new keys), so any age is safe; a day keeps the pages a location's
 * isolates ask for close by without holding retired versions' pages for long.
 */
const PAGE_CACHE_TTL_SECONDS = 86_400;

export class PageStore {
  readonly stats: PageReadStats = { reads: 0, bytes: 0, lastError: null };

  constructor(
    private readonly kv: PageValues,
    readonly head: Head,
    private readonly cache: PageCache<DecodedPage>,
  ) {}

  /**
   * Whether every item page of this version, decoded, fits the page cache at once (search reads them
   * all; what it matches in them is compared in place, not kept as strings).
   */
  get wholeFits(): boolean {
    const { itemPages, pageOffsets } = this.head;
    const decoded = (pageOffsets[itemPages] ?? 0) + itemPages * ITEM_PAGE_OBJECT_BYTES;
    return decoded <= this.cache.limitBytes;
  }

  /** Cache keys made once per page: a request asks for hundreds, and a new string is hashed anew each time. */
  private readonly keys: string[] = [];

  private key(page: number): string {
    return (this.keys[page] ??= `${this.head.version}/${page}`);
  }

  /** The page if this isolate holds it (marked recently used). */
  cached(page: number): DecodedPage | undefined {
    return this.cache.get(this.key(page));
  }

  /**
   * Reads pages not yet held, all at once; resolves when every one is decoded and cached. A read is
   * never shared with another request, even for the same page: workerd cancels a request that
   * waits on another request's I/O as hung (a 500: about 30 in 41,000 of the 1M shop's answers
   * under four concurrent clients while reads were shared, none since). KV's own cache (cacheTtl)
   * answers the second read; the pages, once decoded, are shared through the page cache.
   */
  async read(pages: Iterable<number>): Promise<Map<number, DecodedPage>> {
    const wanted = [...new Set(pages)];
    const found = await Promise.all(wanted.map((page) => this.cached(page) ?? this.fetch(page)));
    return new Map(wanted.map((page, i) => [page, found[i] as DecodedPage]));
  }

  private fail(code: string, message: string): never {
    this.stats.lastError = { code, message, at: new Date().toISOString() };
    throw new ApiError(503, code, message);
  }

  private async fetch(page: number): Promise<DecodedPage> {
    const { head } = this;
    const pages = head.itemPages + head.skuPages;
    if (!Number.isInteger(page) || page < 0 || page >= pages) throw new Error(`page ${page} outside ${pages}`);
    const key = `${KvKeys.pagesPrefix(head.version)}${page}`;
    let value: ArrayBuffer | null;
    try {
      value = await this.kv.get(key, { type: "arrayBuffer", cacheTtl: PAGE_CACHE_TTL_SECONDS });
    } catch (error) {
      this.fail(
        "kv_unavailable",
        `${key} could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.stats.reads++;
    if (value === null) this.fail("page_missing", `${key} is missing from KV`);
    this.stats.bytes += value.byteLength;
    const bytes = new Uint8Array(value);
    if (bytes.byteLength !== head.pageBytes[page])
      this.fail("page_corrupt", `${key} has ${bytes.byteLength} bytes, the head says ${head.pageBytes[page]}`);
    if (!(await sameDigest(bytes, head.pageSha256.subarray(page * SHA256_BYTES, (page + 1) * SHA256_BYTES))))
      this.fail("page_corrupt", `${key} does not match its sha256`);
    let decoded: DecodedPage;
    try {
      decoded =
        page < head.itemPages
          ? decodeItemPage(
              bytes,
              {
                version: head.version,
                page,
                first: page * head.pageItems,
                count: Math.min(head.pageItems, head.itemCount - page * head.pageItems),
                neighbours: head.neighbours,
                dimension: head.dimension,
                evidenceNeighbours: head.evidenceNeighbours,
                itemCount: head.itemCount,
              },
              // Its kept titles and SKUs count against the cache's bound like the page itself.
              (kept) => this.cache.grow(this.key(page), decoded, kept),
            )
          : decodeSkuPage(bytes, head.version, page, head.itemCount);
    } catch (error) {
      this.fail("page_corrupt", `${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.cache.set(this.key(page), decoded);
    return decoded;
  }
}
