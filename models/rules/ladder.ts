import { NO_GROUP, NO_PRICE, type Catalog } from "../catalog.js";

/**
 * Upgrade ladders: the items of each leaf category and each variant family, sorted by price, so the
 * items in an anchor's price band are found by binary search instead of a catalog scan.
 */
export class LadderIndex {
  private readonly byCategory: Map<number, Int32Array>;
  private readonly byFamily: Map<number, Int32Array>;

  constructor(private readonly catalog: Catalog) {
    this.byCategory = LadderIndex.group(catalog, catalog.categoryId);
    this.byFamily = LadderIndex.group(catalog, catalog.familyId);
  }

  private static group(catalog: Catalog, ids: Int32Array): Map<number, Int32Array> {
    const members = new Map<number, number[]>();
    ids.forEach((id, item) => {
      if (id === NO_GROUP || catalog.price[item] === NO_PRICE) return;
      const list = members.get(id);
      if (list) list.push(item);
      else members.set(id, [item]);
    });
    const sorted = new Map<number, Int32Array>();
    for (const [id, list] of members) {
      sorted.set(
        id,
        Int32Array.from(list).sort((a, b) => (catalog.price[a] ?? 0) - (catalog.price[b] ?? 0) || a - b),
      );
    }
    return sorted;
  }

  /** Whether the item belongs to any ladder (has a category or a family, and a price). */
  hasLadder(item: number): boolean {
    const category = this.catalog.categoryId[item] ?? NO_GROUP;
    const family = this.catalog.familyId[item] ?? NO_GROUP;
    return this.byCategory.has(category) || this.byFamily.has(family);
  }

  /** Members of the item's category and family ladders priced in (low, high], each once, excluding the item. */
  membersPricedIn(item: number, lowMinor: number, highMinor: number): number[] {
    const found = new Set<number>();
    const ladders = [
      this.byCategory.get(this.catalog.categoryId[item] ?? NO_GROUP),
      this.byFamily.get(this.catalog.familyId[item] ?? NO_GROUP),
    ];
    for (const ladder of ladders) {
      if (!ladder) continue;
      for (let at = this.firstAbove(ladder, lowMinor); at < ladder.length; at++) {
        const member = ladder[at] ?? item;
        if ((this.catalog.price[member] ?? 0) > highMinor) break;
        if (member !== item) found.add(member);
      }
    }
    return [...found];
  }

  /** Every member of the item's ladders (for "top of the ladder"), excluding the item. */
  members(item: number): number[] {
    return this.membersPricedIn(item, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  private firstAbove(ladder: Int32Array, minor: number): number {
    let lo = 0;
    let hi = ladder.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.catalog.price[ladder[mid] ?? 0] ?? 0) > minor) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
