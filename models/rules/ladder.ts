import { NO_GROUP, NO_PRICE, type CatalogView, type GroupIds } from "../catalog.js";

/** Items grouped by a dense group id, each group's members sorted by price: two typed arrays in all. */
interface Groups {
  /** [groups + 1]: group g's members are members[start[g] .. start[g + 1]). */
  start: Int32Array;
  members: Int32Array;
}

/** One ladder: members[from, to), priced, by price. */
interface Ladder {
  members: Int32Array;
  from: number;
  to: number;
}

/**
 * A stored category ladder index: category c's priced members, by price, are
 * members[start[c] .. start[c + 1]). Families need none stored: a family is a few variants of one
 * product, sorted when asked for from the catalog's family members.
 */
export interface LadderColumns {
  categoryStart: Int32Array;
  categoryMembers: Int32Array;
}

/**
 * Upgrade ladders: the items of each leaf category and each variant family, sorted by price, so the
 * items in an anchor's price band are found by binary search instead of a catalog scan. Stored flat
 * (offsets + members) rather than one array per group: a 200k-item catalog has ~44k groups, and a
 * typed array object per group cost ~6 MiB of JS heap.
 */
export class LadderIndex {
  private readonly byCategory: Groups;
  /** Null when built from a stored index: family ladders are then sorted on demand. */
  private readonly byFamily: Groups | null;

  /**
   * Sorting every group costs ~100 ms at 1,000,000 items, so a paged model stores the index it was
   * built with (`stored`, checked by the caller against the catalog) instead of sorting at load.
   */
  constructor(
    private readonly catalog: CatalogView,
    stored?: LadderColumns,
  ) {
    this.byCategory = stored
      ? { start: stored.categoryStart, members: stored.categoryMembers }
      : LadderIndex.group(catalog, catalog.categoryId, catalog.categoryNames.length);
    this.byFamily = stored ? null : LadderIndex.group(catalog, catalog.familyId, catalog.familyCount);
  }

  /** The category index as two columns, to store beside a paged model's resident columns. */
  columns(): LadderColumns {
    return { categoryStart: this.byCategory.start, categoryMembers: this.byCategory.members };
  }

  private static group(catalog: CatalogView, ids: GroupIds, groups: number): Groups {
    const priced = (item: number) => catalog.price[item] !== NO_PRICE;
    const start = new Int32Array(groups + 1);
    for (let item = 0; item < ids.length; item++) {
      const id = ids[item] ?? NO_GROUP;
      if (id !== NO_GROUP && priced(item)) start[id + 1] = (start[id + 1] ?? 0) + 1;
    }
    for (let g = 0; g < groups; g++) start[g + 1] = (start[g + 1] ?? 0) + (start[g] ?? 0);
    const members = new Int32Array(start[groups] ?? 0);
    const filled = start.slice(0, groups);
    for (let item = 0; item < ids.length; item++) {
      const id = ids[item] ?? NO_GROUP;
      if (id === NO_GROUP || !priced(item)) continue;
      const at = filled[id] ?? 0;
      members[at] = item;
      filled[id] = at + 1;
    }
    const byPrice = (a: number, b: number) => (catalog.price[a] ?? 0) - (catalog.price[b] ?? 0) || a - b;
    for (let g = 0; g < groups; g++) members.subarray(start[g], start[g + 1]).sort(byPrice);
    return { start, members };
  }

  /** The item's ladder in `groups` as members[from, to), empty when it has none. */
  private range(groups: Groups, id: number): Ladder {
    if (id === NO_GROUP) return { members: groups.members, from: 0, to: 0 };
    return { members: groups.members, from: groups.start[id] ?? 0, to: groups.start[id + 1] ?? 0 };
  }

  /** The family whose ladder was sorted last: an upgrade request asks hasLadder, then membersPricedIn. */
  private sortedFamily: { family: number; ladder: Ladder } | null = null;

  /** The family's ladder: its priced members by price (then catalog order), as the stored groups order them. */
  private familyLadder(family: number): Ladder {
    if (this.byFamily !== null) return this.range(this.byFamily, family);
    if (this.sortedFamily?.family === family) return this.sortedFamily.ladder;
    const { price } = this.catalog;
    const members = this.catalog
      .familyMembers(family)
      .filter((m) => price[m] !== NO_PRICE)
      .sort((a, b) => (price[a] ?? 0) - (price[b] ?? 0) || a - b);
    const ladder = { members, from: 0, to: members.length };
    this.sortedFamily = { family, ladder };
    return ladder;
  }

  private laddersOf(item: number): Ladder[] {
    return [
      this.range(this.byCategory, this.catalog.categoryId[item] ?? NO_GROUP),
      this.familyLadder(this.catalog.familyId[item] ?? NO_GROUP),
    ];
  }

  /** Whether the item belongs to any ladder (has a category or a family, and a price). */
  hasLadder(item: number): boolean {
    return this.laddersOf(item).some(({ from, to }) => to > from);
  }

  /** Members of the item's category and family ladders priced in (low, high], each once, excluding the item. */
  membersPricedIn(item: number, lowMinor: number, highMinor: number): number[] {
    const found = new Set<number>();
    for (const { members, from, to } of this.laddersOf(item)) {
      for (let at = this.firstAbove(members, from, to, lowMinor); at < to; at++) {
        const member = members[at] ?? item;
        if ((this.catalog.price[member] ?? 0) > highMinor) break;
        if (member !== item) found.add(member);
      }
    }
    return [...found];
  }

  /** The price of the dearest member of the item's ladders (NO_PRICE when it has none): the ladders are sorted by price. */
  highestPrice(item: number): number {
    let highest = NO_PRICE;
    for (const { members, from, to } of this.laddersOf(item)) {
      if (to > from) highest = Math.max(highest, this.catalog.price[members[to - 1] ?? item] ?? NO_PRICE);
    }
    return highest;
  }

  /**
   * How many members of the item's ladders membersPricedIn(item, minor, ∞) would list above
   * membersPricedIn(item, low, minor): those priced above `minor`, each once, the item excluded,
   * counted without listing them (a category ladder may hold thousands).
   */
  countPricedAbove(item: number, minor: number): number {
    const [category, family] = this.laddersOf(item);
    const { categoryId, price } = this.catalog;
    const own = categoryId[item] ?? NO_GROUP;
    const priced = (member: number) => (price[member] ?? NO_PRICE) > minor;
    let count = 0;
    if (category !== undefined) {
      count += category.to - this.firstAbove(category.members, category.from, category.to, minor);
      if (own !== NO_GROUP && priced(item)) count--;
    }
    if (family !== undefined) {
      for (let at = this.firstAbove(family.members, family.from, family.to, minor); at < family.to; at++) {
        const member = family.members[at] ?? item;
        // A variant of the same category is in the category ladder too, and counted there.
        if (member !== item && (own === NO_GROUP || categoryId[member] !== own)) count++;
      }
    }
    return count;
  }

  /** Whether any member of the item's ladders, the item excluded, passes `test` (without listing them). */
  someMember(item: number, test: (member: number) => boolean): boolean {
    for (const { members, from, to } of this.laddersOf(item)) {
      for (let at = from; at < to; at++) {
        const member = members[at] ?? item;
        if (member !== item && test(member)) return true;
      }
    }
    return false;
  }

  /** Every member of the item's ladders (for "top of the ladder"), excluding the item. */
  members(item: number): number[] {
    return this.membersPricedIn(item, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  /** The first position in members[from, to) priced above `minor`. */
  private firstAbove(members: Int32Array, from: number, to: number, minor: number): number {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.catalog.price[members[mid] ?? 0] ?? 0) > minor) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
