/** A cart line: its item, how many, and the unit price the shopper pays (minor units; NO_PRICE when unknown). */
export interface PricedLine {
  index: number;
  quantity: number;
  unitPriceMinor: number;
}

/**
 * The cart lines scored together: the most valuable ones (unit price × quantity, unknown prices as 0),
 * ties by catalog index, at most maxScoredLines. The worker and the eval's cart task both use it, so
 * the eval measures the lines the worker really scores.
 */
export function scoredLines<T extends PricedLine>(lines: readonly T[], maxScoredLines: number): T[] {
  const value = (line: T) => Math.max(line.unitPriceMinor, 0) * line.quantity;
  return [...lines].sort((a, b) => value(b) - value(a) || a.index - b.index).slice(0, maxScoredLines);
}
