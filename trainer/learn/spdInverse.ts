/**
 * Inverse of a symmetric positive-definite n × n matrix (row-major) by Cholesky: A = L·Lᵀ, N = L⁻ᵀ
 * (upper triangular), A⁻¹ = N·Nᵀ. About n³/2 multiply-adds, as before, but every phase is written as
 * dot products of contiguous row pieces computed 4 × 4 at a time (`dots`): each value loaded serves
 * four products and the four rows of one side stay in cache while the other side streams. The row
 * updates this replaced (four rows at a time against one, streaming the whole triangle) took 14.4 s
 * at n = 2,000 against 9.1 s for this, back to back on the 2-core eval machine under other jobs' load.
 * Returns a new array; throws when the matrix is not positive definite.
 */
export function invertSpd(input: Float64Array, n: number, progress?: (share: number) => void): Float64Array {
  const a = input.slice();
  // Each phase is ~n³/6 multiply-adds; a block of 4 rows' share of its phase is reported as it ends.
  const phase = (index: number) => (done: number) => progress?.((index + done / n ** 3) / 3);
  cholesky(a, n, phase(0));
  const upper = inverseTransposed(a, n, phase(1));
  gram(upper, n, a, phase(2));
  progress?.(1);
  return a;
}

/** Progress within a phase: multiply-adds done so far, of ~n³ (each block's tiles counted × 6). */
type PhaseProgress = (done: number) => void;

/** The tile size: 4 × 4 accumulators fit the registers; more spill. */
const T = 4;

/**
 * out[r·4 + c] = Σ_{from ≤ k < to} x[(xRow + r)·n + k] · y[(yRow + c)·n + k] for r < rows, c < cols
 * (each at most 4). The full 4 × 4 case is unrolled: that is where all the time goes.
 */
function dots(
  x: Float64Array,
  xRow: number,
  rows: number,
  y: Float64Array,
  yRow: number,
  cols: number,
  n: number,
  from: number,
  to: number,
  out: Float64Array,
): void {
  if (rows === T && cols === T) {
    const x0 = xRow * n;
    const x1 = x0 + n;
    const x2 = x1 + n;
    const x3 = x2 + n;
    const y0 = yRow * n;
    const y1 = y0 + n;
    const y2 = y1 + n;
    const y3 = y2 + n;
    let s00 = 0;
    let s01 = 0;
    let s02 = 0;
    let s03 = 0;
    let s10 = 0;
    let s11 = 0;
    let s12 = 0;
    let s13 = 0;
    let s20 = 0;
    let s21 = 0;
    let s22 = 0;
    let s23 = 0;
    let s30 = 0;
    let s31 = 0;
    let s32 = 0;
    let s33 = 0;
    for (let k = from; k < to; k++) {
      const a0 = x[x0 + k] ?? 0;
      const a1 = x[x1 + k] ?? 0;
      const a2 = x[x2 + k] ?? 0;
      const a3 = x[x3 + k] ?? 0;
      const b0 = y[y0 + k] ?? 0;
      const b1 = y[y1 + k] ?? 0;
      const b2 = y[y2 + k] ?? 0;
      const b3 = y[y3 + k] ?? 0;
      s00 += a0 * b0;
      s01 += a0 * b1;
      s02 += a0 * b2;
      s03 += a0 * b3;
      s10 += a1 * b0;
      s11 += a1 * b1;
      s12 += a1 * b2;
      s13 += a1 * b3;
      s20 += a2 * b0;
      s21 += a2 * b1;
      s22 += a2 * b2;
      s23 += a2 * b3;
      s30 += a3 * b0;
      s31 += a3 * b1;
      s32 += a3 * b2;
      s33 += a3 * b3;
    }
    out[0] = s00;
    out[1] = s01;
    out[2] = s02;
    out[3] = s03;
    out[4] = s10;
    out[5] = s11;
    out[6] = s12;
    out[7] = s13;
    out[8] = s20;
    out[9] = s21;
    out[10] = s22;
    out[11] = s23;
    out[12] = s30;
    out[13] = s31;
    out[14] = s32;
    out[15] = s33;
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      const xr = (xRow + r) * n;
      const yc = (yRow + c) * n;
      for (let k = from; k < to; k++) s += (x[xr + k] ?? 0) * (y[yc + k] ?? 0);
      out[r * T + c] = s;
    }
  }
}

/**
 * In place: the lower triangle becomes L (A = L·Lᵀ), the upper triangle zeros. Left-looking by blocks
 * of 4 columns: the bulk of L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj is the tile over k below the
 * block; the few terms inside the block are finished column by column.
 */
