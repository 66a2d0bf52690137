/** Small dense linear algebra for the embedding step; matrices are column-major Float64Arrays. */

/** Seeded PRNG (mulberry32) so training is repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Orthonormalizes the k columns of an n × k matrix in place (modified Gram-Schmidt; a second pass
 * restores orthogonality lost to rounding). A column that collapses to zero is left as zero.
 * Each sweep over a column subtracts one earlier column and, in the same loop, sums the dot product
 * with the next one (or the squared norm after the last): the same operations in the same order as
 * a dot pass and a subtract pass, so the same bits, in half the sweeps over n (at 200,000 items and
 * k = 42 these sweeps are most of the embeddings' time).
 */
export function orthonormalize(m: Float64Array, n: number, k: number, passes = 2): void {
  for (let pass = 0; pass < passes; pass++) {
    for (let c = 0; c < k; c++) {
      const col = m.subarray(c * n, (c + 1) * n);
      // What the next sweep subtracts against: column 0's dot, or the norm when there is none.
      let sum = 0;
      if (c === 0) for (let i = 0; i < n; i++) sum += (col[i] ?? 0) ** 2;
      else {
        const first = m.subarray(0, n);
        for (let i = 0; i < n; i++) sum += (col[i] ?? 0) * (first[i] ?? 0);
      }
      for (let p = 0; p < c; p++) {
        const prev = m.subarray(p * n, (p + 1) * n);
        const dot = sum;
        sum = 0;
        if (p + 1 < c) {
          const next = m.subarray((p + 1) * n, (p + 2) * n);
          for (let i = 0; i < n; i++) {
            const v = (col[i] ?? 0) - dot * (prev[i] ?? 0);
            col[i] = v;
            sum += v * (next[i] ?? 0);
          }
        } else {
          for (let i = 0; i < n; i++) {
            const v = (col[i] ?? 0) - dot * (prev[i] ?? 0);
            col[i] = v;
            sum += v ** 2;
          }
        }
      }
      const norm = Math.sqrt(sum);
      if (norm < 1e-12) col.fill(0);
      else for (let i = 0; i < n; i++) col[i] = (col[i] ?? 0) / norm;
    }
  }
}

/**
 * Eigen-decomposition of a small symmetric k × k matrix by cyclic Jacobi rotations.
 * Returns eigenvalues and the eigenvectors as columns (column-major), unsorted.
 */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  const at = (r: number, c: number) => m[c * k + r] ?? 0;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += at(p, q) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = at(p, q);
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = at(r, p);
          const arq = at(r, q);
          m[p * k + r] = c * arp - s * arq;
          m[q * k + r] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = at(p, r);
          const aqr = at(q, r);
          m[r * k + p] = c * apr - s * aqr;
          m[r * k + q] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[p * k + r] ?? 0;
          const vrq = v[q * k + r] ?? 0;
          v[p * k + r] = c * vrp - s * vrq;
          v[q * k + r] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = at(i, i);
  return { values, vectors: v };
}
