/** Statistics for an A/B experiment report: ratio metrics over randomisation units, their comparison, SRM. */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/** One unit's sums for a ratio metric: numerator y, denominator x. */
export interface UnitRatio {
  y: number;
  x: number;
}

export interface RatioEstimate {
  value: number;
  low: number;
  high: number;
  se: number;
  units: number;
  numerator: number;
  denominator: number;
}

export interface Comparison {
  difference: number;
  relative: number | null;
  /** The interval and the test come from one standard error, so low > 0 or high < 0 exactly when pValue < alpha. */
  low: number | null;
  high: number | null;
  z: number | null;
  /** null (and so are z, low and high) when neither arm varies but they differ: there is nothing to test with. */
  pValue: number | null;
}

export interface SampleRatioCheck {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  mismatch: boolean;
  expectedShares: number[];
  observedShares: number[];
  /**
   * The smallest shift of an arm's share (0.1 = 10 points) the check would catch 80% of the time at
   * its threshold, with this many units: a "consistent" verdict says nothing about smaller ones.
   */
  detectableShift: number;
  /** Too few units for "consistent" to mean anything: a shift of MEANINGFUL_SHIFT could go unseen. */
  underpowered: boolean;
}

/** A shift in an arm's share the sample-ratio check must be able to see before it may say "consistent". */
export const MEANINGFUL_SHIFT = 0.05;
const POWER = 0.8;

/**
 * The shift of one arm's share that a test at `threshold` catches with 80% power among `total` units
 * (the normal approximation of the one-arm z test the chi-square reduces to for two arms), for the
 * arm whose share varies most (p(1 − p) largest). Infinity without units.
 */
export function detectableShift(total: number, expectedShares: readonly number[], threshold: number): number {
  if (total <= 0) return Number.POSITIVE_INFINITY;
  const spread = Math.max(0, ...expectedShares.map((p) => p * (1 - p)));
  return (criticalZ(threshold) + normalQuantile(POWER, 0, 1)) * Math.sqrt(spread / total);
}

/** Two-sided critical value z_{1-alpha/2}. */
function criticalZ(alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  return normalQuantile(1 - alpha / 2, 0, 1);
}

/** Σy/Σx with a delta-method standard error and a (1-alpha) normal interval (cut at 0 when every y and x is ≥ 0). value NaN-free: if Σx = 0, value 0, se 0, low=high=0. */
export function ratioEstimate(units: readonly UnitRatio[], alpha = 0.05): RatioEstimate {
  const z = criticalZ(alpha);
  let numerator = 0;
  let denominator = 0;
  for (const u of units) {
    numerator += u.y;
    denominator += u.x;
  }
  const n = units.length;
  if (denominator === 0) return { value: 0, low: 0, high: 0, se: 0, units: n, numerator, denominator };
  const value = numerator / denominator;
  // The unit, not the impression, is the independent observation, so the variance comes from the spread of
  // unit sums. Delta method: Var(R) ≈ (s_y² − 2R·s_xy + R²·s_x²) / (N·x̄²). With population variances
  // (divide by N, not N−1) that numerator is exactly mean((y_i − R·x_i)²), so Var(R) = Σ(y_i − R·x_i)² / (Σx)²;
  // the residual form avoids cancellation. The N convention makes one-impression units reduce exactly to the
  // binomial p(1−p)/N, and units with x = y = 0 have no effect at all.
  let squares = 0;
  for (const u of units) squares += (u.y - value * u.x) ** 2;
  const se = Math.sqrt(squares) / denominator;
  // Counts and revenue are never negative, so neither is their ratio; the normal interval of a small
  // sample would reach below 0 (a CTR of "-10%"), so its lower end is cut there.
  const nonNegative = units.every((u) => u.y >= 0 && u.x >= 0);
  const low = nonNegative ? Math.max(0, value - z * se) : value - z * se;
  return { value, low, high: value + z * se, se, units: n, numerator, denominator };
}

