/** The median of some prices (the mean of the middle two for an even count), null for none; rounded to 4 places. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const value = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return roundPrice(value);
}

/** A price to 4 decimal places, as the converted files hold them (fuel sells at $0.0023 a unit). */
export const roundPrice = (value: number): number => Math.round(value * 1e4) / 1e4;
