/**
 * The catalog and evidence of a paged model as the answer pipeline reads them: the head's columns
 * as they are, and everything per item from the item's page. A page that is not loaded reads as a
 * neutral value (no title, no neighbours, no lookalikes) and the access records the miss; the
 * caller reads every missed page and runs again, and keeps only an answer from a run that missed
 * nothing, so what it serves is what the whole model would have served.
 */
import type { LevelSignificance } from "../significanceSection.js";
import { CatalogBase, type CatalogView, type GroupIds, type PackColumns, type TextColumn } from "../catalog.js";
import type { CategoryPairEvidence } from "../categoryEvidence.js";
import { findPair, lookalikesAtFloor, pairEvidence, type EvidenceView } from "../evidence.js";
import type { PairEvidence } from "../pairEvidence.js";
import type { StringColumn } from "../blobContainer.js";
import { bitAt } from "./compactColumns.js";
import type { Head } from "./headBlob.js";
import type { ItemPage } from "./itemPage.js";

/** One request's way to its pages: the page holding an item, or null (and the miss noted). */
export interface PageAccess {
  readonly head: Head;
  itemPage(item: number): ItemPage | null;
}

/** What a paged model holds resident, shared across requests: its head. */
export class PagedResident {
  constructor(readonly head: Head) {}

  /** A variant family's items in catalog order (stored in the head). */
  familyMembers(family: number): Int32Array {
    if (family < 0 || family >= this.head.familyCount) return new Int32Array(0);
    const { start, members } = this.head.familyMembers;
    return members.subarray(start[family] ?? 0, start[family + 1] ?? 0);
  }

  get heldBytes(): number {
    return this.head.heldBytes;
  }
}

function pagedText(access: PageAccess, column: (page: ItemPage) => StringColumn): TextColumn {
  return {
    length: access.head.itemCount,
    get(index) {
      const page = access.itemPage(index);
      return page === null ? "" : column(page).get(index - page.first);
    },
  };
}

export class PagedCatalog extends CatalogBase implements CatalogView {
  readonly size: number;
  readonly currency: string;
  readonly currencyExponent: number;
  readonly sku: TextColumn;
  readonly title: TextColumn;
  readonly brand: TextColumn;
  readonly price: Int32Array;
  readonly categoryId: GroupIds;
  readonly categoryNames: StringColumn;
  readonly familyId: Int32Array;
  readonly familyCount: number;
  readonly hasCategories: boolean;
  readonly hasFamilies: boolean;
  readonly hasTiers: boolean;
  readonly typeId: GroupIds | null;
  readonly packs: PackColumns | null;

  constructor(
    private readonly resident: PagedResident,
    access: PageAccess,
  ) {
    super();
    const { head } = resident;
    this.size = head.itemCount;
    this.currency = head.currency;
    this.currencyExponent = head.currencyExponent;
    this.sku = pagedText(access, (p) => p.sku);
    this.title = pagedText(access, (p) => p.title);
    this.brand = pagedText(access, (p) => p.brand);
    this.price = head.price;
    this.categoryId = head.categoryId;
    this.categoryNames = head.categoryNames;
    this.familyId = head.familyId;
    this.familyCount = head.familyCount;
    this.hasCategories = head.categoryNames.length > 0;
    this.hasFamilies = head.familyCount > 0;
    this.hasTiers = head.hasTiers;
    this.typeId = head.types?.ids ?? null;
    this.packs = head.packs;
  }

  familyMembers(family: number): Int32Array {
    return this.resident.familyMembers(family);
  }

  tierOf(index: number): number {
    return this.resident.head.tiers.at(index);
  }

  isAvailable(index: number): boolean {
    return bitAt(this.resident.head.availableBits, index);
  }

  titleKey(index: number): number {
    return this.resident.head.titleKeys[index] ?? 0;
  }
}

const NO_ITEMS: ArrayLike<number> = new Uint32Array(0);

/**
 * Slots are item · K + k (K: the evidence's most neighbours per item), so a slot names its item and
 * the item its page without any per-item offsets held in the isolate.
 */
export class PagedEvidence implements EvidenceView {
  readonly itemCount: number;
  readonly totalBaskets: number;
  readonly minSupport: number;
  readonly neighbours: number;
  readonly itemBaskets: Int32Array;
  readonly hasCategoryLevel: boolean;
  readonly significance: LevelSignificance;
  private readonly head: Head;

