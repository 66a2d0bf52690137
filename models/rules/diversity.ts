import { NO_GROUP, NO_TITLE, type CatalogView, type GroupIds } from "../catalog.js";

/**
 * Variety: at most maxPerGroup suggestions per leaf category, and one per variant family: a family is
 * one product (five colours of one cake case, two sizes of one can of beans are one suggestion shown
 * several times; the trainer also joins colours and prints the titles reveal). A catalog
 * without categories has only the families to go by. And one per title: two products a shopper cannot
 * tell apart (a catalog that names products by category and brand) are one suggestion shown twice.
 */
export class DiversityCap {
  private readonly perCategory = new Map<number, number>();
  private readonly familiesTaken = new Set<number>();
  private readonly titlesTaken = new Set<number>();
  private readonly catalog: CatalogView;
  private readonly categories: GroupIds | null;
  private readonly families: Int32Array | null;
  private readonly maxPerGroup: number;

  constructor(catalog: CatalogView, maxPerGroup: number) {
    // Without categories, the product types learned from titles are the groups (four packs of cake cases).
    this.categories = catalog.hasCategories ? catalog.categoryId : catalog.typeId;
    this.families = catalog.hasFamilies ? catalog.familyId : null;
    this.maxPerGroup = maxPerGroup;
    this.catalog = catalog;
  }

  /** Counts the item in if its category and family have room; items without either always fit. */
  admit(item: number): boolean {
    const category = this.categories?.[item] ?? NO_GROUP;
    const family = this.families?.[item] ?? NO_GROUP;
    const inCategory = category === NO_GROUP ? 0 : (this.perCategory.get(category) ?? 0);
    if (inCategory >= this.maxPerGroup || (family !== NO_GROUP && this.familiesTaken.has(family))) return false;
    const title = this.catalog.titleKey(item);
    if (title !== NO_TITLE && this.titlesTaken.has(title)) return false;
    if (category !== NO_GROUP) this.perCategory.set(category, inCategory + 1);
    if (family !== NO_GROUP) this.familiesTaken.add(family);
    if (title !== NO_TITLE) this.titlesTaken.add(title);
    return true;
  }
}
