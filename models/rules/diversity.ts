import { NO_GROUP, type Catalog } from "../catalog.js";

/**
 * Variety: at most maxPerGroup suggestions per leaf category, or per variant family when the catalog
 * has no categories (five colours of one cake case are one suggestion shown five times).
 */
export class DiversityCap {
  private readonly counts = new Map<number, number>();
  private readonly groups: Int32Array | null;

  constructor(
    catalog: Catalog,
    private readonly maxPerGroup: number,
  ) {
    this.groups = catalog.hasCategories ? catalog.categoryId : catalog.hasFamilies ? catalog.familyId : null;
  }

  /** Counts the item in if its group has room; items without a group always fit. */
  admit(item: number): boolean {
    const group = this.groups?.[item] ?? NO_GROUP;
    if (group === NO_GROUP) return true;
    const count = this.counts.get(group) ?? 0;
    if (count >= this.maxPerGroup) return false;
    this.counts.set(group, count + 1);
    return true;
  }
}
