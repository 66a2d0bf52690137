import onnxProto from "onnx-proto";
import {
  GraphInput,
  GraphOutput,
  MODEL_DATA_LOCATION,
  ModelMetadata,
  ONNX_IR_VERSION,
  ONNX_OPSET,
} from "../../models/contract.js";
import type { ScoringTables } from "../../models/scoringTables.js";

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
type DataType = (typeof DT)[keyof typeof DT];

/** Small constants stay inside the graph; the tables go to the external data file. */
const EXTERNAL_MIN_BYTES = 1024;
/** Offsets in the data file are aligned so every table can be viewed in place. */
const EXTERNAL_ALIGN = 64;

/**
 * The graph's initializers, the large ones as ONNX external data. ORT (web) copies external data
 * straight into the tensors it allocates, so its wasm memory holds each table once; an embedded table
 * is held three times while the session is created (the model bytes, the parsed proto, the tensor),
 * and wasm memory never shrinks (bench:serve: 48.3 → 23.1 MiB at 50k items).
 */
class Initializers {
  readonly tensors: onnxProto.onnx.ITensorProto[] = [];
  private readonly parts: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly externalMinBytes: number) {}

  add(name: string, dataType: DataType, dims: number[], raw: ArrayBufferView): void {
    const data = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    if (data.byteLength < this.externalMinBytes) {
      this.tensors.push({ name, dataType, dims, rawData: data });
      return;
    }
    const padding = (EXTERNAL_ALIGN - (this.bytes % EXTERNAL_ALIGN)) % EXTERNAL_ALIGN;
    if (padding > 0) this.parts.push(new Uint8Array(padding));
    const offset = this.bytes + padding;
    this.parts.push(data);
    this.bytes = offset + data.byteLength;
    this.tensors.push({
      name,
      dataType,
      dims,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: "location", value: MODEL_DATA_LOCATION },
        { key: "offset", value: String(offset) },
        { key: "length", value: String(data.byteLength) },
      ],
    });
  }

  /** The external data file: every large table at its recorded offset. */
  data(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.bytes);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}

function valueInfo(name: string, elemType: DataType, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

type Attribute = { name: string } & (
  | { i: number }
  | { ints: number[] }
  | { s: string }
  | { t: onnxProto.onnx.ITensorProto }
  | { g: onnxProto.onnx.IGraphProto }
);

function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Attribute[] = [],
): onnxProto.onnx.INodeProto {
  const { AttributeType } = onnx.AttributeProto;
  return {
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0] ?? opType,
    attribute: attributes.map((a) => {
      if ("i" in a) return { name: a.name, type: AttributeType.INT, i: a.i };
      if ("ints" in a) return { name: a.name, type: AttributeType.INTS, ints: a.ints };
      if ("s" in a) return { name: a.name, type: AttributeType.STRING, s: new TextEncoder().encode(a.s) };
      if ("g" in a) return { name: a.name, type: AttributeType.GRAPH, g: a.g };
      return { name: a.name, type: AttributeType.TENSOR, t: a.t };
    }),
  };
}

const axis = (i: number): Attribute => ({ name: "axis", i });

/**
 * Rows `indices` of a per-row quantized table, as float: x · scale, the arithmetic of DequantizeLinear
 * with no zero point. The scales are stored as a column [N, 1], so the gathered scales broadcast.
 */
function dequantizedRows(table: string, scales: string, indices: string, output: string): onnxProto.onnx.INodeProto[] {
  const name = `${output}_${table}`;
  return [
    node("Gather", [table, indices], [`${name}_codes`], [axis(0)]),
    node("Cast", [`${name}_codes`], [`${name}_float`], [{ name: "to", i: DT.FLOAT }]),
    node("Gather", [scales, indices], [`${name}_scales`], [axis(0)]),
    node("Mul", [`${name}_float`, `${name}_scales`], [output]),
  ];
}

/** Catalogs up to this size keep neighbour indices in 16 bits; larger ones add an 8-bit high part. */
const ITEMS_IN_16_BITS = 0x10000;

