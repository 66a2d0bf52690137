import { EVIDENCE_SCHEMA_VERSION } from "./contract.js";
import { decodeContainer, encodeContainer } from "./blobContainer.js";

const KIND = "evidence";
/** Marks an unused neighbour slot. */
export const NO_NEIGHBOUR = -1;

/** Co-purchase evidence behind the model's neighbour lists: the numbers a suggestion is explained with. */
export interface EvidenceRows {
  /** Baskets behind itemBaskets (the denominator of every probability). */
  totalBaskets: number;
  /** The privacy floor the trainer applied: no pair below it is stored. */
  minSupport: number;
  /** K: neighbour slots per item, the same lists as the ONNX model's. */
  neighbours: number;
  /** [N] distinct baskets holding each item. */
  itemBaskets: Int32Array;
  /** [N × K] neighbour indices, NO_NEIGHBOUR for unused slots. */
  neighbourItems: Int32Array;
  /** [N × K] distinct baskets holding both. */
  support: Int32Array;
}

export interface PairEvidence {
  /** Distinct baskets holding both items. */
  support: number;
  /** P(other | item): the share of the item's baskets that also hold the other. */
  confidence: number;
  /** confidence ÷ P(other): above 1 means bought together more often than chance. */
  lift: number;
}

export function encodeEvidence(rows: EvidenceRows): Uint8Array<ArrayBuffer> {
  return encodeContainer(
    KIND,
    EVIDENCE_SCHEMA_VERSION,
    {
      items: rows.itemBaskets.length,
      totalBaskets: rows.totalBaskets,
      minSupport: rows.minSupport,
      neighbours: rows.neighbours,
    },
    [
      { name: "itemBaskets", type: "i32", values: rows.itemBaskets },
      { name: "neighbourItems", type: "i32", values: rows.neighbourItems },
      { name: "support", type: "i32", values: rows.support },
    ],
  );
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw new Error(`evidence: ${what} is not a count`);
  return value;
}

export class Evidence {
  readonly itemCount: number;
  readonly totalBaskets: number;
  readonly minSupport: number;
  readonly neighbours: number;
  readonly itemBaskets: Int32Array;
  readonly neighbourItems: Int32Array;
  readonly support: Int32Array;

  constructor(bytes: Uint8Array, expectedItems: number) {
    const blob = decodeContainer(bytes, KIND, EVIDENCE_SCHEMA_VERSION);
    this.itemCount = positiveInteger(blob.meta.items, "items");
    if (this.itemCount !== expectedItems) {
      throw new Error(`evidence covers ${this.itemCount} items, the catalog ${expectedItems}`);
    }
    this.totalBaskets = positiveInteger(blob.meta.totalBaskets, "totalBaskets");
    this.minSupport = positiveInteger(blob.meta.minSupport, "minSupport");
    this.neighbours = positiveInteger(blob.meta.neighbours, "neighbours");
    const n = this.itemCount;
    this.itemBaskets = blob.numeric("itemBaskets", "i32", n);
    this.neighbourItems = blob.numeric("neighbourItems", "i32", n * this.neighbours);
    this.support = blob.numeric("support", "i32", n * this.neighbours);
    for (const j of this.neighbourItems)
      if (j < NO_NEIGHBOUR || j >= n) throw new Error(`evidence: neighbour ${j} out of range`);
  }

  /** Evidence that buyers of `item` also bought `other`, or null when the pair is not on record. */
  pair(item: number, other: number): PairEvidence | null {
    const K = this.neighbours;
    for (let k = item * K; k < (item + 1) * K; k++) {
      if (this.neighbourItems[k] !== other) continue;
      const support = this.support[k] ?? 0;
      const baskets = this.itemBaskets[item] ?? 0;
      const otherBaskets = this.itemBaskets[other] ?? 0;
      if (baskets === 0 || otherBaskets === 0) return null;
      const confidence = support / baskets;
      return { support, confidence, lift: (confidence * this.totalBaskets) / otherBaskets };
    }
    return null;
  }

  /** Whether the item has any co-purchase neighbour on record. */
  hasNeighbours(item: number): boolean {
    return this.neighbourItems[item * this.neighbours] !== NO_NEIGHBOUR;
  }
}