/**
 * treatment − control, Welch-style z test on the two independent delta-method estimates, two-sided p-value,
 * (1-alpha) interval of the difference; relative = difference / control.value or null when control.value
 * is 0. When both se are 0: equal arms give z 0, p 1 and the interval [0, 0]; different arms give no test
 * (z, p and interval null).
 */
export function compareRatios(control: RatioEstimate, treatment: RatioEstimate, alpha = 0.05): Comparison {
  const critical = criticalZ(alpha);
  const difference = treatment.value - control.value;
  const relative = control.value === 0 ? null : difference / control.value;
  // Arms are independent samples of units, so the variances add; no pooling, as the arms' variances differ.
  const se = Math.hypot(control.se, treatment.se);
  if (se === 0) {
    // No spread in either arm (every unit alike: one unit each, no clicks anywhere, or made-up units). This
    // used to answer z 0, p 1 beside the interval [d, d], which excludes 0 for any d ≠ 0: a report that
    // said "no evidence" and "certain" about one difference. A zero standard error is an estimate that
    // failed, not certainty, so a difference is left untested rather than called either way.
    return difference === 0
      ? { difference, relative, low: 0, high: 0, z: 0, pValue: 1 }
      : { difference, relative, low: null, high: null, z: null, pValue: null };
  }
  const z = difference / se;
  // 2·Φ(−|z|) rather than 2·(1 − Φ(|z|)): same value, but it keeps precision far in the tail.
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
  return { difference, relative, low: difference - critical * se, high: difference + critical * se, z, pValue };
}

/** Pearson chi-square goodness of fit of observed unit counts per arm against the arms' configured weights (normalised to shares); mismatch when pValue < threshold (default 0.001, the customary SRM threshold). Fewer than 2 arms or zero total: pValue 1, mismatch false. */
export function sampleRatioCheck(
  counts: readonly number[],
  weights: readonly number[],
  threshold = 0.001,
): SampleRatioCheck {
  if (counts.length !== weights.length) {
    throw new RangeError(`${counts.length} counts for ${weights.length} weights`);
  }
  if (counts.some((c) => !(Number.isFinite(c) && c >= 0))) throw new RangeError("counts must be finite and ≥ 0");
  if (weights.some((w) => !(Number.isFinite(w) && w >= 0))) throw new RangeError("weights must be finite and ≥ 0");
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (counts.length > 0 && weightSum === 0) throw new RangeError("weights must not all be 0");
  const total = counts.reduce((a, b) => a + b, 0);
  const expectedShares = weights.map((w) => w / weightSum);
  const observedShares = counts.map((c) => (total === 0 ? 0 : c / total));
  // A weight-0 arm (e.g. paused) has a fixed expected count of 0, so it carries no degree of freedom.
  const degreesOfFreedom = Math.max(weights.filter((w) => w > 0).length - 1, 0);
  const shift = detectableShift(total, expectedShares, threshold);
  const power = { detectableShift: shift, underpowered: shift > MEANINGFUL_SHIFT };
  if (counts.length < 2 || total === 0) {
    return { chiSquare: 0, degreesOfFreedom, pValue: 1, mismatch: false, expectedShares, observedShares, ...power };
  }
  let chiSquare = 0;
  counts.forEach((observed, i) => {
    const expected = total * (expectedShares[i] ?? 0);
    // Units landing in an arm that should get none is an allocation bug, not chance.
    if (expected === 0) chiSquare += observed > 0 ? Number.POSITIVE_INFINITY : 0;
    else chiSquare += (observed - expected) ** 2 / expected;
  });
  let pValue = 1;
  if (chiSquare === Number.POSITIVE_INFINITY) pValue = 0;
  else if (degreesOfFreedom > 0) pValue = Math.max(0, 1 - chisquareCdf(chiSquare, degreesOfFreedom));
  return {
    chiSquare,
    degreesOfFreedom,
    pValue,
    mismatch: pValue < threshold,
    expectedShares,
    observedShares,
    ...power,
  };
}
