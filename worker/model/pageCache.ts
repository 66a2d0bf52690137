/**
 * The isolate's decoded pages, bounded by bytes, least recently used out first. One cache for every
 * loaded version (keys name the version), so pinned experiment versions share the bound with the live
 * one. A request keeps the pages it read until it answers (worker/model/pageSession.ts), so a bound
 * smaller than one request's pages slows that request but never breaks it.
 */
export interface CachedPage {
  /** Bytes of the page value it was decoded from. */
  bytes: number;
}

export class PageCache<P extends CachedPage = CachedPage> {
  private readonly pages = new Map<string, P>();
  private held = 0;
  /** Pages dropped to stay under the bound, since the isolate started. */
  evictions = 0;

  constructor(private limit: number) {}

  get limitBytes(): number {
    return this.limit;
  }

  /** A new bound (the model memory budget moves with what the loaded heads take); evicts down to it now. */
  setLimit(bytes: number): void {
    this.limit = bytes;
    this.trim(null);
  }

  get heldBytes(): number {
    return this.held;
  }

  get size(): number {
    return this.pages.size;
  }

  get(key: string): P | undefined {
    const page = this.pages.get(key);
    if (page !== undefined) {
      // Map keeps insertion order: re-inserting makes it the most recently used.
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(key: string, page: P): void {
    const old = this.pages.get(key);
    if (old !== undefined) {
      this.held -= old.bytes;
      this.pages.delete(key);
    }
    this.pages.set(key, page);
    this.held += page.bytes;
    this.trim(key);
  }

  /**
   * A held page grew (it kept strings it decoded): counted, and the bound enforced. A page already
   * dropped (even if read again since, as another object) is only held by the requests reading it,
   * and counts for nothing here.
   */
  grow(key: string, page: P, bytes: number): void {
    if (this.pages.get(key) !== page) return;
    page.bytes += bytes;
    this.held += bytes;
    // Just read from, so the most recently used: what the bound drops is older.
    this.pages.delete(key);
    this.pages.set(key, page);
    this.trim(key);
  }

  /** Drops the least recently used pages until the bound holds (never `keep`, the page just added). */
  private trim(keep: string | null): void {
    for (const [oldest, value] of this.pages) {
      if (this.held <= this.limit || oldest === keep) break;
      this.pages.delete(oldest);
      this.held -= value.bytes;
      this.evictions++;
    }
  }

  /** Drops every page of a version (a retired model's), freeing its bytes now. */
  dropVersion(version: string): void {
    for (const [key, value] of this.pages) {
      if (!key.startsWith(`${version}/`)) continue;
      this.pages.delete(key);
      this.held -= value.bytes;
    }
  }
}
