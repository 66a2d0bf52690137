import onnxProto from "onnx-proto";
import { GraphInput, GraphOutput, ModelMetadata, ONNX_IR_VERSION, ONNX_OPSET } from "../../models/contract.js";
import type { ScoringTables } from "../../models/scoringTables.js";

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
type DataType = (typeof DT)[keyof typeof DT];

function tensor(name: string, dataType: DataType, dims: number[], raw: ArrayBufferView): onnxProto.onnx.ITensorProto {
  return {
    name,
    dataType,
    dims,
    rawData: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
  };
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
  { i: number } | { ints: number[] } | { s: string } | { t: onnxProto.onnx.ITensorProto }
);

function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Attribute[] = [],
): onnxProto.onnx.INodeProto {
  return {
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0] ?? opType,
    attribute: attributes.map((a) => {
      if ("i" in a) return { name: a.name, type: onnx.AttributeProto.AttributeType.INT, i: a.i };
      if ("ints" in a) return { name: a.name, type: onnx.AttributeProto.AttributeType.INTS, ints: a.ints };
      if ("s" in a)
        return { name: a.name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(a.s) };
      return { name: a.name, type: onnx.AttributeProto.AttributeType.TENSOR, t: a.t };
    }),
  };
}

/** Rows `indices` of a per-row quantized table, as float: Gather the codes and scales, Cast, Mul. */
function dequantizedRows(table: string, scales: string, indices: string, output: string): onnxProto.onnx.INodeProto[] {
  const name = `${output}_${table}`;
  return [
    node("Gather", [table, indices], [`${name}_codes`], [{ name: "axis", i: 0 }]),
    node("Cast", [`${name}_codes`], [`${name}_float`], [{ name: "to", i: DT.FLOAT }]),
    node("Gather", [scales, indices], [`${name}_scales`], [{ name: "axis", i: 0 }]),
    node("Unsqueeze", [`${name}_scales`, "axis_last"], [`${name}_scale_col`]),
    node("Mul", [`${name}_float`, `${name}_scale_col`], [output]),
  ];
}

export interface GraphMetadata {
  version: string;
  trainingWindow: { from: string; to: string };
}

/**
 * The scoring graph: gather the basket's neighbour lists (the candidate set), add up their
 * co-purchase weights per distinct candidate, add embedding similarity to the basket, drop basket
 * items, TopK. Work per request depends on the basket (B·K candidates), not on the catalog size; the
 * quantized tables stay quantized, only the touched rows are scaled to float.
 */
