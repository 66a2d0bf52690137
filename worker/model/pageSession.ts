/**
 * One request's view of a paged model. The answer pipeline is synchronous and reads pages as it goes;
 * here a page it needs that is not loaded is noted and read as neutral, and `complete` runs the step
 * again after reading every noted page in one round of KV reads. An answer comes only from a run
 * that missed nothing, so it is the answer the whole model gives; the rounds a request takes are the
 * dependency depth of what it reads (anchor → its row → its candidates' rows and titles).
 */
import { itemPageOf, skuBucket } from "../../models/paging/pageLayout.js";
import type { ItemPage } from "../../models/paging/itemPage.js";
import { PagedCatalog, PagedEvidence, type PageAccess, type PagedResident } from "../../models/paging/pagedViews.js";
import type { SkuPage } from "../../models/paging/skuPage.js";
import type { Shop } from "../../models/surfaces.js";
import { ApiError } from "../errors.js";
import type { Head } from "../../models/paging/headBlob.js";
import type { LadderIndex } from "../../models/rules/ladder.js";
import type { PageStore } from "./pageStore.js";
import type { RowColumns, RowSource } from "./rowFeeds.js";

/**
 * Rounds of page reads one request may take. The deepest chain is a cart's: its lines' SKU pages,
 * then their rows, then the candidates' rows, then the fallback levels' and answers' titles.
 */
const MAX_ROUNDS = 8;

/** What one request read (the equality checks and benchmarks look at it). */
export interface PageTrace {
  rounds: number;
  /** Pages this request needed that the isolate did not hold (each one KV read of its own). */
  pagesRead: number;
}

/** What a session reads of a loaded model (worker/model/readModel.ts): its resident part and its pages. */
export interface PagedParts {
  head: Head;
  resident: PagedResident;
  ladders: LadderIndex;
  pages: PageStore;
}

export class PageSession implements PageAccess {
  readonly head: Head;
  readonly shop: Shop;
  readonly rows: RowSource;
  readonly trace: PageTrace = { rounds: 0, pagesRead: 0 };
  private readonly own = new Map<number, ItemPage | SkuPage>();
  private readonly missed = new Set<number>();

  constructor(private readonly model: PagedParts) {
    this.head = model.head;
    this.shop = {
      catalog: new PagedCatalog(model.resident, this),
      evidence: new PagedEvidence(this),
      ladders: model.ladders,
    };
    this.rows = {
      neighbours: this.head.neighbours,
      dimension: this.head.dimension,
      rowsOf: (item) => {
        const page = this.itemPage(item);
        return page === null ? null : { columns: rowColumns(page), row: item - page.first };
      },
    };
  }

  private page(page: number): ItemPage | SkuPage | null {
    let found = this.own.get(page);
    if (found === undefined) {
      found = this.model.pages.cached(page);
      if (found === undefined) {
        this.missed.add(page);
        return null;
      }
      // Held by the request from now on, whatever the cache evicts meanwhile.
      this.own.set(page, found);
    }
    return found;
  }

  itemPage(item: number): ItemPage | null {
    if (!Number.isInteger(item) || item < 0 || item >= this.head.itemCount) return null;
    const found = this.page(itemPageOf(item, this.head.pageItems));
    return found !== null && "first" in found ? found : null;
  }

  /** Reads every page noted as missing, in one round. */
  private async fill(): Promise<void> {
    if (++this.trace.rounds > MAX_ROUNDS)
      throw new ApiError(503, "page_rounds_exceeded", `an answer needed more than ${MAX_ROUNDS} rounds of page reads`);
    const wanted = [...this.missed];
    this.missed.clear();
    this.trace.pagesRead += wanted.length;
    for (const [page, decoded] of await this.model.pages.read(wanted)) this.own.set(page, decoded);
  }

  /** `step`'s result from a run that needed no page it did not have. */
  async complete<T>(step: () => T): Promise<T> {
    for (;;) {
      const out = step();
      if (this.missed.size === 0) return out;
      await this.fill();
    }
  }

  /** Catalog indices of SKUs (unknown ones absent), their SKU pages read in one round. */
  async lookup(skus: readonly string[]): Promise<Map<string, number>> {
    const { itemPages, skuPages } = this.head;
    return this.complete(() => {
      const found = new Map<string, number>();
      for (const sku of skus) {
        const page = this.page(itemPages + skuBucket(sku, skuPages));
        const item = page !== null && "items" in page ? page.items.get(sku) : undefined;
        if (item !== undefined) found.set(sku, item);
      }
      return found;
    });
  }
}

const columnsOf = new WeakMap<ItemPage, RowColumns>();

/** A page's scoring rows as the graph's feeds read them (made once per decoded page). */
function rowColumns(page: ItemPage): RowColumns {
  let columns = columnsOf.get(page);
  if (columns === undefined) {
    const { neighbourItems } = page;
    columns = {
      neighbourWeights: page.neighbourWeights,
      neighbourScales: page.neighbourScales,
      confidenceWeights: page.confidenceWeights,
      confidenceScales: page.confidenceScales,
      embeddings: page.embeddings,
      embeddingScales: page.embeddingScales,
      neighbourItem: (slot) => neighbourItems[slot] ?? -1,
    };
    columnsOf.set(page, columns);
  }
  return columns;
}
