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
  /** [N × K] int16 confidence P(c | b) of every slot, dequantized with the row's scale. */
  confidenceWeights: Int16Array;
  /** [N] one scale per row of confidenceWeights. */
  confidenceScales: Float32Array;
  /** α of the confidence term's weight γ(B) = α / B^p: large for one anchor, fading for baskets. */
  confidenceBlend: number;
  /** p of γ(B) = α / B^p. */
  blendPower: number;
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

/** γ(B) = α / B^p, the confidence term's weight for a basket of B items (computed in float32, as the graph does). */
export function blendWeight(tables: ScoringTables, basketSize: number): number {
  return Math.fround(tables.confidenceBlend / Math.fround(Math.pow(basketSize, tables.blendPower)));
}

/**
 * The co-purchase part of the score, once for every scorer (the ONNX reference, the eval's served
 * scorer, the Workers tests' exhaustive reference): for each basket item b and each of its K slots,
 * add(c, w_b · (W(b, c) + γ(B) · C(b, c))). Unused slots point at b itself with weight 0; a candidate
 * in several rows gets several adds. The caller drops the basket's own items.
 */
export function addCoPurchase(
  tables: ScoringTables,
  basket: readonly number[],
  weights: readonly number[],
  add: (candidate: number, value: number) => void,
): void {
  const K = tables.neighbours;
  const gamma = blendWeight(tables, basket.length);
  basket.forEach((b, i) => {
    const w = weights[i] ?? 1;
    const scale = tables.neighbourScales[b] ?? 0;
    const confScale = tables.confidenceScales[b] ?? 0;
    for (let k = 0; k < K; k++) {
      const q = (tables.neighbourWeights[b * K + k] ?? 0) * scale;
      const conf = (tables.confidenceWeights[b * K + k] ?? 0) * confScale;
      add(tables.neighbourItems[b * K + k] ?? b, w * (q + gamma * conf));
    }
  });
}

/** query = Σ_b w_b · e_b, in float64. */
export function basketQuery(
  tables: ScoringTables,
  basket: readonly number[],
  weights: readonly number[],
): Float64Array {
  const d = tables.dimension;
  const query = new Float64Array(d);
  basket.forEach((b, i) => {
    const w = weights[i] ?? 1;
    const scale = tables.embeddingScales[b] ?? 0;
    for (let j = 0; j < d; j++) query[j] = (query[j] ?? 0) + w * (tables.embeddings[b * d + j] ?? 0) * scale;
  });
  return query;
}

/** ⟨query, e_c⟩: how close an item is to the basket in embedding space. */
export function referenceSimilarity(tables: ScoringTables, query: Float64Array, item: number): number {
  const d = tables.dimension;
  const scale = tables.embeddingScales[item] ?? 0;
  let dot = 0;
  for (let j = 0; j < d; j++) dot += (query[j] ?? 0) * (tables.embeddings[item * d + j] ?? 0) * scale;
  return dot;
}

/** The graph's candidate_similarity output, in plain TypeScript: each candidate against its own anchor. */
export function referenceCandidateSimilarity(
  tables: ScoringTables,
  basket: readonly number[],
  candidates: readonly number[],
  anchors: readonly number[],
): Float64Array {
  return Float64Array.from(candidates, (c, i) => {
    const anchor = basket[anchors[i] ?? 0] ?? 0;
    return referenceSimilarity(tables, basketQuery(tables, [anchor], [1]), c);
  });
}

/**
 * score(c) = Σ_b w_b · W(b, c) + γ(B) · Σ_b w_b · C(b, c) + embeddingWeight · ⟨Σ_b w_b · e_b, e_c⟩,
 * γ(B) = confidenceBlend / B^blendPower (W: the model's weights, C: confidence, B: basket size)
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
  const scored = referenceScoreAll(tables, basket, weights);
  scored.sort((a, b) => b.score - a.score || a.c - b.c);
  const top = scored.slice(0, topK);
  return { items: Int32Array.from(top, (t) => t.c), scores: Float32Array.from(top, (t) => t.score) };
}

/**
 * The graph's score for every item in the neighbour lists of the basket (basket items excluded),
 * unsorted. Items outside those lists have no co-purchase score and are not candidates.
 */
export function referenceScoreAll(
  tables: ScoringTables,
  basket: readonly number[],
  weights: readonly number[],
): { c: number; score: number }[] {
  const coScore = new Map<number, number>();
  addCoPurchase(tables, basket, weights, (c, value) => coScore.set(c, (coScore.get(c) ?? 0) + value));
  const query = basketQuery(tables, basket, weights);
  const inBasket = new Set(basket);
  return [...coScore]
    .filter(([c]) => !inBasket.has(c))
    .map(([c, co]) => ({ c, score: co + tables.embeddingWeight * referenceSimilarity(tables, query, c) }));
}
