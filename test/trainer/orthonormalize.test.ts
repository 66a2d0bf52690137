import { describe, expect, it } from "vitest";
import { orthonormalize, seededRandom } from "../../trainer/learn/linalg.js";

/** Modified Gram-Schmidt as written in textbooks: a dot pass, then a subtract pass, per earlier column. */
function textbookMgs(m: Float64Array, n: number, k: number, passes: number): void {
  for (let pass = 0; pass < passes; pass++) {
    for (let c = 0; c < k; c++) {
      const col = m.subarray(c * n, (c + 1) * n);
      for (let p = 0; p < c; p++) {
        const prev = m.subarray(p * n, (p + 1) * n);
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (col[i] ?? 0) * (prev[i] ?? 0);
        for (let i = 0; i < n; i++) col[i] = (col[i] ?? 0) - dot * (prev[i] ?? 0);
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += (col[i] ?? 0) ** 2;
      norm = Math.sqrt(norm);
      if (norm < 1e-12) col.fill(0);
      else for (let i = 0; i < n; i++) col[i] = (col[i] ?? 0) / norm;
    }
  }
}

function randomMatrix(n: number, k: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: n * k }, () => random() - 0.5);
}

describe("orthonormalize", () => {
  it.each([
    [1, 1],
    [3000, 1],
    [3000, 2],
    [3000, 13],
    [7, 7],
  ])("gives the textbook modified Gram-Schmidt's bits (n %i, k %i)", (n, k) => {
    for (const passes of [1, 2]) {
      const ours = randomMatrix(n, k, n * 31 + k);
      const textbook = ours.slice();
      orthonormalize(ours, n, k, passes);
      textbookMgs(textbook, n, k, passes);
      expect(ours).toEqual(textbook);
    }
  });

  it("leaves orthonormal columns, and a column that repeats an earlier one as zero", () => {
    const n = 500;
    const k = 6;
    const m = randomMatrix(n, k, 7);
    m.copyWithin(4 * n, 1 * n, 2 * n); // column 4 = column 1
    orthonormalize(m, n, k);
    const column = (c: number) => m.subarray(c * n, (c + 1) * n);
    const dot = (a: number, b: number) => column(a).reduce((sum, x, i) => sum + x * (column(b)[i] ?? 0), 0);
    expect(column(4).every((x) => x === 0)).toBe(true);
    for (const a of [0, 1, 2, 3, 5]) {
      expect(dot(a, a)).toBeCloseTo(1, 12);
      for (const b of [0, 1, 2, 3, 5]) if (b < a) expect(Math.abs(dot(a, b))).toBeLessThan(1e-12);
    }
  });
});
