import { NO_GROUP, type CatalogView } from "../catalog.js";

export interface ComplementKnobs {
  excludeSameCategory: boolean;
  excludeSameFamily: boolean;
}

/**
 * A complement, not a substitute: a cross-sell must not be another product of the anchor's leaf
 * category or another variant of its family. Each half applies only when the catalog has the column.
 */
export function isSubstitute(
  catalog: CatalogView,
  anchors: readonly number[],
  candidate: number,
  knobs: ComplementKnobs,
): boolean {
  const category = catalog.categoryId[candidate] ?? NO_GROUP;
  const family = catalog.familyId[candidate] ?? NO_GROUP;
  for (const anchor of anchors) {
    if (knobs.excludeSameCategory && category !== NO_GROUP && category === catalog.categoryId[anchor]) return true;
    if (knobs.excludeSameFamily && family !== NO_GROUP && family === catalog.familyId[anchor]) return true;
  }
  return false;
}
