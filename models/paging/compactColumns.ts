/**
 * The head's narrow forms of two per-item columns, read back through accessors: tiers in a byte or
 * two when they are small whole numbers (as rank columns nearly always are), and availability in a
 * bit. At a million items that is about 3.9 MB less for every isolate to hold.
 */
import type { ColumnInput, DecodedContainer } from "../blobContainer.js";

const I8_NONE = -128;
const I16_NONE = -32768;

/** A tier column: rank within the ladder, NaN for an unranked item. */
export interface TierColumn {
  at(index: number): number;
  readonly byteLength: number;
}

const NO_TIERS: TierColumn = { at: () => Number.NaN, byteLength: 0 };

/** Tiers as i8 or i16 (the type's lowest value marks "none") when every tier is a whole number that fits; else f32. */
export function tierColumn(name: string, tiers: Float32Array): ColumnInput {
  let fitsI8 = true;
  let fitsI16 = true;
  for (const t of tiers) {
    if (Number.isNaN(t)) continue;
    if (!Number.isInteger(t) || t <= I16_NONE || t > 32767) fitsI16 = false;
    if (!Number.isInteger(t) || t <= I8_NONE || t > 127) fitsI8 = false;
  }
  if (fitsI8) return { name, type: "i8", values: Int8Array.from(tiers, (t) => (Number.isNaN(t) ? I8_NONE : t)) };
  if (fitsI16) return { name, type: "i16", values: Int16Array.from(tiers, (t) => (Number.isNaN(t) ? I16_NONE : t)) };
  return { name, type: "f32", values: tiers };
}

/** The tier column as stored; every item unranked when the head has none. */
export function readTiers(blob: DecodedContainer, name: string, count: number): TierColumn {
  const type = blob.typeOf(name);
  if (type === undefined) return NO_TIERS;
  if (type === "i8") {
    const v = blob.numeric(name, "i8", count);
    return { at: (i) => (v[i] === undefined || v[i] === I8_NONE ? Number.NaN : v[i]), byteLength: v.byteLength };
  }
  if (type === "i16") {
    const v = blob.numeric(name, "i16", count);
    return { at: (i) => (v[i] === undefined || v[i] === I16_NONE ? Number.NaN : v[i]), byteLength: v.byteLength };
  }
  const v = blob.numeric(name, "f32", count);
  return { at: (i) => v[i] ?? Number.NaN, byteLength: v.byteLength };
}

/** One bit an item, item i at bit i % 8 of byte i / 8. */
export function bitColumn(flags: Uint8Array): Uint8Array {
  const bits = new Uint8Array(Math.ceil(flags.length / 8));
  flags.forEach((flag, i) => {
    if (flag === 1) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
  });
  return bits;
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  return (((bits[index >> 3] ?? 0) >> (index & 7)) & 1) === 1;
}
