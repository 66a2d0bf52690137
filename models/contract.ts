/**
 * The published contract between the trainer and the worker: ONNX graph I/O names, KV key layout and
 * blob schema versions. Any ONNX model that honours these names and shapes can be served unchanged.
 */

/** ONNX opset the trainer writes and the worker expects (DequantizeLinear per-axis, ScatterElements add). */
export const ONNX_OPSET = 17;
/** IR version matching onnx-proto 8 (ONNX 1.10). */
export const ONNX_IR_VERSION = 8;

/** Graph inputs. */
export const GraphInput = {
  /** int64 [B]: catalog indices of the basket (or the single anchor). */
  basketItems: "basket_items",
  /** float32 [B]: weight of each basket item (1 for a plain basket; quantity or recency otherwise). */
  basketWeights: "basket_weights",
  /** int64 [1]: how many candidates to return at most. */
  topK: "top_k",
  /** int64 [C]: items to measure in embedding space (upgrade candidates); may be empty. */
  candidateItems: "candidate_items",
  /**
   * int64 [C]: for each of candidate_items, the position in basket_items it is measured against, so
   * one run answers the upgrades of every cart line (all 0 for a single anchor).
   */
  candidateAnchors: "candidate_anchors",
} as const;

/** Graph outputs. */
export const GraphOutput = {
  /** int32 [M]: catalog indices of the best candidates, best first; never a basket item. */
  items: "top_items",
  /** float32 [M]: their scores; -Infinity marks padding when there were fewer candidates than top_k. */
  scores: "top_scores",
  /** float32 [C]: ⟨e_a, e_c⟩ for each of candidate_items c and its anchor a = basket_items[candidate_anchors[c]]. */
  candidateSimilarity: "candidate_similarity",
} as const;

/** metadata_props keys carried by every sidecart ONNX model. */
export const ModelMetadata = {
  version: "sidecart.version",
  itemCount: "sidecart.item_count",
  dimension: "sidecart.dimension",
  neighbours: "sidecart.neighbours",
  trainingWindow: "sidecart.training_window",
} as const;

/** KV layout: every version lives under its own prefix; the pointer is written last. */
export const KvKeys = {
  pointer: "sidecart/current",
  history: "sidecart/history",
  /** The live config document (rules, CORS, experiments), pushed by `sidecart config push`. */
  config: "sidecart/config",
  versionPrefix: (version: string) => `sidecart/versions/${version}/`,
  manifest: (version: string) => `sidecart/versions/${version}/manifest.json`,
  blob: (version: string, name: string) => `sidecart/versions/${version}/${name}`,
  chunk: (key: string, index: number) => `${key}#${index}`,
} as const;

/**
 * The `location` the ONNX model's external initializers name. The worker hands the modelData blob to
 * ORT under this name; a model with every initializer inside needs no modelData blob.
 */
export const MODEL_DATA_LOCATION = "model.onnx.data";

/** Workers KV refuses values above 25 MiB; stay well under it. */
export const KV_CHUNK_BYTES = 20 * 1024 * 1024;

export const MANIFEST_SCHEMA_VERSION = 1;
export const CATALOG_SCHEMA_VERSION = 2;
export const EVIDENCE_SCHEMA_VERSION = 3;

/** Names of the blobs inside one model version. */
export const BlobName = {
  model: "model.onnx",
  catalog: "catalog.bin",
  evidence: "evidence.bin",
  /** The ONNX model's large initializers as ONNX external data (the model names it MODEL_DATA_LOCATION). */
  modelData: "model.onnx.data",
} as const;
export type BlobName = (typeof BlobName)[keyof typeof BlobName];