function cholesky(a: Float64Array, n: number, progress: PhaseProgress): void {
  const tile = new Float64Array(T * T);
  let work = 0;
  for (let j0 = 0; j0 < n; j0 += T) {
    // Rows below the block × its 4 columns × j0 terms each, ×6 so the phase sums to ~n³.
    work += 6 * (n - j0) * T * j0;
    if (j0 % 64 === 0) progress(work);
    const jb = Math.min(T, n - j0);
    if (j0 > 0) {
      for (let i0 = j0; i0 < n; i0 += T) {
        const ib = Math.min(T, n - i0);
        dots(a, i0, ib, a, j0, jb, n, 0, j0, tile);
        for (let r = 0; r < ib; r++) {
          const ri = (i0 + r) * n + j0;
          for (let c = 0; c < jb; c++) a[ri + c] = (a[ri + c] ?? 0) - (tile[r * T + c] ?? 0);
        }
      }
    }
    const pivot = choleskyColumns(a, n, j0, j0 + jb);
    if (pivot !== null) throw new Error(`matrix is not positive definite (pivot ${pivot})`);
  }
  for (let i = 0; i < n; i++) a.fill(0, i * n + i + 1, (i + 1) * n);
}

/**
 * Finishes Cholesky columns first ≤ j < end in place (row-major n × n, lower triangle only):
 * L_jj = √(A_jj − Σ L_jk²) and L_ij = (A_ij − Σ L_ik L_jk) / L_jj for i > j, with k from `first` to
 * j − 1 (the terms k < first already subtracted, as the blocked factorisation does; first = 0, end = n
 * is the whole textbook factorisation). Returns the first pivot that is not positive (A is not positive
 * definite), else null.
 */
export function choleskyColumns(a: Float64Array, n: number, first: number, end: number): number | null {
  for (let j = first; j < end; j++) {
    const rj = j * n;
    let d = a[rj + j] ?? 0;
    for (let k = first; k < j; k++) d -= (a[rj + k] ?? 0) * (a[rj + k] ?? 0);
    if (!(d > 0)) return j;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j] ?? 0;
      for (let k = first; k < j; k++) s -= (a[ri + k] ?? 0) * (a[rj + k] ?? 0);
      a[ri + j] = s / ljj;
    }
  }
  return null;
}

/**
 * N = L⁻ᵀ (upper triangular, zeros below), from L (lower, zeros above): row j of N is column j of
 * L⁻¹, N_ji = −(Σ_{j ≤ k < i} L_ik N_jk) / L_ii and N_jj = 1 / L_jj. A row of N depends only on its
 * own earlier entries, so four rows go together; the zeros let every tile sum over the same k range.
 */
function inverseTransposed(l: Float64Array, n: number, progress: PhaseProgress): Float64Array {
  const upper = new Float64Array(n * n);
  const tile = new Float64Array(T * T);
  forLowerTiles(n, progress, (i0, ib, j0, jb) => {
    dots(l, i0, ib, upper, j0, jb, n, j0, i0, tile);
    for (let r = 0; r < ib; r++) {
      const i = i0 + r;
      const ri = i * n;
      const lii = l[ri + i] ?? 1;
      for (let c = 0; c < jb; c++) {
        const j = j0 + c;
        if (i < j) continue;
        const rj = j * n;
        if (i === j) {
          upper[rj + j] = 1 / lii;
          continue;
        }
        let s = tile[r * T + c] ?? 0;
        for (let k = i0; k < i; k++) s += (l[ri + k] ?? 0) * (upper[rj + k] ?? 0);
        upper[rj + i] = -s / lii;
      }
    }
  });
  return upper;
}

/** out = N·Nᵀ for upper-triangular N (zeros below): (N Nᵀ)_ij = Σ_{k ≥ max(i, j)} N_ik N_jk, both halves. */
function gram(upper: Float64Array, n: number, out: Float64Array, progress: PhaseProgress): void {
  const tile = new Float64Array(T * T);
  forLowerTiles(n, progress, (i0, ib, j0, jb) => {
    dots(upper, i0, ib, upper, j0, jb, n, i0, n, tile);
    for (let r = 0; r < ib; r++) {
      for (let c = 0; c < jb; c++) {
        const i = i0 + r;
        const j = j0 + c;
        if (j > i) continue;
        const v = tile[r * T + c] ?? 0;
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
    }
  });
}

/**
 * Visits the tiles on and below the diagonal (rows i0 ≥ j0) a block column j0 at a time, left to
 * right, each block column's work (~3·T·(n − j0)² multiply-adds) reported as it starts.
 */
function forLowerTiles(
  n: number,
  progress: PhaseProgress,
  visit: (i0: number, ib: number, j0: number, jb: number) => void,
): void {
  let work = 0;
  for (let j0 = 0; j0 < n; j0 += T) {
    work += 3 * T * (n - j0) ** 2;
    if (j0 % 64 === 0) progress(work);
    const jb = Math.min(T, n - j0);
    for (let i0 = j0; i0 < n; i0 += T) visit(i0, Math.min(T, n - i0), j0, jb);
  }
}
