import { NO_GROUP, type Catalog } from "../catalog.js";

/**
 * Variety: at most maxPerGroup suggestions per leaf category. A catalog without categories has only
 * variant families to go by, and a family is one product (five colours of one cake case are one
 * suggestion shown five times; the trainer also joins colours and prints the titles reveal), so there
 * a family counts once: one suggestion per family, whatever maxPerGroup says.
 */
export class DiversityCap {
  private readonly counts = new Map<number, number>();
  private readonly groups: Int32Array | null;
  private readonly maxPerGroup: number;

  constructor(catalog: Catalog, maxPerGroup: number) {
    this.groups = catalog.hasCategories ? catalog.categoryId : catalog.hasFamilies ? catalog.familyId : null;
    this.maxPerGroup = catalog.hasCategories ? maxPerGroup : 1;
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
