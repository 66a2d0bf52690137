import type { CatalogView } from "../catalog.js";

/** Available: the catalog did not mark the item out of stock or inactive. */
export function isAvailable(catalog: CatalogView, item: number): boolean {
  return catalog.isAvailable(item);
}
