import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareRatios,
  ratioEstimate,
  sampleRatioCheck,
  type RatioEstimate,
  type UnitRatio,
} from "../../trainer/experiments/stats.js";

const Z975 = 1.959963984540054; // Φ⁻¹(0.975)

/** n one-impression units, `clicks` of which clicked. */
function binomialUnits(n: number, clicks: number): UnitRatio[] {
  return Array.from({ length: n }, (_, i) => ({ y: i < clicks ? 1 : 0, x: 1 }));
}

/** Delta-method se written out from the textbook formula, population (÷N) moments. */
function deltaSe(units: readonly UnitRatio[]): number {
  const n = units.length;
  const mx = units.reduce((s, u) => s + u.x, 0) / n;
  const my = units.reduce((s, u) => s + u.y, 0) / n;
  const r = my / mx;
  const sxx = units.reduce((s, u) => s + (u.x - mx) ** 2, 0) / n;
  const syy = units.reduce((s, u) => s + (u.y - my) ** 2, 0) / n;
  const sxy = units.reduce((s, u) => s + (u.x - mx) * (u.y - my), 0) / n;
  return Math.sqrt((syy - 2 * r * sxy + r * r * sxx) / (n * mx * mx));
}

function estimate(value: number, se: number): RatioEstimate {
  return { value, se, low: value - Z975 * se, high: value + Z975 * se, units: 1000, numerator: 0, denominator: 0 };
}

describe("ratioEstimate", () => {
  it("reduces to the binomial p(1-p)/n when every unit has one impression", () => {
    const e = ratioEstimate(binomialUnits(1000, 100));
    expect(e.value).toBe(0.1);
    expect(Math.abs(e.se - Math.sqrt((0.1 * 0.9) / 1000))).toBeLessThan(1e-12);
    expect(e).toMatchObject({ units: 1000, numerator: 100, denominator: 1000 });
    expect(e.low).toBeCloseTo(0.1 - Z975 * e.se, 12);
    expect(e.high).toBeCloseTo(0.1 + Z975 * e.se, 12);
  });

  it("matches a delta-method case worked by hand", () => {
    // x̄ = 3, ȳ = 2, R = 2/3, s_x² = s_y² = s_xy = 1: Var = (1 − 4/3 + 4/9) / (2·9) = 1/162.
    const e = ratioEstimate([
      { y: 1, x: 2 },
      { y: 3, x: 4 },
    ]);
    expect(e.value).toBeCloseTo(2 / 3, 15);
    expect(e.se).toBeCloseTo(1 / Math.sqrt(162), 15);
  });

  it("matches the delta-method formula for units of unequal sizes", () => {
    const units: UnitRatio[] = [
      { y: 0, x: 1 },
      { y: 2, x: 5 },
      { y: 1, x: 3 },
      { y: 4, x: 10 },
      { y: 0, x: 2 },
      { y: 3, x: 4 },
      { y: 7, x: 30 },
    ];
    const e = ratioEstimate(units);
    expect(e.value).toBeCloseTo(17 / 55, 15);
    expect(Math.abs(e.se - deltaSe(units))).toBeLessThan(1e-12);
  });

  it("is wider than the impression-level binomial interval when a unit's impressions are correlated", () => {
    // Each shopper either clicks everything or nothing: 10 independent units, not 100 impressions.
    const units = Array.from({ length: 10 }, (_, i) => ({ y: i < 3 ? 10 : 0, x: 10 }));
    const e = ratioEstimate(units);
    expect(e.value).toBeCloseTo(0.3, 15);
    expect(e.se).toBeCloseTo(Math.sqrt((0.3 * 0.7) / 10), 12);
    expect(e.se).toBeGreaterThan(3 * Math.sqrt((0.3 * 0.7) / 100));
  });

  it("uses the requested alpha", () => {
    const e = ratioEstimate(binomialUnits(1000, 100), 0.1);
    expect((e.high - e.value) / e.se).toBeCloseTo(1.6448536269514722, 10);
    expect(() => ratioEstimate([], 0)).toThrow(RangeError);
  });

  it("never reaches below 0 for a ratio of non-negative counts", () => {
    // 1 click in 3 units of 2 impressions: the normal interval would start at −10%.
    const e = ratioEstimate([
      { y: 1, x: 2 },
      { y: 0, x: 2 },
      { y: 0, x: 2 },
    ]);
    expect(e.value - Z975 * e.se).toBeLessThan(0);
    expect(e.low).toBe(0);
    expect(e.high).toBeCloseTo(e.value + Z975 * e.se, 12);
    const refunds = ratioEstimate([
      { y: -1, x: 2 },
      { y: 1, x: 2 },
    ]);
    expect(refunds.low).toBeLessThan(0);
  });

  it("gives zeros, never NaN, for no units or no exposure", () => {
    expect(ratioEstimate([])).toEqual({ value: 0, low: 0, high: 0, se: 0, units: 0, numerator: 0, denominator: 0 });
    expect(
      ratioEstimate([
        { y: 0, x: 0 },
        { y: 0, x: 0 },
      ]),
    ).toEqual({
      value: 0,
      low: 0,
      high: 0,
      se: 0,
      units: 2,
      numerator: 0,
      denominator: 0,
    });
    const one = ratioEstimate([{ y: 2, x: 5 }]);
    expect(one).toMatchObject({ value: 0.4, se: 0, low: 0.4, high: 0.4 });
  });

  it("is unchanged by units with zero exposure", () => {
    const base = [
      { y: 1, x: 2 },
      { y: 3, x: 4 },
    ];
    const padded = ratioEstimate([...base, { y: 0, x: 0 }, { y: 0, x: 0 }]);
    expect(padded.units).toBe(4);
    expect(padded.se).toBeCloseTo(ratioEstimate(base).se, 15);
    expect(padded.se).toBeCloseTo(deltaSe([...base, { y: 0, x: 0 }, { y: 0, x: 0 }]), 15);
  });
});