/**
 * The neighbour lists of rows `indices`, as int32 item indices. Stored as uint16 (plus uint8 high bits
 * above 65,536 items) rather than int32: 2–3 bytes a slot instead of 4 in ORT's wasm memory, where
 * the tables are most of what the isolate holds (bench:serve, 200k items).
 */
function neighbourRows(indices: string, output: string, wide: boolean): onnxProto.onnx.INodeProto[] {
  const low = [
    node("Gather", ["neighbour_items_lo", indices], [`${output}_lo`], [axis(0)]),
    node("Cast", [`${output}_lo`], [wide ? `${output}_lo32` : output], [{ name: "to", i: DT.INT32 }]),
  ];
  if (!wide) return low;
  return [
    ...low,
    node("Gather", ["neighbour_items_hi", indices], [`${output}_hi`], [axis(0)]),
    node("Cast", [`${output}_hi`], [`${output}_hi32`], [{ name: "to", i: DT.INT32 }]),
    node("Mul", [`${output}_hi32`, "low_bits"], [`${output}_high`]),
    node("Add", [`${output}_high`, `${output}_lo32`], [output]),
  ];
}

/** TopK over `scores` (at most top_k of `count` entries), and the candidates at those positions. */
function topCandidates(scores: string, candidates: string, count: string, prefix: string): onnxProto.onnx.INodeProto[] {
  return [
    node("Min", [GraphInput.topK, count], [`${prefix}_k`]),
    node(
      "TopK",
      [scores, `${prefix}_k`],
      [`${prefix}_top_scores`, `${prefix}_top_positions`],
      [axis(0), { name: "largest", i: 1 }, { name: "sorted", i: 1 }],
    ),
    node("Gather", [candidates, `${prefix}_top_positions`], [`${prefix}_top_items`], [axis(0)]),
  ];
}

/** A branch of an If node: its nodes, and the two outputs it hands back as top_scores / top_items. */
function branch(name: string, nodes: onnxProto.onnx.INodeProto[], prefix: string): onnxProto.onnx.IGraphProto {
  return {
    name,
    node: nodes,
    output: [valueInfo(`${prefix}_top_scores`, DT.FLOAT, ["top"]), valueInfo(`${prefix}_top_items`, DT.INT32, ["top"])],
  };
}

/**
 * Whether every item's neighbour list names each other item at most once (unused slots repeat the
 * item itself, which is always dropped). Then a single anchor's candidates need no de-duplication,
 * and the graph can answer one-item baskets on a short path with the very same arithmetic.
 */
export function neighbourListsDistinct(tables: ScoringTables): boolean {
  const { itemCount: N, neighbours: K, neighbourItems } = tables;
  const seen = new Set<number>();
  for (let i = 0; i < N; i++) {
    seen.clear();
    for (let k = i * K; k < (i + 1) * K; k++) {
      const j = neighbourItems[k] ?? i;
      if (j === i) continue;
      if (seen.has(j)) return false;
      seen.add(j);
    }
  }
  return true;
}

export interface GraphMetadata {
  version: string;
  trainingWindow: { from: string; to: string };
}