  constructor(private readonly access: PageAccess) {
    const { head } = access;
    this.head = head;
    this.itemCount = head.itemCount;
    this.totalBaskets = head.totalBaskets;
    this.minSupport = head.minSupport;
    this.neighbours = head.evidenceNeighbours;
    this.itemBaskets = head.itemBaskets;
    this.hasCategoryLevel = head.categoryLevel !== null;
    this.significance = head.significance;
  }

  lookalikesOf(item: number, minSupport: number): number[] {
    const floor = Math.max(minSupport, this.minSupport);
    // Over the floor there is nothing to look up: no page read for a product with pairs of its own.
    if ((this.itemBaskets[item] ?? 0) >= floor) return [];
    const page = this.access.itemPage(item);
    if (page === null) return [];
    const r = item - page.first;
    const stored = page.lookalikeItems.subarray(page.lookalikeStart[r] ?? 0, page.lookalikeStart[r + 1] ?? 0);
    return lookalikesAtFloor(item, stored, this.itemBaskets, floor);
  }

  categoryBaskets(category: number): number {
    return this.head.categoryLevel?.basketsOf(category) ?? 0;
  }

  categoryPartners(category: number): readonly CategoryPairEvidence[] {
    return this.head.categoryLevel?.partnersOf(category) ?? [];
  }

  isSecondHandCategoryPair(category: number, other: number): boolean {
    return this.head.categoryLevel?.isSecondHand(category, other) ?? false;
  }

  categoryItems(category: number): ArrayLike<number> {
    return this.head.categoryLevel?.itemsOf(category) ?? NO_ITEMS;
  }

  /** The last row found: the rules read an item's slots one after another, each through row(). */
  private lastRow: { item: number; page: ItemPage; begin: number; end: number } | null = null;

  /** The item's slots in its page: [begin, end) of evidenceItems, or null while the page is not read. */
  private row(item: number): { page: ItemPage; begin: number; end: number } | null {
    // A request holds every page it read until it answers, so a row once found stays valid.
    if (this.lastRow?.item === item) return this.lastRow;
    const page = this.access.itemPage(item);
    if (page === null) return null;
    const r = item - page.first;
    this.lastRow = { item, page, begin: page.evidenceStart[r] ?? 0, end: page.evidenceStart[r + 1] ?? 0 };
    return this.lastRow;
  }

  pair(item: number, other: number): PairEvidence | null {
    return findPair(this, item, other);
  }

  rowBegin(item: number): number {
    return item * this.neighbours;
  }

  rowEnd(item: number): number {
    const row = this.row(item);
    return item * this.neighbours + (row === null ? 0 : row.end - row.begin);
  }

  /** Where a slot's values sit in its item's page, or null when the page is not read or the slot is unused. */
  private position(slot: number): { page: ItemPage; at: number } | null {
    const item = Math.floor(slot / this.neighbours);
    const row = this.row(item);
    if (row === null) return null;
    const k = slot - item * this.neighbours;
    return k < row.end - row.begin ? { page: row.page, at: row.begin + k } : null;
  }

  private at(slot: number, column: (page: ItemPage) => ArrayLike<number>): number | undefined {
    const found = this.position(slot);
    return found === null ? undefined : column(found.page)[found.at];
  }

  neighbourAt(slot: number): number {
    return this.at(slot, (p) => p.evidenceItems) ?? -1;
  }

  supportAt(slot: number): number {
    return this.at(slot, (p) => p.evidenceSupport) ?? 0;
  }

  pairAt(item: number, slot: number): PairEvidence | null {
    // One look-up of the slot for its neighbour, support and weight (the graph walk asks for many).
    const found = this.position(slot);
    if (found === null) return null;
    const { page, at } = found;
    const other = page.evidenceItems[at] ?? -1;
    if (other < 0) return null;
    return pairEvidence(
      page.evidenceSupport[at] ?? 0,
      this.itemBaskets[item] ?? 0,
      this.itemBaskets[other] ?? 0,
      this.totalBaskets,
      page.evidenceWeight?.[at] ?? null,
    );
  }

  hasNeighbours(item: number): boolean {
    return this.rowEnd(item) > this.rowBegin(item);
  }
}
