import { GraphInput, OptionalGraphInput } from "../../models/contract.js";
import { neighbourAt, type QuantizedRows, type RowTables } from "../../models/tablesBlob.js";
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

/** The row columns of one store of items (the whole tables, or one page), and how to read a slot's neighbour. */
export interface RowColumns extends QuantizedRows {
  /** The catalog index in slot `slot` (row · K + k) of these columns. */
  neighbourItem(slot: number): number;
}

/** Where the graph's rows come from: the whole tables, or a paged model's pages. */
export interface RowSource {
  readonly neighbours: number;
  readonly dimension: number;
  /** The columns holding `item`'s rows and its row number in them; null while its page is not read (the source records it). */
  rowsOf(item: number): { columns: RowColumns; row: number } | null;
}

/** Whole tables as a row source (the warm-up's made-up rows, the graph tests and probes; the worker reads pages). */
export function tableRows(tables: RowTables): RowSource {
  const columns: RowColumns = {
    ...tables,
    neighbourItem: (slot) => neighbourAt(tables.neighbourLow, tables.neighbourHigh, slot),
  };
  return { neighbours: tables.neighbours, dimension: tables.dimension, rowsOf: (item) => ({ columns, row: item }) };
}

type Located = { columns: RowColumns; row: number };

/** Every item's rows, or null when any is missing (each missing one is asked for, so one read brings them all). */
function locateAll(source: RowSource, items: readonly number[]): Located[] | null {
  const found: Located[] = [];
  let complete = true;
  for (const item of items) {
    const at = source.rowsOf(item);
    if (at === null) complete = false;
    else found.push(at);
  }
  return complete ? found : null;
}

/** Rows of a [rows × width] column per located item, back to back, and their row scales as [R, 1]. */
function gatherRows<T extends Int8Array | Int16Array>(
  located: readonly Located[],
  pick: (columns: RowColumns) => { column: T; scales: Float32Array },
  width: number,
  make: (length: number) => T,
): { rows: T; scales: Float32Array } {
  const rows = make(located.length * width);
  const rowScales = new Float32Array(located.length);
  // Rows of one page share their columns: picked once per run of them, not once a row.
  let columns: RowColumns | null = null;
  let picked: { column: T; scales: Float32Array } | null = null;
  for (let r = 0; r < located.length; r++) {
    const found = located[r];
    if (found === undefined) continue;
    if (found.columns !== columns || picked === null) {
      columns = found.columns;
      picked = pick(columns);
    }
    const { column, scales } = picked;
    rows.set(column.subarray(found.row * width, (found.row + 1) * width), r * width);
    rowScales[r] = scales[found.row] ?? 0;
  }
  return { rows, scales: rowScales };
}

/**
 * An int64 input of 32-bit integers, written as 32-bit halves (little-endian, as ORT's wasm reads it):
 * a BigInt per element allocates, and stores into a BigInt64Array are not compiled inline.
 */
function int64Of(length: number, value: (i: number) => number): BigInt64Array {
  const out = new BigInt64Array(length);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < length; i++) {
    const v = value(i);
    words[2 * i] = v;
    words[2 * i + 1] = v < 0 ? -1 : 0;
  }
  return out;
}

/**
 * Inputs whose value recurs from request to request (top_k, a candidate count, a one-item basket's
 * weight, an empty compare block), made once: ORT copies every input into its own memory for a run
 * and never writes one, and making a tensor checks its type and shape each time.
 */
const recurring = new Map<string, ort.Tensor>();
function once(key: string, make: () => ort.Tensor): ort.Tensor {
  let found = recurring.get(key);
  if (found === undefined) recurring.set(key, (found = make()));
  return found;
}
const scalars: ort.Tensor[] = [];
const int64Scalar = (n: number): ort.Tensor =>
  tensor.int64(
    int64Of(1, () => n),
    [1],
  );
/** An int64 [1] input (top_k, a candidate count), made once per small value. */
const scalarInt64 = (n: number): ort.Tensor => (n >= 0 && n < 4096 ? (scalars[n] ??= int64Scalar(n)) : int64Scalar(n));

const weightsOf = (c: RowColumns) => ({ column: c.neighbourWeights, scales: c.neighbourScales });
const confidencesOf = (c: RowColumns) => ({ column: c.confidenceWeights, scales: c.confidenceScales });
const embeddingsOf = (c: RowColumns) => ({ column: c.embeddings, scales: c.embeddingScales });

/**
 * The graph's inputs for one request (contract v2): the basket's neighbour rows with their slots
 * numbered as local candidates. ORT's web build has no Unique, so the distinct candidates are
 * numbered here with a Map, in order of first appearance (the order the graph's TopK breaks ties in,
 * as the previous graph's first-occurrence order did). Slots naming a basket item (which includes
 * unused slots: they hold the row's own item) go to the sink U and never score. Null while a row it
 * needs is not loaded: the basket's first, then the compared items' and candidates' (their pages are
 * known only once the basket's rows are read).
 */
