/**
 * The numbers inside a sidecart ONNX model, and a plain-TypeScript scorer with the graph's exact
 * semantics. The reference is what the ONNX graph is tested against, and what the evaluation can
 * run without ORT; the worker serves through ORT so that any model honouring the contract works.
 */
export interface ScoringTables {
  itemCount: number;
  /** K: neighbour slots per item; unused slots point at the item itself with weight 0. */
  neighbours: number;
  /** d: embedding dimension. */
  dimension: number;
  /** [N × K] catalog indices of each item's strongest co-purchase neighbours. */
  neighbourItems: Int32Array;
  /** [N × K] int8 co-purchase weights, dequantized with the row's scale. */
  neighbourWeights: Int8Array;
  /** [N] one scale per row of neighbourWeights. */
  neighbourScales: Float32Array;
  /** [N × d] int8 unit-length item embeddings, dequantized with the row's scale. */
  embeddings: Int8Array;
  /** [N] one scale per embedding row. */
  embeddingScales: Float32Array;
  /** How much embedding similarity adds to the co-purchase score of a candidate. */
  embeddingWeight: number;
}

export interface ScoredItems {
  items: Int32Array;
  scores: Float32Array;
}

/**
 * score(c) = Σ_b w_b · neighbourWeight(b, c) + embeddingWeight · ⟨Σ_b w_b · e_b, e_c⟩
 * over the candidates c found in the basket items' neighbour lists, basket items excluded; the best
 * topK, ties by index. (The graph pads its output with -Infinity scores where it has fewer
 * candidates than topK; this reference returns only real candidates.)
 */
export function referenceScore(
  tables: ScoringTables,
  basket: readonly number[],
  weights: readonly number[],
  topK: number,
): ScoredItems {
  const { neighbours: K, dimension: d } = tables;
  const coScore = new Map<number, number>();
  const query = new Float64Array(d);
  basket.forEach((b, i) => {
    const w = weights[i] ?? 1;
    const scale = tables.neighbourScales[b] ?? 0;
    for (let k = 0; k < K; k++) {
      const c = tables.neighbourItems[b * K + k] ?? b;
      const q = tables.neighbourWeights[b * K + k] ?? 0;
      coScore.set(c, (coScore.get(c) ?? 0) + w * q * scale);
    }
    const eScale = tables.embeddingScales[b] ?? 0;
    for (let j = 0; j < d; j++) query[j] = (query[j] ?? 0) + w * (tables.embeddings[b * d + j] ?? 0) * eScale;
  });
  const inBasket = new Set(basket);
  const scored = [...coScore]
    .filter(([c]) => !inBasket.has(c))
    .map(([c, co]) => {
      const eScale = tables.embeddingScales[c] ?? 0;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += (query[j] ?? 0) * (tables.embeddings[c * d + j] ?? 0) * eScale;
      return { c, score: co + tables.embeddingWeight * dot };
    });
  scored.sort((a, b) => b.score - a.score || a.c - b.c);
  const top = scored.slice(0, topK);
  return { items: Int32Array.from(top, (t) => t.c), scores: Float32Array.from(top, (t) => t.score) };
}
