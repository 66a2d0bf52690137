/**
 * The published contract between the trainer and the worker: ONNX graph I/O names, KV key layout and
 * blob schema versions. Any ONNX model that honours these names and shapes can be served unchanged.
 */

/** ONNX opset the trainer writes and the worker expects (ScatterElements with reduction "add" needs ≥ 16). */
export const ONNX_OPSET = 17;
/** IR version matching onnx-proto 8 (ONNX 1.10). */
export const ONNX_IR_VERSION = 8;

/**
 * Graph inputs, contract v2: the graph holds no tables. The worker gathers the basket's rows from the
 * version's item pages (BlobName.pages: the rows of BlobName.tables, 64 items a page; the eval and the
 * tests read tables.bin itself) and numbers the distinct candidates of those rows 0..U-1
 * (ORT's web build has no Unique); the graph sums, blends and ranks them. B: basket items, K: neighbour
 * slots per item, d: embedding dimension, U: distinct candidates, C: items to compare. Quantized rows
 * are dequantized as code · scale (no zero point), one scale per row.
 */
export const GraphInput = {
  /** float32 [B]: weight of each basket item (1 for a plain basket; quantity or recency otherwise). */
  basketWeights: "basket_weights",
  /**
   * int64 [B, K]: each basket item's neighbour slots as local candidate numbers in [0, U]; U is the
   * sink for slots that must not score (a basket item, the row's own item in an unused slot).
   */
  slotCandidates: "slot_candidates",
  /** int64 [1]: U, how many distinct candidates the slots name (the sink is U). */
  candidateCount: "candidate_count",
  /** int8 [B, K]: the basket rows' co-purchase weights W(b, ·), quantized. */
  slotWeights: "slot_weights",
  /** float32 [B, 1]: one scale per row of slot_weights. */
  slotWeightScales: "slot_weight_scales",
  /** int16 [B, K]: the basket rows' confidences C(b, ·), quantized. */
  slotConfidences: "slot_confidences",
  /** float32 [B, 1]: one scale per row of slot_confidences. */
  slotConfidenceScales: "slot_confidence_scales",
  /** int8 [B, d]: the basket items' embeddings, quantized. */
  basketEmbeddings: "basket_embeddings",
  /** float32 [B, 1]: one scale per basket embedding. */
  basketEmbeddingScales: "basket_embedding_scales",
  /** int64 [1]: how many candidates to return at most. */
  topK: "top_k",
  /** int8 [C, d]: embeddings of the items to measure (upgrade candidates); C may be 0. */
  compareEmbeddings: "compare_embeddings",
  /** float32 [C, 1]: one scale per compared embedding. */
  compareEmbeddingScales: "compare_embedding_scales",
  /**
   * int64 [C]: for each compared item, the basket position it is measured against, so one run answers
   * the upgrades of every cart line (all 0 for a single anchor).
   */
  compareAnchors: "compare_anchors",
} as const;

/**
 * Inputs only a graph whose score has an embedding term declares (its embedding weight is not 0); the
 * worker feeds them when the session lists them.
 */
export const OptionalGraphInput = {
  /** int8 [U, d]: the candidates' embeddings, in local candidate order. */
  candidateEmbeddings: "candidate_embeddings",
  /** float32 [U, 1]: one scale per candidate embedding. */
  candidateEmbeddingScales: "candidate_embedding_scales",
} as const;

/** Graph outputs, contract v2. */
export const GraphOutput = {
  /** int32 [M]: local candidate numbers (< U) of the best candidates, best first. */
  candidates: "top_candidates",
  /** float32 [M]: their scores; -Infinity marks padding when there were fewer candidates than top_k. */
  scores: "top_scores",
  /** float32 [C]: ⟨e_a, e_c⟩ for each compared item c and its anchor a = basket item compare_anchors[c]. */
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
  /** Where a paged model's pages live: page n is `${pagesPrefix}${n}`. */
  pagesPrefix: (version: string) => `sidecart/versions/${version}/pages/`,
} as const;

/** Workers KV refuses values above 25 MiB; stay well under it. */
export const KV_CHUNK_BYTES = 20 * 1024 * 1024;

export const MANIFEST_SCHEMA_VERSION = 1;
export const CATALOG_SCHEMA_VERSION = 2;
export const EVIDENCE_SCHEMA_VERSION = 3;
export const TABLES_SCHEMA_VERSION = 1;
/** head.bin: what an isolate holds of a paged model (see models/paging/headBlob.ts). */
export const HEAD_SCHEMA_VERSION = 1;
/** One page of pages.bin: an item page or a SKU page (see models/paging/). */
export const PAGE_SCHEMA_VERSION = 1;

/** Names of the blobs inside one model version. */
export const BlobName = {
  model: "model.onnx",
  catalog: "catalog.bin",
  evidence: "evidence.bin",
  /** The scoring tables (neighbour rows, weights, confidences, embeddings); the pages carry the same rows. */
  tables: "tables.bin",
  /** A paged model's resident part: per-item columns every request reads, the ladders, the category level, the page table. */
  head: "head.bin",
  /** A paged model's pages back to back (item pages, then SKU pages); KV holds one value per page. */
  pages: "pages.bin",
  /**
   * Versions trained before contract v2 kept the tables inside ORT, as the graph's external data. The
   * worker refuses them (code model_needs_retraining): their graph takes catalog indices, not rows.
   */
  modelData: "model.onnx.data",
} as const;
export type BlobName = (typeof BlobName)[keyof typeof BlobName];
