import type { StringColumn } from "./blobContainer.js";

const EMPTY = -1;

/** FNV-1a over bytes [start, end): cheap, and good enough to spread SKUs over a power-of-two table. */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193);
  return hash >>> 0;
}

/**
 * SKU → catalog index, kept as one Int32Array over the catalog's UTF-8 SKU bytes (open addressing,
 * linear probing) rather than a Map of 200k decoded strings: about 12 MiB less JS heap at 200k items
 * (the isolate has 128 MB in all) and no string per SKU to build at load. A SKU listed twice resolves
 * to its last row, as a Map filled in order would.
 */
export class SkuIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly encoder = new TextEncoder();
  private scratch = new Uint8Array(256);

  constructor(private readonly skus: StringColumn) {
    let size = 16;
    while (size < 2 * skus.length) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    const { bytes } = skus;
    for (let row = 0; row < skus.length; row++) {
      const start = skus.start(row);
      const end = skus.start(row + 1);
      let slot = fnv1a(bytes, start, end) & this.mask;
      for (;;) {
        const held = this.slots[slot] ?? EMPTY;
        if (held === EMPTY || this.sameBytes(held, bytes, start, end)) {
          this.slots[slot] = row;
          break;
        }
        slot = (slot + 1) & this.mask;
      }
    }
  }

  /** Bytes of the index's own table (the SKU bytes it reads are the column's). */
  get slotBytes(): number {
    return this.slots.byteLength;
  }

  get(sku: string): number | undefined {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.scratch.length < 3 * sku.length) this.scratch = new Uint8Array(3 * sku.length);
    const { written } = this.encoder.encodeInto(sku, this.scratch);
    let slot = fnv1a(this.scratch, 0, written) & this.mask;
    for (;;) {
      const held = this.slots[slot] ?? EMPTY;
      if (held === EMPTY) return undefined;
      if (this.sameBytes(held, this.scratch, 0, written)) return held;
      slot = (slot + 1) & this.mask;
    }
  }

  private sameBytes(row: number, bytes: Uint8Array, start: number, end: number): boolean {
    const own = this.skus.bytes;
    const from = this.skus.start(row);
    if (this.skus.start(row + 1) - from !== end - start) return false;
    for (let i = 0; i < end - start; i++) if (own[from + i] !== bytes[start + i]) return false;
    return true;
  }
}
