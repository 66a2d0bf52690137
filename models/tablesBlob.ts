/**
 * tables.bin: the scoring tables as columns of the blob container, read by the worker as typed-array
 * views (no copy), from which it gathers a basket's rows for the graph (contract v2). The graph's
 * scalars (confidence blend, blend power, embedding weight) live in the graph, not here.
 */
import {
  encodeContainer,
  type ColumnInput,
  type DecodedContainer,
  decodeContainer,
  type NumericArray,
  type NumericColumnType,
} from "./blobContainer.js";
import { TABLES_SCHEMA_VERSION } from "./contract.js";
import type { ScoringTables } from "./scoringTables.js";

const KIND = "tables";

/**
 * Catalogs up to this size keep neighbour indices in 16 bits; larger ones add an 8-bit high part
 * (up to 16.7 M items): 2–3 bytes a slot instead of 4, and the neighbour lists are the largest
 * column the isolate holds (bench:serve, 200k items: 19.2 MB instead of 25.6).
 */
const ITEMS_IN_16_BITS = 0x10000;
const ITEMS_IN_24_BITS = 0x1000000;

/** The per-item columns of ScoringTables, as the worker reads them. */
export interface RowTables {
  itemCount: number;
  neighbours: number;
  dimension: number;
  /** [N × K] low 16 bits of each item's neighbours' catalog indices (unused slots hold the item itself). */
  neighbourLow: Uint16Array;
  /** [N × K] the high 8 bits, for catalogs above 65,536 items; null below. */
  neighbourHigh: Uint8Array | null;
  neighbourWeights: Int8Array;
  neighbourScales: Float32Array;
  confidenceWeights: Int16Array;
  confidenceScales: Float32Array;
  embeddings: Int8Array;
  embeddingScales: Float32Array;
}

/** The quantized row columns and their scales: what a whole tables blob and an item page both hold. */
export type QuantizedRows = Pick<
  RowTables,
  "neighbourWeights" | "neighbourScales" | "confidenceWeights" | "confidenceScales" | "embeddings" | "embeddingScales"
>;

/** A quantized row column and its scales keep the type the trainer made them in. */
function typed(values: Int8Array | Int16Array | Float32Array): { type: NumericColumnType; values: NumericArray } {
  return { type: values instanceof Int8Array ? "i8" : values instanceof Int16Array ? "i16" : "f32", values };
}

/** The quantized rows and their scales as columns under the names they keep in every blob (tables.bin, item pages). */
export function quantizedColumns(rows: QuantizedRows): ColumnInput[] {
  return (
    [
      "neighbourWeights",
      "neighbourScales",
      "confidenceWeights",
      "confidenceScales",
      "embeddings",
      "embeddingScales",
    ] as const
  ).map((name): ColumnInput => ({ name, ...typed(rows[name]) }));
}

/** The quantized rows of `rows` items with K slots and d dimensions, read back from a blob written with quantizedColumns. */
export function readQuantizedRows(blob: DecodedContainer, rows: number, K: number, d: number): QuantizedRows {
  return {
    neighbourWeights: blob.numeric("neighbourWeights", "i8", rows * K),
    neighbourScales: blob.numeric("neighbourScales", "f32", rows),
    confidenceWeights: blob.numeric("confidenceWeights", "i16", rows * K),
    confidenceScales: blob.numeric("confidenceScales", "f32", rows),
    embeddings: blob.numeric("embeddings", "i8", rows * d),
    embeddingScales: blob.numeric("embeddingScales", "f32", rows),
  };
}

export function encodeTables(tables: ScoringTables): Uint8Array<ArrayBuffer> {
  const { itemCount: N, neighbours: K, dimension: d } = tables;
  if (N > ITEMS_IN_24_BITS) throw new Error(`tables.bin holds up to ${ITEMS_IN_24_BITS} items, not ${N}`);
  const high: ColumnInput[] =
    N > ITEMS_IN_16_BITS
      ? [{ name: "neighbourHigh", type: "u8", values: Uint8Array.from(tables.neighbourItems, (j) => j >>> 16) }]
      : [];
  const rows = quantizedColumns(tables);
  const low: ColumnInput = {
    name: "neighbourLow",
    type: "u16",
    values: Uint16Array.from(tables.neighbourItems, (j) => j & 0xffff),
  };
  return encodeContainer(KIND, TABLES_SCHEMA_VERSION, { itemCount: N, neighbours: K, dimension: d }, [
    low,
    ...high,
    ...rows,
  ]);
}

/** The catalog index in neighbour slot `slot` (item · K + k). */
export function neighbourAt(low: Uint16Array, high: Uint8Array | null, slot: number): number {
  return (low[slot] ?? 0) + (high === null ? 0 : (high[slot] ?? 0) * ITEMS_IN_16_BITS);
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
  const neighbourLow = blob.numeric("neighbourLow", "u16", N * K);
  const neighbourHigh = N > ITEMS_IN_16_BITS ? blob.numeric("neighbourHigh", "u8", N * K) : null;
  for (let s = 0; s < neighbourLow.length; s++) {
    const j = neighbourAt(neighbourLow, neighbourHigh, s);
    if (j >= N) throw new Error(`tables: neighbour index ${j} outside ${N} items`);
  }
  return {
    itemCount: N,
    neighbours: K,
    dimension: d,
    neighbourLow,
    neighbourHigh,
    ...readQuantizedRows(blob, N, K, d),
  };
}
