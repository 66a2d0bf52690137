import { describe, expect, it } from "vitest";
import { seededRandom } from "../../trainer/learn/linalg.js";
import { invertSpd } from "../../trainer/learn/spdInverse.js";

/** A random SPD matrix: XᵀX over 2n rows plus a small ridge, like EASE's Gram matrix. */
function randomSpd(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const rows = 2 * n;
  const x = Float64Array.from({ length: rows * n }, () => (random() < 0.3 ? Math.floor(random() * 4) : 0));
  const g = new Float64Array(n * n);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      const xi = x[r * n + i] ?? 0;
      if (xi === 0) continue;
      for (let j = 0; j < n; j++) g[i * n + j] = (g[i * n + j] ?? 0) + xi * (x[r * n + j] ?? 0);
    }
  }
  for (let i = 0; i < n; i++) g[i * n + i] = (g[i * n + i] ?? 0) + 0.5 + random();
  return g;
}

describe("invertSpd (blocked Cholesky inverse)", () => {
  // Sizes around the 4 × 4 tiles' edges, and one with several tiles each way.
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 30, 61]) {
    it(`A · A⁻¹ = I and A⁻¹ is symmetric, n = ${n}`, () => {
      const a = randomSpd(n, n);
      const before = a.slice();
      const inverse = invertSpd(a, n);
      expect(a).toEqual(before); // the input is left alone
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += (a[i * n + k] ?? 0) * (inverse[k * n + j] ?? 0);
          worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
          expect(inverse[i * n + j]).toBe(inverse[j * n + i]);
        }
      }
      expect(worst).toBeLessThan(1e-9);
    });
  }

  it("refuses a matrix that is not positive definite", () => {
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});
