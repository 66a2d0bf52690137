import { NO_NEIGHBOUR, type EvidenceRows } from "../models/evidence.js";
import type { LookalikeRows } from "../models/lookalikes.js";
import type { CategoryLevelRows } from "./learn/categoryAffinity.js";
import type { CoPurchase } from "./learn/coPurchase.js";
import type { NeighbourLists } from "./learn/neighbours.js";
import { itemPairSignificance } from "./learn/pairSignificance.js";

export interface EvidenceParts {
  co: CoPurchase;
  lists: NeighbourLists;
  /** Baskets behind co.itemBaskets: every probability's denominator. */
  totalBaskets: number;
  minSupport: number;
  categories: CategoryLevelRows | undefined;
  lookalikes: LookalikeRows | undefined;
}

/**
 * The evidence the trainer exports and the eval serves from, assembled once: the neighbour lists'
 * pairs with their real basket counts, the category level, the lookalikes, and how each level's
 * p-values fell (the false-discovery control's counts).
 */
export function evidenceRows({
  co,
  lists,
  totalBaskets,
  minSupport,
  categories,
  lookalikes,
}: EvidenceParts): EvidenceRows {
  return {
    totalBaskets,
    minSupport,
    neighbours: lists.neighbours,
    itemBaskets: co.itemBaskets,
    neighbourItems: lists.items.map((j, slot) => ((lists.support[slot] ?? 0) > 0 ? j : NO_NEIGHBOUR)),
    support: lists.support,
    ...(co.weighted ? { basketWeight: lists.basketWeight } : {}),
    ...(categories ? { categories } : {}),
    ...(lookalikes ? { lookalikes } : {}),
    significance: {
      pairs: itemPairSignificance(co, totalBaskets, minSupport),
      categories: categories?.pValues ?? null,
    },
  };
}
