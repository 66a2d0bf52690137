import { NO_GROUP, type CatalogView } from "../catalog.js";
import type { EvidenceView } from "../evidence.js";

/** What the rules do with indirect item pairs (crossSell.indirectPairs). */
export const INDIRECT_PAIRS = ["drop", "last"] as const;
export type IndirectPairs = (typeof INDIRECT_PAIRS)[number];

/**
 * Whether an item pair is indirect: the two products' leaf categories are bought together only
 * through a third category both go with (the category level's triangles). The pair's own baskets are
 * real, so it may still be shown, but after every direct suggestion: on a phone case's page the phone
 * comes before the screen protector that is bought with the phone.
 */
export function isIndirectPair(
  catalog: CatalogView,
  evidence: EvidenceView,
  anchor: number,
  candidate: number,
): boolean {
  const a = catalog.categoryId[anchor] ?? NO_GROUP;
  const b = catalog.categoryId[candidate] ?? NO_GROUP;
  return a !== NO_GROUP && b !== NO_GROUP && a !== b && evidence.isSecondHandCategoryPair(a, b);
}
