/**
 * tables.bin: the scoring tables as columns of the blob container, read by the worker as typed-array
 * views (no copy), from which it gathers a basket's rows for the graph (contract v2). The graph's
 * scalars (confidence blend, blend power, embedding weight) live in the graph, not here.
 */
import { encodeContainer, type DecodedContainer, decodeContainer } from "./blobContainer.js";
import { TABLES_SCHEMA_VERSION } from "./contract.js";
import type { ScoringTables } from "./scoringTables.js";

const KIND = "tables";

/** Catalogs up to this size keep neighbour indices in 16 bits: 2 bytes a slot instead of 4. */
const ITEMS_IN_16_BITS = 0x10000;

/** The per-item columns of ScoringTables, as the worker reads them. */
export interface RowTables {
  itemCount: number;
  neighbours: number;
  dimension: number;
  /** [N × K] catalog indices of each item's neighbours (unused slots hold the item itself). */
  neighbourItems: Int32Array | Uint16Array;
  neighbourWeights: Int8Array;
  neighbourScales: Float32Array;
  confidenceWeights: Int16Array;
  confidenceScales: Float32Array;
  embeddings: Int8Array;
  embeddingScales: Float32Array;
}

export function encodeTables(tables: ScoringTables): Uint8Array<ArrayBuffer> {
  const { itemCount: N, neighbours: K, dimension: d } = tables;
  const narrow = N <= ITEMS_IN_16_BITS;
  return encodeContainer(KIND, TABLES_SCHEMA_VERSION, { itemCount: N, neighbours: K, dimension: d }, [
    narrow
      ? { name: "neighbourItems", type: "u16", values: Uint16Array.from(tables.neighbourItems) }
      : { name: "neighbourItems", type: "i32", values: tables.neighbourItems },
    { name: "neighbourWeights", type: "i8", values: tables.neighbourWeights },
    { name: "neighbourScales", type: "f32", values: tables.neighbourScales },
    { name: "confidenceWeights", type: "i16", values: tables.confidenceWeights },
    { name: "confidenceScales", type: "f32", values: tables.confidenceScales },
    { name: "embeddings", type: "i8", values: tables.embeddings },
    { name: "embeddingScales", type: "f32", values: tables.embeddingScales },
  ]);
}

function positiveInt(blob: DecodedContainer, key: string): number {
  const value = blob.meta[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new Error(`tables: meta ${key} is not a positive integer`);
  }
  return value;
}

/**
 * Decodes and checks tables.bin: sizes against the item count, and every neighbour index inside the
 * catalog (one pass, so a request can never gather outside the tables).
 */
export function decodeTables(bytes: Uint8Array): RowTables {
  const blob = decodeContainer(bytes, KIND, TABLES_SCHEMA_VERSION);
  const N = positiveInt(blob, "itemCount");
  const K = positiveInt(blob, "neighbours");
  const d = positiveInt(blob, "dimension");
  const neighbourItems =
    blob.typeOf("neighbourItems") === "u16"
      ? blob.numeric("neighbourItems", "u16", N * K)
      : blob.numeric("neighbourItems", "i32", N * K);
  for (const j of neighbourItems) {
    if (j < 0 || j >= N) throw new Error(`tables: neighbour index ${j} outside ${N} items`);
  }
  return {
    itemCount: N,
    neighbours: K,
    dimension: d,
    neighbourItems,
    neighbourWeights: blob.numeric("neighbourWeights", "i8", N * K),
    neighbourScales: blob.numeric("neighbourScales", "f32", N),
    confidenceWeights: blob.numeric("confidenceWeights", "i16", N * K),
    confidenceScales: blob.numeric("confidenceScales", "f32", N),
    embeddings: blob.numeric("embeddings", "i8", N * d),
    embeddingScales: blob.numeric("embeddingScales", "f32", N),
  };
}

/** Bytes the decoded tables hold (views into the blob's buffer). */
export function tablesBytes(tables: RowTables): number {
  return [
    tables.neighbourItems,
    tables.neighbourWeights,
    tables.neighbourScales,
    tables.confidenceWeights,
    tables.confidenceScales,
    tables.embeddings,
    tables.embeddingScales,
  ].reduce((sum, column) => sum + column.byteLength, 0);
}
