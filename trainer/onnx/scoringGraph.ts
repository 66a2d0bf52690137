import onnxProto from "onnx-proto";
import {
  GraphInput,
  GraphOutput,
  ModelMetadata,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  OptionalGraphInput,
} from "../../models/contract.js";
import type { ScoringTables } from "../../models/scoringTables.js";

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
type DataType = (typeof DT)[keyof typeof DT];

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

type Attribute = { name: string } & ({ i: number } | { s: string } | { t: onnxProto.onnx.ITensorProto });

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
      if ("s" in a) return { name: a.name, type: AttributeType.STRING, s: new TextEncoder().encode(a.s) };
      return { name: a.name, type: AttributeType.TENSOR, t: a.t };
    }),
  };
}

const axis = (i: number): Attribute => ({ name: "axis", i });

/** A small constant inside the graph. */
function constant(name: string, dataType: DataType, dims: number[], raw: ArrayBufferView): onnxProto.onnx.ITensorProto {
  return { name, dataType, dims, rawData: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) };
}

/** code · scale for a row-quantized input [R, ·] and its scales [R, 1] (DequantizeLinear, no zero point). */
function dequantized(codes: string, scales: string, output: string): onnxProto.onnx.INodeProto[] {
  return [
    node("Cast", [codes], [`${output}_float`], [{ name: "to", i: DT.FLOAT }]),
    node("Mul", [`${output}_float`, scales], [output]),
  ];
}

/** Row-wise ⟨a, b⟩ of two [R, d] matrices (or [R, d] and [d]). Mul + ReduceSum: ORT's MatMul refuses R = 0. */
function rowDots(a: string, b: string, output: string): onnxProto.onnx.INodeProto[] {
  return [
    node("Mul", [a, b], [`${output}_products`]),
    node("ReduceSum", [`${output}_products`, "axis1"], [output], [{ name: "keepdims", i: 0 }]),
  ];
}

/** What the graph holds of a model: its scalars, and the sizes it records in its metadata. */
export type GraphParams = Pick<
  ScoringTables,
  "itemCount" | "neighbours" | "dimension" | "confidenceBlend" | "blendPower" | "embeddingWeight"
>;

export interface GraphMetadata {
  version: string;
  trainingWindow: { from: string; to: string };
}

/**
 * The scoring graph (contract v2): it takes the basket's rows, gathered by the worker from tables.bin,
 * and holds no table, so it is a few kilobytes and its session costs the same at any catalog size.
 * The arithmetic is models/scoringTables.ts's: for every slot, w_b · (W(b, c) + γ(B) · C(b, c)) added
 * into its candidate (ScatterElements, reduction "add", over the U distinct candidates the worker
 * numbered; slots that must not score go to the sink U), plus embeddingWeight · ⟨Σ_b w_b · e_b, e_c⟩
 * when that weight is not 0, then TopK. Work per request grows with B·K, never with the catalog.
 */
