import type { PairEvidence } from "../pairEvidence.js";

/**
 * Whether a pair's evidence beats chance, knowing how many pairs were tried.
 *
 * The test: under independence, the baskets of the anchor that also hold the partner are
 * Binomial(n, p0), n = the anchor's baskets and p0 = the partner's base rate (confidence ÷ lift); the
 * pair's p-value is P(X ≥ support), exact. Each level (item pairs, category pairs) tries many pairs at
 * once, so the trainer keeps how many it tried and how many p-values fell under each point of a grid
 * (PValueCounts), and the answer side turns a false-discovery rate q into the largest p-value that
 * Benjamini–Hochberg's step-up still rejects at (`pValueThreshold`). A pair is shown only under it.
 */

/** Lanczos coefficients (g = 7, n = 9; Numerical Recipes 3rd ed. §6.1, as in Boost and Wikipedia). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0, to about 15 digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 1;
  for (let k = 1; k < LANCZOS.length; k++) sum += (LANCZOS[k] ?? 0) / (z + k);
  const t = z + 7.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln P(X = k) for X ~ Binomial(n, p), 0 < p < 1. */
function logBinomialPmf(k: number, n: number, p: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** Terms below this share of the running sum no longer change a p-value anyone compares. */
const TAIL_EPSILON = 1e-15;

/**
 * P(X ≥ k) for X ~ Binomial(n, p): exact, by summing the probabilities from the far side of the mode
 * (upper terms from k when k is past the mode, else 1 − the lower terms below k), each from the last
 * by the ratio of neighbouring terms, until they stop mattering. With `atMost`, a caller that only asks
 * whether the tail is at most that much may get a partial sum already above it (the answer is then
 * the same: no): a weak pair's terms shrink slowly, and most pairs a request judges are weak.
 */
export function binomialUpperTail(k: number, n: number, p: number, atMost = Number.POSITIVE_INFINITY): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (p >= 1) return 1;
  const mode = Math.floor((n + 1) * p);
  const odds = p / (1 - p);
  let term = Math.exp(logBinomialPmf(k > mode ? k : k - 1, n, p));
  let sum = term;
  if (k > mode) {
    for (let j = k; j < n && term > sum * TAIL_EPSILON; j++) {
      // The sum only grows: once past `atMost`, the answer to "is it at most…" is known.
      if (sum > atMost) return Math.min(1, sum);
      term *= ((n - j) / (j + 1)) * odds;
      sum += term;
    }
    return Math.min(1, sum);
  }
  for (let j = k - 1; j > 0 && term > sum * TAIL_EPSILON; j--) {
    term *= j / (n - j + 1) / odds;
    sum += term;
  }
  return Math.max(0, 1 - sum);
}

/**
 * A pair's one-sided p-value: how likely the anchor's baskets hold the partner at least `support`
 * times if buying one said nothing about the other. 1 for a pair with no evidence.
 */
export function pairPValue({ support, confidence, lift }: PairEvidence, atMost?: number): number {
  if (support <= 0 || confidence <= 0 || lift <= 0) return 1;
  const baskets = Math.round(support / confidence);
  return binomialUpperTail(support, baskets, Math.min(1, confidence / lift), atMost);
}

/** Whether a pair's p-value is at most `threshold` (what the rules ask; cheaper than the p-value). */
export function pValueAtMost(pair: PairEvidence, threshold: number): boolean {
  return pairPValue(pair, threshold) <= threshold;
}

/** Grid points per decade: p-values are counted under 10^(−i/STEPS) for i = 0 … GRID − 1. */
const STEPS = 8;
/** 32 decades: a p-value under 1e-32 counts as under the last point. */
export const P_VALUE_GRID = 256;

/** The grid's i-th point, 10^(−i/8). */
export const gridPoint = (i: number): number => 10 ** (-i / STEPS);

/** How one level's p-values fell: what Benjamini–Hochberg needs of them, in 1 KiB. */
export interface PValueCounts {
  /** m: the pairs tried (every pair seen together, including those under the floor, which count as p = 1). */
  tests: number;
  /** [P_VALUE_GRID] how many p-values are at most gridPoint(i), cumulative. */
  atMost: Uint32Array;
}

/** Collects a level's p-values into PValueCounts. */
export class PValueTally {
  private readonly bins = new Float64Array(P_VALUE_GRID);
  private tests = 0;

  /** One pair tried; `pValue` 1 for a pair that was never tested (under the floor). */
  add(pValue: number): void {
    this.tests++;
    if (!(pValue <= 1)) return;
    // The grid point i with gridPoint(i + 1) < p ≤ gridPoint(i): counted under i and every larger p.
    const i = pValue <= 0 ? P_VALUE_GRID - 1 : Math.min(P_VALUE_GRID - 1, Math.floor(-Math.log10(pValue) * STEPS));
    this.bins[i] = (this.bins[i] ?? 0) + 1;
  }

  /** Pairs tried without a p-value of their own (under the floor): tests, never discoveries. */
  addUntested(count: number): void {
    this.tests += count;
  }

  counts(): PValueCounts {
    const atMost = new Uint32Array(P_VALUE_GRID);
    let below = 0;
    for (let i = P_VALUE_GRID - 1; i >= 0; i--) {
      below += this.bins[i] ?? 0;
      atMost[i] = below;
    }
    return { tests: this.tests, atMost };
  }
}

/**
 * The p-value a level's pairs must be under for a false-discovery rate of q: Benjamini–Hochberg's
 * step-up on the grid, the largest grid point p with p ≤ q · #(p-values ≤ p) / m. Every pair it lets
 * through BH rejects too (the grid only rounds the threshold down), so the expected share of chance
 * pairs among those shown stays at most q. 0 when nothing is significant.
 */
export function pValueThreshold(counts: PValueCounts, q: number): number {
  if (counts.tests === 0) return 0;
  for (let i = 0; i < P_VALUE_GRID; i++) {
    const p = gridPoint(i);
    if (p <= (q * (counts.atMost[i] ?? 0)) / counts.tests) return p;
  }
  return 0;
}

/**
 * The threshold of a level whose model carries no counts (trained before them): a plain one-sided 10%
 * test per pair, what the Wilson bound at z = 1.28 approximated before.
 */
export const UNCORRECTED_THRESHOLD = 0.1;
