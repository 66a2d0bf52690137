import type { RowTables } from "../../models/tablesBlob.js";

/**
 * Made-up tables for ORT's warm-up run: the served graph's usual row shape (K = d = 32), 33 items so
 * each row's 32 slots name distinct other items. Only their shape matters, not their values.
 */
export function warmupRows(): RowTables {
  const N = 33;
  const K = 32;
  const d = 32;
  return {
    itemCount: N,
    neighbours: K,
    dimension: d,
    neighbourLow: Uint16Array.from({ length: N * K }, (_, at) => (Math.floor(at / K) + 1 + (at % K)) % N),
    neighbourHigh: null,
    neighbourWeights: new Int8Array(N * K).fill(64),
    neighbourScales: new Float32Array(N).fill(1 / 127),
    confidenceWeights: new Int16Array(N * K).fill(16384),
    confidenceScales: new Float32Array(N).fill(1 / 32767),
    embeddings: Int8Array.from({ length: N * d }, (_, at) => ((at * 37) % 255) - 127),
    embeddingScales: new Float32Array(N).fill(1 / (127 * Math.sqrt(d))),
  };
}