export function buildScoringModel(params: GraphParams, meta: GraphMetadata): Uint8Array<ArrayBuffer> {
  const withSimilarity = params.embeddingWeight !== 0;
  const init = [
    constant("confidence_blend", DT.FLOAT, [], new Float32Array([params.confidenceBlend])),
    constant("blend_power", DT.FLOAT, [], new Float32Array([params.blendPower])),
    constant("flat_shape", DT.INT64, [1], new BigInt64Array([-1n])),
    constant("axis0", DT.INT64, [1], new BigInt64Array([0n])),
    constant("axis1", DT.INT64, [1], new BigInt64Array([1n])),
    constant("one_vec", DT.INT64, [1], new BigInt64Array([1n])),
    constant("minus_infinity_vec", DT.FLOAT, [1], new Float32Array([Number.NEGATIVE_INFINITY])),
    ...(withSimilarity ? [constant("embedding_weight", DT.FLOAT, [], new Float32Array([params.embeddingWeight]))] : []),
  ];
  const I = GraphInput;
  const O = OptionalGraphInput;
  const zero: onnxProto.onnx.ITensorProto = constant("zero", DT.FLOAT, [1], new Float32Array([0]));

  const coPurchase = [
    node("Unsqueeze", [I.basketWeights, "axis1"], ["basket_weight_col"]),
    ...dequantized(I.slotWeights, I.slotWeightScales, "model_rows"),
    // Confidence, weighted γ(B) = α / B^p: it carries single-anchor queries and fades for baskets.
    ...dequantized(I.slotConfidences, I.slotConfidenceScales, "confidence_rows"),
    node("Shape", [I.basketWeights], ["basket_size"]),
    node("Cast", ["basket_size"], ["basket_size_f"], [{ name: "to", i: DT.FLOAT }]),
    node("Pow", ["basket_size_f", "blend_power"], ["basket_size_pow"]),
    node("Div", ["confidence_blend", "basket_size_pow"], ["gamma"]),
    node("Mul", ["confidence_rows", "gamma"], ["blended_confidence"]),
    node("Add", ["model_rows", "blended_confidence"], ["weight_rows"]),
    node("Mul", ["weight_rows", "basket_weight_col"], ["weighted_rows"]),
    node("Reshape", ["weighted_rows", "flat_shape"], ["weight_flat"]),
    node("Reshape", [I.slotCandidates, "flat_shape"], ["slots_flat"]),
    // One bin per candidate and the sink; duplicates add up in slot order, as in the reference.
    node("Add", [I.candidateCount, "one_vec"], ["bins"]),
    node("ConstantOfShape", ["bins"], ["zero_bins"], [{ name: "value", t: zero }]),
    node(
      "ScatterElements",
      ["zero_bins", "slots_flat", "weight_flat"],
      ["co_with_sink"],
      [axis(0), { name: "reduction", s: "add" }],
    ),
    node("Slice", ["co_with_sink", "axis0", I.candidateCount, "axis0"], ["co_scores"]),
  ];

  const basketVectors = dequantized(I.basketEmbeddings, I.basketEmbeddingScales, "basket_vectors");
  const similarity = withSimilarity
    ? [
        node("Mul", ["basket_vectors", "basket_weight_col"], ["weighted_vectors"]),
        node("ReduceSum", ["weighted_vectors", "axis0"], ["query"], [{ name: "keepdims", i: 0 }]),
        ...dequantized(O.candidateEmbeddings, O.candidateEmbeddingScales, "candidate_vectors"),
        ...rowDots("candidate_vectors", "query", "candidate_query"),
        node("Mul", ["candidate_query", "embedding_weight"], ["weighted_similarity"]),
        node("Add", ["co_scores", "weighted_similarity"], ["raw_scores"]),
      ]
    : [node("Identity", ["co_scores"], ["raw_scores"])];

  const ranking = [
    // The sink's place scores -Infinity: it pads the answer when there are fewer candidates than top_k.
    node("Concat", ["raw_scores", "minus_infinity_vec"], ["scores"], [axis(0)]),
    node("Min", [I.topK, "bins"], ["k"]),
    node(
      "TopK",
      ["scores", "k"],
      [GraphOutput.scores, "top_positions"],
      [axis(0), { name: "largest", i: 1 }, { name: "sorted", i: 1 }],
    ),
    node("Cast", ["top_positions"], [GraphOutput.candidates], [{ name: "to", i: DT.INT32 }]),
  ];

  // Similarity of the caller's own items (upgrades: same-ladder items) to their anchors.
  const compare = [
    ...dequantized(I.compareEmbeddings, I.compareEmbeddingScales, "compare_vectors"),
    node("Gather", ["basket_vectors", I.compareAnchors], ["anchor_vectors"], [axis(0)]),
    ...rowDots("compare_vectors", "anchor_vectors", GraphOutput.candidateSimilarity),
  ];

  const rows = (name: string, elemType: DataType, width: string) => valueInfo(name, elemType, ["basket", width]);
  const scales = (name: string, count: string) => valueInfo(name, DT.FLOAT, [count, 1]);
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "sidecart",
    producerVersion: meta.version,
    graph: {
      name: "sidecart_scoring",
      node: [...coPurchase, ...basketVectors, ...similarity, ...ranking, ...compare],
      initializer: init,
      input: [
        valueInfo(I.basketWeights, DT.FLOAT, ["basket"]),
        rows(I.slotCandidates, DT.INT64, "slots"),
        valueInfo(I.candidateCount, DT.INT64, [1]),
        rows(I.slotWeights, DT.INT8, "slots"),
        scales(I.slotWeightScales, "basket"),
        rows(I.slotConfidences, DT.INT16, "slots"),
        scales(I.slotConfidenceScales, "basket"),
        rows(I.basketEmbeddings, DT.INT8, "dimension"),
        scales(I.basketEmbeddingScales, "basket"),
        valueInfo(I.topK, DT.INT64, [1]),
        valueInfo(I.compareEmbeddings, DT.INT8, ["compared", "dimension"]),
        scales(I.compareEmbeddingScales, "compared"),
        valueInfo(I.compareAnchors, DT.INT64, ["compared"]),
        ...(withSimilarity
          ? [
              valueInfo(O.candidateEmbeddings, DT.INT8, ["candidates", "dimension"]),
              scales(O.candidateEmbeddingScales, "candidates"),
            ]
          : []),
      ],
      output: [
        valueInfo(GraphOutput.candidates, DT.INT32, ["top"]),
        valueInfo(GraphOutput.scores, DT.FLOAT, ["top"]),
        valueInfo(GraphOutput.candidateSimilarity, DT.FLOAT, ["compared"]),
      ],
    },
    metadataProps: [
      { key: ModelMetadata.version, value: meta.version },
      { key: ModelMetadata.itemCount, value: String(params.itemCount) },
      { key: ModelMetadata.dimension, value: String(params.dimension) },
      { key: ModelMetadata.neighbours, value: String(params.neighbours) },
      { key: ModelMetadata.trainingWindow, value: `${meta.trainingWindow.from}/${meta.trainingWindow.to}` },
    ],
  });
  // Copy out of protobufjs's pooled buffer into a plain ArrayBuffer-backed array.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}