describe("compareRatios", () => {
  it("matches the unpooled two-proportion z test on binomial samples", () => {
    const control = ratioEstimate(binomialUnits(1000, 100));
    const treatment = ratioEstimate(binomialUnits(1200, 150));
    const se = Math.sqrt((0.1 * 0.9) / 1000 + (0.125 * 0.875) / 1200);
    const z = 0.025 / se;
    const c = compareRatios(control, treatment);
    expect(c.difference).toBeCloseTo(0.025, 15);
    expect(c.relative).toBeCloseTo(0.25, 12);
    expect(c.z).toBeCloseTo(z, 10);
    expect(c.low).toBeCloseTo(0.025 - Z975 * se, 10);
    expect(c.high).toBeCloseTo(0.025 + Z975 * se, 10);
    // z ≈ 1.83: two-sided p = 2·(1 − Φ(1.83)) ≈ 0.067.
    expect(c.pValue).toBeGreaterThan(0.06);
    expect(c.pValue).toBeLessThan(0.075);
  });

  it("gives p ≈ 0.05 at z = 1.96, symmetric in sign", () => {
    const up = compareRatios(estimate(0.1, 0.006), estimate(0.1196, 0.008));
    expect(up.z).toBeCloseTo(1.96, 10);
    expect(Math.abs((up.pValue ?? NaN) - 0.05)).toBeLessThan(1e-3);
    expect(up.pValue).toBeCloseTo(0.04999579, 7);
    const down = compareRatios(estimate(0.1196, 0.008), estimate(0.1, 0.006));
    expect(down.z).toBeCloseTo(-1.96, 10);
    expect(down.pValue).toBeCloseTo(up.pValue ?? NaN, 15);
    expect(down.high).toBeCloseTo(-(up.low ?? NaN), 12);
  });

  it("gives p = 1 with no difference, and no test (not p = 1 beside an interval off 0) when neither arm varies", () => {
    expect(compareRatios(estimate(0.1, 0.01), estimate(0.1, 0.01))).toMatchObject({ z: 0, pValue: 1 });
    // Issue 20's forged arm: every unit alike (1e9 per impression) against a control without revenue.
    const forged = ratioEstimate(Array.from({ length: 20 }, () => ({ y: 1e9, x: 1 })));
    const none = ratioEstimate(Array.from({ length: 20 }, () => ({ y: 0, x: 1 })));
    expect(forged.se).toBe(0);
    const flat = compareRatios(none, forged);
    expect(flat.difference).toBe(1e9);
    expect(flat).toMatchObject({ z: null, pValue: null, low: null, high: null });
    expect(compareRatios(none, none)).toMatchObject({ z: 0, pValue: 1, low: 0, high: 0 });
  });

  it("matches a textbook two-sample z test (Montgomery & Runger, Example 10-1: primer drying times)", () => {
    // σ1 = σ2 = 8 min, n1 = n2 = 10, x̄1 = 121, x̄2 = 112: z0 = 9 / √(64/10 + 64/10) = 2.52 and the
    // book's one-sided P = 1 − Φ(2.52) = 0.0059, so two-sided 0.0118. Ten one-impression units of y = x̄ ± σ
    // have mean x̄ and (population) standard deviation σ exactly, the σ the book's test takes as known.
    const arm = (mean: number) => Array.from({ length: 10 }, (_, i) => ({ y: mean + (i % 2 === 0 ? 8 : -8), x: 1 }));
    const c = compareRatios(ratioEstimate(arm(112)), ratioEstimate(arm(121)));
    expect(c.difference).toBe(9);
    expect(c.z).toBeCloseTo(2.52, 2);
    expect((c.pValue ?? NaN) / 2).toBeCloseTo(0.0059, 4);
    expect(c.pValue).toBeCloseTo(0.011884, 5);
    // The interval of the same test: 9 ± 1.96 · 3.578, clear of 0 as p < 0.05 says.
    expect(c.low).toBeCloseTo(9 - Z975 * Math.sqrt(12.8), 10);
    expect(c.high).toBeCloseTo(9 + Z975 * Math.sqrt(12.8), 10);
    expect(c.low).toBeGreaterThan(0);
  });

  it("never disagrees with itself: the interval leaves out 0 exactly when p < alpha", () => {
    const unit = fc.record({ y: fc.integer({ min: 0, max: 50 }), x: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: 1, maxLength: 30 }),
        fc.array(unit, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(0.01, 0.05, 0.1),
        (a, b, alpha) => {
          const c = compareRatios(ratioEstimate(a, alpha), ratioEstimate(b, alpha), alpha);
          if (c.pValue === null) return c.low === null && c.high === null && c.z === null;
          const excludesZero = (c.low ?? 0) > 0 || (c.high ?? 0) < 0;
          // Exactly at the edge rounding may fall either way.
          return Math.abs(c.pValue - alpha) < 1e-9 || excludesZero === c.pValue < alpha;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("has no relative lift against a zero control", () => {
    const empty = ratioEstimate([]);
    const c = compareRatios(empty, empty);
    expect(c).toEqual({ difference: 0, relative: null, low: 0, high: 0, z: 0, pValue: 1 });
    expect(compareRatios(estimate(0, 0.01), estimate(0.02, 0.01)).relative).toBeNull();
  });
});

describe("sampleRatioCheck", () => {
  it("passes an even split", () => {
    const s = sampleRatioCheck([5000, 5000], [1, 1]);
    expect(s).toMatchObject({ chiSquare: 0, degreesOfFreedom: 1, pValue: 1, mismatch: false });
    expect(s.expectedShares).toEqual([0.5, 0.5]);
  });

  it("flags 5200/4800 on a 50/50 split", () => {
    const s = sampleRatioCheck([5200, 4800], [1, 1]);
    expect(s.chiSquare).toBeCloseTo(16, 12);
    // χ²₁ > 16 ⇔ |Z| > 4: p = 2·(1 − Φ(4)).
    expect(s.pValue).toBeCloseTo(6.334248366623996e-5, 10);
    expect(s.mismatch).toBe(true);
    expect(s.observedShares).toEqual([0.52, 0.48]);
  });

  it("normalises unequal weights", () => {
    const s = sampleRatioCheck([6000, 4000], [3, 2]);
    expect(s.expectedShares).toEqual([0.6, 0.4]);
    expect(s.chiSquare).toBeCloseTo(0, 12);
    expect(s.mismatch).toBe(false);
    // Against 50/50 the same counts are a gross mismatch.
    expect(sampleRatioCheck([6000, 4000], [1, 1]).mismatch).toBe(true);
  });

  it("handles three arms with two degrees of freedom", () => {
    // χ²₂ survival is exp(−x/2): 3400/3300/3300 gives χ² = 2, p = e⁻¹.
    const fine = sampleRatioCheck([3400, 3300, 3300], [1, 1, 1]);
    expect(fine.degreesOfFreedom).toBe(2);
    expect(fine.chiSquare).toBeCloseTo(2, 10);
    expect(fine.pValue).toBeCloseTo(Math.exp(-1), 10);
    expect(fine.mismatch).toBe(false);
    // 3500/3300/3200 gives χ² = 14, p = e⁻⁷ ≈ 9.1e-4, just under the 0.001 threshold.
    const off = sampleRatioCheck([3500, 3300, 3200], [1, 1, 1]);
    expect(off.chiSquare).toBeCloseTo(14, 10);
    expect(off.pValue).toBeCloseTo(Math.exp(-7), 10);
    expect(off.mismatch).toBe(true);
    expect(sampleRatioCheck([3500, 3300, 3200], [1, 1, 1], 1e-4).mismatch).toBe(false);
  });

  it("treats a zero-weight arm as carrying no degree of freedom, and traffic into it as a mismatch", () => {
    const paused = sampleRatioCheck([5000, 5000, 0], [1, 1, 0]);
    expect(paused).toMatchObject({ chiSquare: 0, degreesOfFreedom: 1, pValue: 1, mismatch: false });
    const leaking = sampleRatioCheck([5000, 5000, 1], [1, 1, 0]);
    expect(leaking).toMatchObject({ pValue: 0, mismatch: true });
  });

  it("does not test fewer than two arms or no units", () => {
    expect(sampleRatioCheck([100], [1])).toMatchObject({ pValue: 1, mismatch: false, observedShares: [1] });
    expect(sampleRatioCheck([0, 0], [1, 1])).toMatchObject({
      chiSquare: 0,
      pValue: 1,
      mismatch: false,
      observedShares: [0, 0],
    });
    expect(sampleRatioCheck([], [])).toMatchObject({ pValue: 1, mismatch: false, degreesOfFreedom: 0 });
  });

  it("rejects inconsistent input", () => {
    expect(() => sampleRatioCheck([1, 2], [1])).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, -2], [1, 1])).toThrow(RangeError);
    expect(() => sampleRatioCheck([1, 2], [0, 0])).toThrow(RangeError);
  });
});
