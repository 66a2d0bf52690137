import { choleskyColumns } from "./spdInverse.js";

/**
 * Solves A·x = b in place for a small symmetric positive-definite m × m system (row-major, A is
 * overwritten by its Cholesky factor, b by x). When A is not positive definite (a Gram matrix with
 * pruned entries can be indefinite), retries with δ·I added, δ doubling from 1% of `diagonalScale`;
 * returns the δ used (0 when none was needed). The caller keeps a copy-free buffer, so the retry
 * rebuilds A from the untouched upper triangle.
 */
export function solveSpdInPlace(a: Float64Array, b: Float64Array, m: number, diagonalScale: number): number {
  const diagonal = new Float64Array(m);
  for (let i = 0; i < m; i++) diagonal[i] = a[i * m + i] ?? 0;
  let shift = 0;
  for (let attempt = 0; attempt < 60; attempt++) {
    if (attempt > 0) {
      shift = attempt === 1 ? 0.01 * Math.max(diagonalScale, 1e-9) : shift * 2;
      // Restore A's lower triangle and diagonal from the upper triangle, which the factorisation leaves alone.
      for (let i = 0; i < m; i++) {
        a[i * m + i] = (diagonal[i] ?? 0) + shift;
        for (let k = 0; k < i; k++) a[i * m + k] = a[k * m + i] ?? 0;
      }
    }
    if (choleskyColumns(a, m, 0, m) === null) {
      forwardBack(a, b, m);
      return shift;
    }
  }
  throw new Error("system stays indefinite after 60 diagonal shifts");
}

/** L·y = b, then Lᵀ·x = y, in place in b. */
function forwardBack(l: Float64Array, b: Float64Array, m: number): void {
  for (let i = 0; i < m; i++) {
    const ri = i * m;
    let s = b[i] ?? 0;
    for (let k = 0; k < i; k++) s -= (l[ri + k] ?? 0) * (b[k] ?? 0);
    b[i] = s / (l[ri + i] ?? 1);
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i] ?? 0;
    for (let k = i + 1; k < m; k++) s -= (l[k * m + i] ?? 0) * (b[k] ?? 0);
    b[i] = s / (l[i * m + i] ?? 1);
  }
}
