export type Objective = "relevance" | "revenue";

/** Ranking value: the model's relevance, or expected revenue (relevance × price in minor units). */
export function objectiveValue(objective: Objective, score: number, priceMinor: number): number {
  return objective === "revenue" ? score * Math.max(priceMinor, 0) : score;
}
