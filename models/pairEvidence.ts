/**
 * The numbers behind one pair of items or categories. Its own module because both the evidence blob
 * (item pairs) and its category level (category pairs) speak in it, and the blob reads the level.
 */
export interface PairEvidence {
  /** Distinct baskets holding both items. */
  support: number;
  /** P(other | item): the share of the item's baskets that also hold the other. */
  confidence: number;
  /** confidence ÷ P(other): above 1 means bought together more often than chance. */
  lift: number;
  /**
   * What the support is worth in average baskets: each basket weighed by its size (a wholesale order
   * of 700 items counts about half, trainer/learn/coPurchase.ts). Absent where the model has no
   * weights (older models, category pairs); never shown, the shopper sees real baskets.
   */
  worth?: number;
}