export function rowFeeds(source: RowSource, request: RowRequest, withCandidateEmbeddings: boolean): RowFeeds | null {
  const { basket, weights, topK, compare, compareAnchors } = request;
  const { neighbours: K, dimension: d } = source;
  const B = basket.length;
  const basketRows = locateAll(source, basket);
  if (basketRows === null) return null;
  const inBasket = B === 1 ? null : new Set(basket);
  const isBasketItem = (item: number) => (inBasket === null ? item === basket[0] : inBasket.has(item));
  const local = new Map<number, number>();
  const candidates: number[] = [];
  // Written as the low halves of the int64 slots (numbers are never negative: the high halves stay 0);
  // -1 marks the sink, whose number U is known only at the end.
  const slots = new BigInt64Array(B * K);
  const numbers = new Int32Array(slots.buffer);
  basketRows.forEach(({ columns, row }, r) => {
    for (let k = 0; k < K; k++) {
      const j = columns.neighbourItem(row * K + k);
      if (isBasketItem(j)) {
        numbers[2 * (r * K + k)] = -1;
        continue;
      }
      let n = local.get(j);
      if (n === undefined) {
        n = candidates.length;
        local.set(j, n);
        candidates.push(j);
      }
      numbers[2 * (r * K + k)] = n;
    }
  });
  const U = candidates.length;
  for (let s = 0; s < B * K; s++) if (numbers[2 * s] === -1) numbers[2 * s] = U;
  const compareRows = locateAll(source, compare);
  const candidateRows = withCandidateEmbeddings ? locateAll(source, candidates) : [];
  if (compareRows === null || candidateRows === null) return null;

  const int8 = (n: number) => new Int8Array(n);
  const model = gatherRows(basketRows, weightsOf, K, int8);
  const confidence = gatherRows(basketRows, confidencesOf, K, (n) => new Int16Array(n));
  const basketVectors = gatherRows(basketRows, embeddingsOf, d, int8);
  const compared = gatherRows(compareRows, embeddingsOf, d, int8);
  const C = compare.length;
  const feeds: Record<string, ort.Tensor> = {
    [GraphInput.basketWeights]:
      B === 1 && weights[0] === 1
        ? once("one weight", () => tensor.float32(Float32Array.of(1), [1]))
        : tensor.float32(Float32Array.from(weights), [B]),
    [GraphInput.slotCandidates]: tensor.int64(slots, [B, K]),
    [GraphInput.candidateCount]: scalarInt64(U),
    [GraphInput.slotWeights]: tensor.int8(model.rows, [B, K]),
    [GraphInput.slotWeightScales]: tensor.float32(model.scales, [B, 1]),
    [GraphInput.slotConfidences]: tensor.int16(confidence.rows, [B, K]),
    [GraphInput.slotConfidenceScales]: tensor.float32(confidence.scales, [B, 1]),
    [GraphInput.basketEmbeddings]: tensor.int8(basketVectors.rows, [B, d]),
    [GraphInput.basketEmbeddingScales]: tensor.float32(basketVectors.scales, [B, 1]),
    [GraphInput.topK]: scalarInt64(topK),
  };
  if (C === 0) {
    feeds[GraphInput.compareEmbeddings] = once(`no compare ${d}`, () => tensor.int8(new Int8Array(0), [0, d]));
    feeds[GraphInput.compareEmbeddingScales] = once("no compare scales", () =>
      tensor.float32(new Float32Array(0), [0, 1]),
    );
    feeds[GraphInput.compareAnchors] = once("no compare anchors", () => tensor.int64(new BigInt64Array(0), [0]));
  } else {
    feeds[GraphInput.compareEmbeddings] = tensor.int8(compared.rows, [C, d]);
    feeds[GraphInput.compareEmbeddingScales] = tensor.float32(compared.scales, [C, 1]);
    const anchors = int64Of(C, (c) => compareAnchors[c] ?? 0);
    feeds[GraphInput.compareAnchors] = tensor.int64(anchors, [C]);
  }
  if (withCandidateEmbeddings) {
    const vectors = gatherRows(candidateRows, embeddingsOf, d, int8);
    feeds[OptionalGraphInput.candidateEmbeddings] = tensor.int8(vectors.rows, [candidates.length, d]);
    feeds[OptionalGraphInput.candidateEmbeddingScales] = tensor.float32(vectors.scales, [candidates.length, 1]);
  }
  return { feeds, candidates: Int32Array.from(candidates) };
}
