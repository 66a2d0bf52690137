export type Objective = "relevance" | "revenue";

/** Ranking value: the model's relevance, or expected revenue (relevance × price in minor units). */
export function objectiveValue(objective: Objective, score: number, priceMinor: number): number {
  return objective === "revenue" ? score * Math.max(priceMinor, 0) : score;
}

/** Whether the objective ranks a list in the order it came in (relevance), so it can be taken as it passes. */
export function keepsOrder(objective: Objective): boolean {
  return objective !== "revenue";
}

/**
 * Orders a list the objective ranks: by expected revenue, ties by catalog index. Relevance keeps the
 * order the list came in (the model's, or a fallback level's own), so only revenue sorts.
 */
export function orderByObjective<T extends { index: number; value: number }>(objective: Objective, list: T[]): T[] {
  if (!keepsOrder(objective)) list.sort((a, b) => b.value - a.value || a.index - b.index);
  return list;
}