/** The ONNX model and its external data file (MODEL_DATA_LOCATION), published as two blobs. */
export interface ScoringModel {
  model: Uint8Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

/**
 * The scoring graph: gather the basket's neighbour lists (the candidate set), add up their
 * co-purchase weights per distinct candidate, add embedding similarity to the basket, drop basket
 * items, TopK. Work per request depends on the basket (B·K candidates), not on the catalog size; the
 * quantized tables stay quantized, only the touched rows are scaled to float.
 *
 * Per request ORT's cost is mostly per node (bench:serve), so the graph is cut to what the tables
 * need: one-item baskets (also-bought, bundle, upgrades: most traffic) take a short branch with no
 * de-duplication when the lists allow it, and the similarity term is left out of the score when its
 * weight is 0. Both are the same arithmetic in the same order, so the scores are bit-identical.
 */
export function buildScoringModel(
  tables: ScoringTables,
  meta: GraphMetadata,
  /** Every table inside the model (no data file): the worker's small warm-up model (scripts/warmupModel.ts). */
  options: { inline?: boolean } = {},
): ScoringModel {
  const { itemCount: N, neighbours: K, dimension: d } = tables;
  const init = new Initializers(options.inline === true ? Number.POSITIVE_INFINITY : EXTERNAL_MIN_BYTES);
  const wideItems = N > ITEMS_IN_16_BITS;
  init.add(
    "neighbour_items_lo",
    DT.UINT16,
    [N, K],
    Uint16Array.from(tables.neighbourItems, (j) => j & 0xffff),
  );
  if (wideItems)
    init.add(
      "neighbour_items_hi",
      DT.UINT8,
      [N, K],
      Uint8Array.from(tables.neighbourItems, (j) => j >>> 16),
    );
  init.add("low_bits", DT.INT32, [], new Int32Array([0x10000]));
  init.add("neighbour_weights_q", DT.INT8, [N, K], tables.neighbourWeights);
  init.add("neighbour_scales", DT.FLOAT, [N, 1], tables.neighbourScales);
  init.add("confidence_q", DT.INT16, [N, K], tables.confidenceWeights);
  init.add("confidence_scales", DT.FLOAT, [N, 1], tables.confidenceScales);
  init.add("confidence_blend", DT.FLOAT, [], new Float32Array([tables.confidenceBlend]));
  init.add("blend_power", DT.FLOAT, [], new Float32Array([tables.blendPower]));
  init.add("embeddings_q", DT.INT8, [N, d], tables.embeddings);
  init.add("embedding_scales", DT.FLOAT, [N, 1], tables.embeddingScales);
  init.add("flat_shape", DT.INT64, [1], new BigInt64Array([-1n]));
  init.add("axis0", DT.INT64, [1], new BigInt64Array([0n]));
  init.add("axis1", DT.INT64, [1], new BigInt64Array([1n]));
  init.add("one_vec", DT.INT64, [1], new BigInt64Array([1n]));
  init.add("slots", DT.INT64, [1], new BigInt64Array([BigInt(K)]));
  init.add("zero_i64", DT.INT64, [], new BigInt64Array([0n]));
  init.add("one_i64", DT.INT64, [], new BigInt64Array([1n]));
  init.add("half", DT.FLOAT, [], new Float32Array([0.5]));
  init.add("minus_infinity", DT.FLOAT, [], new Float32Array([Number.NEGATIVE_INFINITY]));
  const { basketItems, basketWeights, candidateItems, candidateAnchors } = GraphInput;
  const withSimilarity = tables.embeddingWeight !== 0;
  if (withSimilarity) init.add("embedding_weight", DT.FLOAT, [], new Float32Array([tables.embeddingWeight]));

  // Shared by both branches and the caller's candidates: the basket's rows and weights.
  const shared = [
    node("Cast", [basketItems], ["basket_i32"], [{ name: "to", i: DT.INT32 }]),
    node("Unsqueeze", [basketWeights, "axis1"], ["basket_weight_col"]),
    ...dequantizedRows("embeddings_q", "embedding_scales", basketItems, "basket_vectors"),
    ...(withSimilarity
      ? [
          node("Mul", ["basket_vectors", "basket_weight_col"], ["weighted_vectors"]),
          node("ReduceSum", ["weighted_vectors", "axis0"], ["query"], [{ name: "keepdims", i: 0 }]),
        ]
      : []),
  ];
  /** score += embedding_weight · ⟨query, e_c⟩ for the candidates `candidates` (when that weight is not 0). */
  const similarityTerm = (candidates: string, scores: string, prefix: string): onnxProto.onnx.INodeProto[] =>
    withSimilarity
      ? [
          ...dequantizedRows("embeddings_q", "embedding_scales", candidates, `${prefix}_cand_vectors`),
          node("MatMul", [`${prefix}_cand_vectors`, "query"], [`${prefix}_similarity`]),
          node("Mul", [`${prefix}_similarity`, "embedding_weight"], [`${prefix}_weighted_similarity`]),
          node("Add", [scores, `${prefix}_weighted_similarity`], [`${prefix}_raw_scores`]),
        ]
      : [node("Identity", [scores], [`${prefix}_raw_scores`])];

  // Any basket: B·K candidate slots, duplicates summed, basket items dropped.
  const general = [
    ...neighbourRows(basketItems, "cand_rows", wideItems),
    ...dequantizedRows("neighbour_weights_q", "neighbour_scales", basketItems, "model_rows"),
    // Confidence, weighted γ(B) = α / B^p: it carries single-anchor queries and fades for baskets.
    ...dequantizedRows("confidence_q", "confidence_scales", basketItems, "confidence_rows"),
    node("Shape", [basketItems], ["basket_size"]),
    node("Cast", ["basket_size"], ["basket_size_f"], [{ name: "to", i: DT.FLOAT }]),
    node("Pow", ["basket_size_f", "blend_power"], ["basket_size_pow"]),
    node("Div", ["confidence_blend", "basket_size_pow"], ["gamma"]),
    node("Mul", ["confidence_rows", "gamma"], ["blended_confidence"]),
    node("Add", ["model_rows", "blended_confidence"], ["weight_rows"]),
    node("Mul", ["weight_rows", "basket_weight_col"], ["weighted_rows"]),
    node("Reshape", ["cand_rows", "flat_shape"], ["cand_flat"]),
    node("Reshape", ["weighted_rows", "flat_shape"], ["weight_flat"]),
    // Duplicates: same[i, j] = candidate i and j are one item. Its row sum of weights is the item's
    // total; only the first occurrence (argmax of its row) is kept. O((B·K)²) on a few hundred
    // entries, which beats any O(catalog) scatter; ORT's web build has no Unique operator.
    node("Unsqueeze", ["cand_flat", "axis1"], ["cand_col"]),
    node("Unsqueeze", ["cand_flat", "axis0"], ["cand_row"]),
    node("Equal", ["cand_col", "cand_row"], ["same"]),
    node("Cast", ["same"], ["same_f"], [{ name: "to", i: DT.FLOAT }]),
    node("MatMul", ["same_f", "weight_flat"], ["co_scores"]),
    node("ArgMax", ["same_f"], ["first_of"], [axis(1), { name: "keepdims", i: 0 }]),
    node("Shape", ["cand_flat"], ["cand_count"]),
    node("Squeeze", ["cand_count", "axis0"], ["cand_count_scalar"]),
    node("Range", ["zero_i64", "cand_count_scalar", "one_i64"], ["positions"]),
    node("Equal", ["first_of", "positions"], ["is_first"]),
    // Never suggest what is already in the basket (this also drops unused neighbour slots).
    node("Unsqueeze", ["basket_i32", "axis0"], ["basket_row"]),
    node("Equal", ["cand_col", "basket_row"], ["in_basket_pairs"]),
    node("Cast", ["in_basket_pairs"], ["in_basket_f"], [{ name: "to", i: DT.FLOAT }]),
    node(
      "ReduceMax",
      ["in_basket_f"],
      ["in_basket_any"],
      [
        { name: "axes", ints: [1] },
        { name: "keepdims", i: 0 },
      ],
    ),
    node("Less", ["in_basket_any", "half"], ["not_in_basket"]),
    node("And", ["is_first", "not_in_basket"], ["keep"]),
    ...similarityTerm("cand_flat", "co_scores", "general"),
    node("Where", ["keep", "general_raw_scores", "minus_infinity"], ["general_scores"]),
    // TopK over at most the number of candidate slots; dropped slots score -Infinity.
    ...topCandidates("general_scores", "cand_flat", "cand_count", "general"),
  ];

  // One anchor with distinct neighbours: its K slots are the candidates; γ(1) = α / 1^p = α.
  const single = [
    ...neighbourRows(basketItems, "single_rows", wideItems),
    node("Reshape", ["single_rows", "flat_shape"], ["single_cand"]),
    ...dequantizedRows("neighbour_weights_q", "neighbour_scales", basketItems, "single_model"),
    ...dequantizedRows("confidence_q", "confidence_scales", basketItems, "single_confidence"),
    node("Mul", ["single_confidence", "confidence_blend"], ["single_blended"]),
    node("Add", ["single_model", "single_blended"], ["single_weight_rows"]),
    node("Mul", ["single_weight_rows", "basket_weight_col"], ["single_weighted"]),
    node("Reshape", ["single_weighted", "flat_shape"], ["single_co_scores"]),
    ...similarityTerm("single_cand", "single_co_scores", "single"),
    // Unused slots hold the anchor itself.
    node("Equal", ["single_cand", "basket_i32"], ["single_is_anchor"]),
    node("Where", ["single_is_anchor", "minus_infinity", "single_raw_scores"], ["single_scores"]),
    ...topCandidates("single_scores", "single_cand", "slots", "single"),
  ];

  const scoring = neighbourListsDistinct(tables)
    ? [
        node("Shape", [basketItems], ["basket_length"]),
        node("Equal", ["basket_length", "one_vec"], ["is_single"]),
        node(
          "If",
          ["is_single"],
          [GraphOutput.scores, GraphOutput.items],
          [
            { name: "then_branch", g: branch("single_anchor", single, "single") },
            { name: "else_branch", g: branch("any_basket", general, "general") },
          ],
        ),
      ]
    : [
        ...general,
        node("Identity", ["general_top_scores"], [GraphOutput.scores]),
        node("Identity", ["general_top_items"], [GraphOutput.items]),
      ];

  const nodes = [
    ...shared,
    ...scoring,
    // Similarity of the caller's own candidates (upgrades: same-ladder items) to their anchors.
    // Mul + ReduceSum rather than MatMul: ORT's MatMul refuses an empty candidate list.
    ...dequantizedRows("embeddings_q", "embedding_scales", candidateItems, "given_vectors"),
    node("Gather", ["basket_vectors", candidateAnchors], ["anchor_vectors"], [axis(0)]),
    node("Mul", ["given_vectors", "anchor_vectors"], ["given_products"]),
    node("ReduceSum", ["given_products", "axis1"], [GraphOutput.candidateSimilarity], [{ name: "keepdims", i: 0 }]),
  ];

  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "sidecart",
    producerVersion: meta.version,
    graph: {
      name: "sidecart_scoring",
      node: nodes,
      initializer: init.tensors,
      input: [
        valueInfo(basketItems, DT.INT64, ["basket"]),
        valueInfo(basketWeights, DT.FLOAT, ["basket"]),
        valueInfo(GraphInput.topK, DT.INT64, [1]),
        valueInfo(candidateItems, DT.INT64, ["candidates"]),
        valueInfo(candidateAnchors, DT.INT64, ["candidates"]),
      ],
      output: [
        valueInfo(GraphOutput.items, DT.INT32, ["top"]),
        valueInfo(GraphOutput.scores, DT.FLOAT, ["top"]),
        valueInfo(GraphOutput.candidateSimilarity, DT.FLOAT, ["candidates"]),
      ],
    },
    metadataProps: [
      { key: ModelMetadata.version, value: meta.version },
      { key: ModelMetadata.itemCount, value: String(N) },
      { key: ModelMetadata.dimension, value: String(d) },
      { key: ModelMetadata.neighbours, value: String(K) },
      { key: ModelMetadata.trainingWindow, value: `${meta.trainingWindow.from}/${meta.trainingWindow.to}` },
    ],
  });
  // Copy out of protobufjs's pooled buffer into a plain ArrayBuffer-backed array.
  return { model: new Uint8Array(onnx.ModelProto.encode(model).finish()), data: init.data() };
}
