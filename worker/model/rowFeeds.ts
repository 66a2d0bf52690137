import { GraphInput, OptionalGraphInput } from "../../models/contract.js";
import { neighbourAt, type RowTables } from "../../models/tablesBlob.js";
// ORT itself, not ../ort/ortRuntime.js: the runtime's warm-up builds its feeds here too.
import * as ort from "onnxruntime-web/wasm";

export interface RowRequest {
  basket: readonly number[];
  weights: readonly number[];
  topK: number;
  compare: readonly number[];
  /** For each `compare` item, the basket position it is measured against. */
  compareAnchors: readonly number[];
}

export interface RowFeeds {
  feeds: Record<string, ort.Tensor>;
  /** Catalog index of each local candidate number the graph answers with. */
  candidates: Int32Array;
}

const tensor = {
  int64: (data: BigInt64Array, dims: number[]) => new ort.Tensor("int64", data, dims),
  float32: (data: Float32Array, dims: number[]) => new ort.Tensor("float32", data, dims),
  int8: (data: Int8Array, dims: number[]) => new ort.Tensor("int8", data, dims),
  int16: (data: Int16Array, dims: number[]) => new ort.Tensor("int16", data, dims),
};

/** Rows `items` of a [N × width] column, back to back, and their row scales as [R, 1]. */
function gatherRows<T extends Int8Array | Int16Array>(
  column: T,
  scales: Float32Array,
  width: number,
  items: readonly number[],
  make: (length: number) => T,
): { rows: T; scales: Float32Array } {
  const rows = make(items.length * width);
  const rowScales = new Float32Array(items.length);
  items.forEach((item, r) => {
    rows.set(column.subarray(item * width, (item + 1) * width), r * width);
    rowScales[r] = scales[item] ?? 0;
  });
  return { rows, scales: rowScales };
}

/**
 * The graph's inputs for one request (contract v2): the basket's neighbour rows with their slots
 * numbered as local candidates. ORT's web build has no Unique, so the distinct candidates are
 * numbered here with a Map, in order of first appearance (the order the graph's TopK breaks ties in,
 * as the previous graph's first-occurrence order did). Slots naming a basket item (which includes
 * unused slots: they hold the row's own item) go to the sink U and never score.
 */
export function rowFeeds(tables: RowTables, request: RowRequest, withCandidateEmbeddings: boolean): RowFeeds {
  const { basket, weights, topK, compare, compareAnchors } = request;
  const { neighbours: K, dimension: d, neighbourLow, neighbourHigh } = tables;
  const B = basket.length;
  const inBasket = new Set(basket);
  const local = new Map<number, number>();
  const candidates: number[] = [];
  const slots = new BigInt64Array(B * K);
  const SINK = -1n;
  basket.forEach((item, r) => {
    for (let k = 0; k < K; k++) {
      const j = neighbourAt(neighbourLow, neighbourHigh, item * K + k);
      if (inBasket.has(j)) {
        slots[r * K + k] = SINK;
        continue;
      }
      let n = local.get(j);
      if (n === undefined) {
        n = candidates.length;
        local.set(j, n);
        candidates.push(j);
      }
      slots[r * K + k] = BigInt(n);
    }
  });
  const U = BigInt(candidates.length);
  for (let s = 0; s < slots.length; s++) if (slots[s] === SINK) slots[s] = U;

  const int8 = (n: number) => new Int8Array(n);
  const model = gatherRows(tables.neighbourWeights, tables.neighbourScales, K, basket, int8);
  const confidence = gatherRows(tables.confidenceWeights, tables.confidenceScales, K, basket, (n) => new Int16Array(n));
  const basketVectors = gatherRows(tables.embeddings, tables.embeddingScales, d, basket, int8);
  const compared = gatherRows(tables.embeddings, tables.embeddingScales, d, compare, int8);
  const C = compare.length;
  const feeds: Record<string, ort.Tensor> = {
    [GraphInput.basketWeights]: tensor.float32(Float32Array.from(weights), [B]),
    [GraphInput.slotCandidates]: tensor.int64(slots, [B, K]),
    [GraphInput.candidateCount]: tensor.int64(BigInt64Array.of(U), [1]),
    [GraphInput.slotWeights]: tensor.int8(model.rows, [B, K]),
    [GraphInput.slotWeightScales]: tensor.float32(model.scales, [B, 1]),
    [GraphInput.slotConfidences]: tensor.int16(confidence.rows, [B, K]),
    [GraphInput.slotConfidenceScales]: tensor.float32(confidence.scales, [B, 1]),
    [GraphInput.basketEmbeddings]: tensor.int8(basketVectors.rows, [B, d]),
    [GraphInput.basketEmbeddingScales]: tensor.float32(basketVectors.scales, [B, 1]),
    [GraphInput.topK]: tensor.int64(BigInt64Array.of(BigInt(topK)), [1]),
    [GraphInput.compareEmbeddings]: tensor.int8(compared.rows, [C, d]),
    [GraphInput.compareEmbeddingScales]: tensor.float32(compared.scales, [C, 1]),
    [GraphInput.compareAnchors]: tensor.int64(BigInt64Array.from(compareAnchors, BigInt), [C]),
  };
  if (withCandidateEmbeddings) {
    const vectors = gatherRows(tables.embeddings, tables.embeddingScales, d, candidates, int8);
    feeds[OptionalGraphInput.candidateEmbeddings] = tensor.int8(vectors.rows, [candidates.length, d]);
    feeds[OptionalGraphInput.candidateEmbeddingScales] = tensor.float32(vectors.scales, [candidates.length, 1]);
  }
  return { feeds, candidates: Int32Array.from(candidates) };
}