export function buildScoringModel(tables: ScoringTables, meta: GraphMetadata): Uint8Array<ArrayBuffer> {
  const { itemCount: N, neighbours: K, dimension: d } = tables;
  const initializers = [
    tensor("neighbour_items", DT.INT32, [N, K], tables.neighbourItems),
    tensor("neighbour_weights_q", DT.INT8, [N, K], tables.neighbourWeights),
    tensor("neighbour_scales", DT.FLOAT, [N], tables.neighbourScales),
    tensor("confidence_q", DT.INT16, [N, K], tables.confidenceWeights),
    tensor("confidence_scales", DT.FLOAT, [N], tables.confidenceScales),
    tensor("confidence_blend", DT.FLOAT, [], new Float32Array([tables.confidenceBlend])),
    tensor("blend_power", DT.FLOAT, [], new Float32Array([tables.blendPower])),
    tensor("embeddings_q", DT.INT8, [N, d], tables.embeddings),
    tensor("embedding_scales", DT.FLOAT, [N], tables.embeddingScales),
    tensor("embedding_weight", DT.FLOAT, [], new Float32Array([tables.embeddingWeight])),
    tensor("flat_shape", DT.INT64, [1], new BigInt64Array([-1n])),
    tensor("axis0", DT.INT64, [1], new BigInt64Array([0n])),
  ];
  const { basketItems, basketWeights, topK, candidateItems, candidateAnchors } = GraphInput;
  const nodes = [
    // Candidates and their co-purchase weights, one row per basket item.
    node("Gather", ["neighbour_items", basketItems], ["cand_rows"], [{ name: "axis", i: 0 }]),
    // The quantized tables stay quantized in memory; only the rows a request touches are scaled
    // (x · scale, the same arithmetic as DequantizeLinear with no zero point). Folding whole tables to
    // float at load would quadruple them in ORT's wasm memory, which never shrinks.
    ...dequantizedRows("neighbour_weights_q", "neighbour_scales", basketItems, "model_rows"),
    // Confidence, weighted γ(B) = α / B^p: it carries single-anchor queries and fades for baskets.
    ...dequantizedRows("confidence_q", "confidence_scales", basketItems, "confidence_rows"),
    node("Shape", [basketItems], ["basket_size"]),
    node("Cast", ["basket_size"], ["basket_size_f"], [{ name: "to", i: DT.FLOAT }]),
    node("Pow", ["basket_size_f", "blend_power"], ["basket_size_pow"]),
    node("Div", ["confidence_blend", "basket_size_pow"], ["gamma"]),
    node("Mul", ["confidence_rows", "gamma"], ["blended_confidence"]),
    node("Add", ["model_rows", "blended_confidence"], ["weight_rows"]),
    node("Unsqueeze", [basketWeights, "axis1"], ["basket_weight_col"]),
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
    node(
      "ArgMax",
      ["same_f"],
      ["first_of"],
      [
        { name: "axis", i: 1 },
        { name: "keepdims", i: 0 },
      ],
    ),
    node("Shape", ["cand_flat"], ["cand_count"]),
    node("Squeeze", ["cand_count", "axis0"], ["cand_count_scalar"]),
    node("Range", ["zero_i64", "cand_count_scalar", "one_i64"], ["positions"]),
    node("Equal", ["first_of", "positions"], ["is_first"]),
    // Never suggest what is already in the basket (this also drops unused neighbour slots).
    node("Cast", [basketItems], ["basket_i32"], [{ name: "to", i: DT.INT32 }]),
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
    // Embedding similarity of each candidate to the weighted basket.
    ...dequantizedRows("embeddings_q", "embedding_scales", basketItems, "basket_vectors"),
    node("Mul", ["basket_vectors", "basket_weight_col"], ["weighted_vectors"]),
    node("ReduceSum", ["weighted_vectors", "axis0"], ["query"], [{ name: "keepdims", i: 0 }]),
    ...dequantizedRows("embeddings_q", "embedding_scales", "cand_flat", "cand_vectors"),
    node("MatMul", ["cand_vectors", "query"], ["similarity"]),
    node("Mul", ["similarity", "embedding_weight"], ["weighted_similarity"]),
    node("Add", ["co_scores", "weighted_similarity"], ["raw_scores"]),
    node("Where", ["keep", "raw_scores", "minus_infinity"], ["scores"]),
    // TopK over at most the number of candidate slots; dropped slots score -Infinity.
    node("Min", [topK, "cand_count"], ["k"]),
    node(
      "TopK",
      ["scores", "k"],
      [GraphOutput.scores, "top_positions"],
      [
        { name: "axis", i: 0 },
        { name: "largest", i: 1 },
        { name: "sorted", i: 1 },
      ],
    ),
    node("Gather", ["cand_flat", "top_positions"], [GraphOutput.items], [{ name: "axis", i: 0 }]),
    // Similarity of the caller's own candidates (upgrades: same-ladder items) to their anchors.
    // Mul + ReduceSum rather than MatMul: ORT's MatMul refuses an empty candidate list.
    ...dequantizedRows("embeddings_q", "embedding_scales", candidateItems, "given_vectors"),
    node("Gather", ["basket_vectors", candidateAnchors], ["anchor_vectors"], [{ name: "axis", i: 0 }]),
    node("Mul", ["given_vectors", "anchor_vectors"], ["given_products"]),
    node("ReduceSum", ["given_products", "axis1"], [GraphOutput.candidateSimilarity], [{ name: "keepdims", i: 0 }]),
  ];
  initializers.push(
    tensor("axis1", DT.INT64, [1], new BigInt64Array([1n])),
    tensor("axis_last", DT.INT64, [1], new BigInt64Array([-1n])),
    tensor("zero_i64", DT.INT64, [], new BigInt64Array([0n])),
    tensor("one_i64", DT.INT64, [], new BigInt64Array([1n])),
    tensor("half", DT.FLOAT, [], new Float32Array([0.5])),
    tensor("minus_infinity", DT.FLOAT, [], new Float32Array([Number.NEGATIVE_INFINITY])),
  );

  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "sidecart",
    producerVersion: meta.version,
    graph: {
      name: "sidecart_scoring",
      node: nodes,
      initializer: initializers,
      input: [
        valueInfo(basketItems, DT.INT64, ["basket"]),
        valueInfo(basketWeights, DT.FLOAT, ["basket"]),
        valueInfo(topK, DT.INT64, [1]),
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
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}
